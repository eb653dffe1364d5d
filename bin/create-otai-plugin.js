#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json) like the bundle: no ESM loader at start-up.
// dist/launcher.js answers --help/--version from a table, or runs dist/cli.js with a compile cache.
require('../dist/launcher.js');
