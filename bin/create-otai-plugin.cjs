#!/usr/bin/env node
// Thin launcher, CommonJS like the bundle: no ESM loader at start-up. `.cjs` says so by its name,
// so Node reads no package.json for its type (a `.js` main file makes it read the nearest one; the
// read is too small for a paired A/B to tell apart from noise).
// dist/launcher.js answers --help/--version from a table, or runs dist/cli.js with a compile cache.
// It is compiled as the module Node would make of it, by its known path: Node's resolution of a
// require (stat, realpath, package scope) cost about 0.4 ms of every run, measured.
const Module = module.constructor;
const file = require('node:path').join(__dirname, '..', 'dist', 'launcher.js');
const launcher = new Module(file, module);
launcher.filename = file;
launcher.paths = [];
Module._cache[file] = launcher;
launcher._compile(require('node:fs').readFileSync(file, 'utf8'), file);
launcher.loaded = true;
