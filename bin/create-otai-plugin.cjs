#!/usr/bin/env node
// Thin launcher, CommonJS like the bundle: no ESM loader at start-up. `.cjs` says so by its name,
// so Node reads no package.json for its type (a `.js` main file makes it read the nearest one; the
// read is too small for a paired A/B to tell apart from noise).
// dist/launcher.js answers --help/--version from a table, or runs dist/cli.js with a compile cache.
// It is compiled as the module Node would make of it, by its known path: Node's resolution of a
// require (stat, realpath, package scope) cost about 0.4 ms of every run, measured.
// Plain `path` and `fs`, no `?.` or `??`: an old Node must parse and run this far, so that the
// launcher can tell it which Node is needed (node: specifiers are Node 14.18 and later).
'use strict';
const Module = module.constructor;
const { join } = require('path');
const fs = require('fs');
const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'launcher.js');
const launcher = new Module(file, module);
launcher.filename = file;
launcher.paths = [];
Module._cache[file] = launcher;
const source = fs.readFileSync(file, 'utf8');
const args = process.argv.slice(2);
// What the launcher answers from its table (scripts/build.mjs, ANSWER_ARGV): compiled as it is, the
// cheapest way for the few functions those answers run.
const answered = args.length >= 1 && args.length <= 2 && ['--help', '-h', '--version', '-v'].includes(args[args.length - 1]) && (args.length === 1 || args[0] === 'add');
if (answered || process.env.NODE_DISABLE_COMPILE_CACHE) launcher._compile(source, file);
else runCached();
launcher.loaded = true;

/**
 * Every other run compiles the launcher with V8's code from an earlier run (measured: 0.7 ms less
 * a run). Its entry lives beside it in dist/, the way Python keeps __pycache__ beside its sources:
 * whoever can write it there could change launcher.js itself, so it needs none of the checks of
 * the user's cache folder (src/compile-cache.ts); a read-only install just compiles each time.
 * The entry is named after the build's digest (the line the build ends the file with), the file's
 * size and mtime, Node's version and the architecture: V8 itself checks only the source's length.
 * The same format as the user's cache: 'OTC2', the length of V8's data, then the data; written
 * whole or not at all, by a run past the table (which compiles what the launcher's runs need).
 */
function runCached() {
  const { Script } = require('vm');
  const trailer = /\n\/\/ build ([0-9a-f]{16})\n$/.exec(source.slice(-30));
  let entry;
  let mode;
  let cachedData;
  try {
    // Size and mtime too, as for the bundle's entries: a launcher.js changed by hand keeps its line.
    const stat = fs.statSync(file);
    entry = trailer && join(dist, `.launcher-${trailer[1]}-${stat.size}-${stat.mtimeMs}-${process.version}-${process.arch}.bin`);
    // No one may write the entry who may not write launcher.js (a umask of 002 would let the group).
    mode = stat.mode & 0o644;
    // A regular file only, opened without blocking: a FIFO planted there must not hang the run.
    const found = entry && fs.statSync(entry, { throwIfNoEntry: false });
    if (found && found.isFile()) {
      const bytes = fs.readFileSync(entry, { flag: fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0) });
      // A short or foreign entry is refused: V8 does not check its code data, and damaged code crashes.
      if (bytes.length > 8 && bytes.toString('latin1', 0, 4) === 'OTC2' && bytes.readUInt32LE(4) === bytes.length - 8) cachedData = bytes.subarray(8);
    }
  } catch { /* no entry: compiled as usual */ }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  script.runInThisContext().call(launcher.exports, launcher.exports, (id) => launcher.require(id), launcher, file, dist);
  // After the launcher's own exit handler, so that the entry holds it compiled too.
  if (entry && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeEntry(entry, script, mode));
}

/** The launcher's entry, once its run is over (its functions compiled); other builds' entries go. */
function writeEntry(entry, script, mode) {
  const tmp = `${entry}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.accessSync(dist, fs.constants.W_OK);
    const data = script.createCachedData();
    const head = Buffer.alloc(8);
    head.write('OTC2', 'latin1');
    head.writeUInt32LE(data.length, 4);
    fs.writeFileSync(tmp, Buffer.concat([head, data]), { flag: 'wx', mode, flush: true });
    fs.renameSync(tmp, entry);
    for (const name of fs.readdirSync(dist)) {
      if (name.startsWith('.launcher-') && join(dist, name) !== entry) fs.rmSync(join(dist, name), { force: true });
    }
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to remove */ }
  }
}
