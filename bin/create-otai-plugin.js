#!/usr/bin/env node
// Thin launcher: everything lives in the bundle so `npm create` starts fast.
import '../dist/cli.js';
