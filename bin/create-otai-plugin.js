#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json) like the bundle it loads: no ESM loader at start-up.
require('../dist/cli.js');
