#!/usr/bin/env node
// Thin launcher, CommonJS like the bundle: no ESM loader at start-up. `.cjs` says so by its name,
// so Node reads no package.json for its type (a `.js` main file makes it read the nearest one; the
// read is too small for a paired A/B to tell apart from noise).
// A usual run compiles dist/cli.js with V8's code from an earlier run, kept beside it (runBundle).
// Otherwise dist/launcher.js runs: it answers --help/--version from a table, says which Node is
// needed, or runs dist/cli.js with the compile cache in the user's cache folder
// (src/compile-cache.ts). Each file is compiled as the module Node would make of it, by its known
// path: Node's resolution of a require (stat, realpath, package scope) cost about 0.4 ms of every
// run, measured.
// Plain `path` and `fs`, no `?.` or `??`: an old Node must parse and run this far, so that the
// launcher can tell it which Node is needed (node: specifiers are Node 14.18 and later).
'use strict';
const Module = module.constructor;
const { basename, dirname, join } = require('path');
const fs = require('fs');
const dist = join(__dirname, '..', 'dist');
const launcherFile = join(dist, 'launcher.js');
const launcherSource = fs.readFileSync(launcherFile, 'utf8');
// src/compile-state.ts: what the bundle tells a cache (that the run wrote a plugin) and, after a
// run through the launcher, the bundle's compiled script.
const STATE = Symbol.for('create-otai-plugin.compile-cache');
// How every dist file that the cache compiles begins (src/self-wrap.ts): as a script, its value is
// the module's function.
const SELF_WRAPPED = '((run) => this === globalThis ? run : ';
// The build: the launcher's last line, its digest, which covers the other dist files' digests.
const build = /\n\/\/ build ([0-9a-f]{16})\n$/.exec(launcherSource.slice(-30));
const args = process.argv.slice(2);
// What the launcher answers from its table (scripts/build.mjs, ANSWER_ARGV): it alone, compiled as
// it is, the cheapest way for the few functions those answers run.
const answered = args.length >= 1 && args.length <= 2 && ['--help', '-h', '--version', '-v'].includes(args[args.length - 1]) && (args.length === 1 || args[0] === 'add');
const bundle = answered || process.env.NODE_DISABLE_COMPILE_CACHE || !build ? undefined : lookUp(join(dist, 'cli.js'));
if (bundle && bundle.cachedData) runBundle(bundle);
else runLauncher(bundle);

/** A module for a dist file, made as Node's loader would make it, under its known path. */
function moduleFor(file) {
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = [];
  Module._cache[file] = mod;
  return mod;
}

/**
 * The launcher; after it ran the bundle to a plugin, the bundle's entry for the next run. Kept
 * before the launcher's cache writes its own (this handler is the first): where it is kept here,
 * that one is not written (`bundleKept`), so a first run serialises the bundle's code once.
 */
function runLauncher(found) {
  if (found) {
    process.once('exit', () => {
      const state = globalThis[STATE];
      if (state && state.bundle && keep(found.entry, state, state.bundle)) state.bundleKept = true;
    });
  }
  const launcher = moduleFor(launcherFile);
  launcher._compile(launcherSource, launcherFile);
  launcher.loaded = true;
}

/**
 * The usual run: dist/cli.js, and the dist files it requires (the prompt library, the long license
 * texts), compiled with V8's code from an earlier run, kept beside each, the way Python keeps
 * __pycache__ beside its sources. Whoever can write an entry there could change the file itself,
 * so it needs only a look at its owner, and the launcher's layer (compiling it, its start, the
 * checks of the user's cache folder) goes: measured, 1.3 ms a run. The bundle's entry exists only for a Node
 * that ran it to a plugin, so this Node is one the launcher admits.
 */
