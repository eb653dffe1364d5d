// The bin's first step, before the CLI bundle is read (built into dist/launcher.js).
// 1. `--help`, `-h`, `--version`, `-v` alone (also after `add`) are answered from a table the build
//    wrote by running the CLI itself: the most common first command loads no bundle.
// 2. On a Node that package.json's engines does not admit, anything else stops with a message.
// 3. Everything else runs dist/cli.js with the compile cache on (src/compile-cache.ts): the runs
//    the bin could not start from the bundle's own entry beside it (bin/create-otai-plugin.cjs).
// esbuild keeps `module` and `__dirname` as CommonJS gives them: this file is built as CommonJS.
import { join } from 'node:path';
import { cacheDir, runFile, useCompileCache } from './compile-cache.js';
import { errorJson, jsonAsked } from './errors.js';
import { finish, processIo } from './io.js';
import { supportedNode, unsupportedNodeMessage } from './node-version.js';

declare const __TEXTS__: string[];
declare const __ANSWERS__: Record<string, number>;
declare const __DIGESTS__: Record<string, string>;

/** argv joined by NUL → which text: exactly what the CLI prints for it (on stdout, exit 0). */
const ANSWERS: Readonly<Record<string, number>> = __ANSWERS__;

const args = process.argv.slice(2);
const argv = args.join('\0');
// Not Object.hasOwn (Node 16.9+): an older Node gets the table, or the message below, too.
if (Object.prototype.hasOwnProperty.call(ANSWERS, argv)) {
  processIo.out(__TEXTS__[ANSWERS[argv]!]!);
  finish(0);
} else if (!supportedNode(process.versions.node)) {
  // Checked after the table: --help and --version alone work on any Node. With --json, the one
  // object on stdout. The process ends by itself (finish asks what an old Node may lack).
  const message = unsupportedNodeMessage(process.versions.node);
  if (jsonAsked(args)) processIo.out(errorJson({ code: 'unsupported_node', message: message.trim() }));
  processIo.err(message);
  process.exitCode = 1;
} else {
  // dist file (relative, POSIX) → digest of its contents, written by the build.
  if (!process.env.NODE_DISABLE_COMPILE_CACHE) useCompileCache(__dirname, cacheDir(process.env), __DIGESTS__);
  runFile(join(__dirname, 'cli.js'), module);
}
