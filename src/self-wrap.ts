// How the build wraps each dist file that the launcher compiles (scripts/build.mjs writes it,
// src/compile-cache.ts reads it). Node compiles a CommonJS file as Module.wrap(content): the
// function head plus the whole text plus its tail, one more copy of the bundle (156 KB) for V8 to
// flatten on every run (measured: 40 page faults, about 0.15 ms). A self-wrapped file carries that
// head and tail itself, so the cache compiles the text as read, and it still runs as Node's own
// module (a plain `node dist/cli.js`, or the launcher with the cache off).

/**
 * What a self-wrapped file starts with. Compiled as a script (the cache), its value is the module
 * function: a script's `this` is the global object. Run as a module (Node wraps it once more),
 * `this` is module.exports, and it calls that function at once with the module's own names.
 */
export const SELF_WRAP_HEAD = '((run) => this === globalThis ? run : run.call(exports, exports, require, module, __filename, __dirname))(function (exports, require, module, __filename, __dirname) {';

/** A bundle's code, self-wrapped. The code's own first line stays a line of its own. */
export const selfWrap = (code: string): string => `${SELF_WRAP_HEAD}\n${code}\n});\n`;