function runBundle(found) {
  const state = { complete: false };
  globalThis[STATE] = state;
  const original = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (dirname(filename) !== dist || !content.startsWith(SELF_WRAPPED)) return original.call(this, content, filename);
    return runCached(this, lookUp(filename) || { file: filename }, content, state);
  };
  const mod = moduleFor(found.file);
  runCached(mod, found, fs.readFileSync(found.file, 'utf8'), state);
  mod.loaded = true;
}

function runCached(mod, found, source, state) {
  const { Script } = require('vm');
  const script = new Script(source, { filename: found.file, cachedData: found.cachedData });
  // Missing, or refused by V8 (other V8 flags than the run that wrote it): written after this run.
  if (found.entry && (!found.cachedData || script.cachedDataRejected)) process.once('exit', () => keep(found.entry, state, script));
  return script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, found.file, dist);
}

/**
 * A dist file's entry beside it: its place, and its data when there is a usable one. Named after
 * the build, the file's size and mtime, Node's version (as the launcher reads it) and the
 * architecture: V8 itself checks only a source's length, so a file from another build with the
 * same size and mtime, copied over this one by hand, would meet this build's entry (deleting
 * dist/.*.bin mends that). The same format as the user's cache: 'OTC2', the length of V8's data,
 * then the data, read byte by byte (Buffer's readers are compiled on their first call, 0.2 ms).
 * Only an entry of the file's owner or the user's, and writable by no one else, is used: in a
 * dist/ that others may add files to (a sticky folder) they cannot change the file itself.
 */
function lookUp(file) {
  try {
    const stat = fs.statSync(file);
    const prefix = `.${basename(file)}-`;
    // Its mode: no one may write the entry who may not write the file (a umask of 002 would let the group).
    const entry = { path: join(dist, `${prefix}${build[1]}-${stat.size}-${stat.mtimeMs}-v${process.versions.node}-${process.arch}.bin`), prefix, mode: stat.mode & 0o644 };
    // A regular file only, opened without blocking: a FIFO planted there must not hang the run.
    const found = fs.statSync(entry.path, { throwIfNoEntry: false });
    // (Not on Windows, which has no uid and shows every writable file as writable by all.)
    const own = found && (!process.getuid || ((found.uid === stat.uid || found.uid === process.getuid()) && (found.mode & 0o022) === 0));
    if (!found || !found.isFile() || !own) return { file, entry };
    const b = fs.readFileSync(entry.path, { flag: fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0) });
    // A short or foreign entry is refused: V8 does not check its code data, and damaged code crashes.
    const whole = b.length > 8 && b[0] === 0x4f && b[1] === 0x54 && b[2] === 0x43 && b[3] === 0x32 && ((b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0) === b.length - 8;
    return { file, entry, cachedData: whole ? new Uint8Array(b.buffer, b.byteOffset + 8, b.length - 8) : undefined };
  } catch {
    return undefined;
  }
}

/**
 * An entry, written at exit (the run's functions compiled by then) and only by a run that wrote a
 * plugin, so that it holds what such a run uses; whole or not at all. The file's other entries
 * (other builds, Node versions) go. Whether it was written.
 */
function keep(entry, state, script) {
  if (!state.complete) return false;
  const tmp = `${entry.path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  let kept = false;
  try {
    fs.accessSync(dist, fs.constants.W_OK);
    const data = script.createCachedData();
    const head = Buffer.alloc(8);
    head.write('OTC2', 'latin1');
    head.writeUInt32LE(data.length, 4);
    fs.writeFileSync(tmp, Buffer.concat([head, data]), { flag: 'wx', mode: entry.mode, flush: true });
    fs.renameSync(tmp, entry.path);
    kept = true;
    // And what a killed run left (its temporary file); another run's, taken mid-write, only costs
    // that run its entry.
    for (const name of fs.readdirSync(dist)) {
      if (name.startsWith(entry.prefix) && join(dist, name) !== entry.path) fs.rmSync(join(dist, name), { force: true });
    }
  } catch {
    if (!kept) try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to remove */ }
  }
  return kept;
}
