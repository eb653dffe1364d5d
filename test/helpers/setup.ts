// Run before each test file (setupFiles of vitest.config.ts and vitest.python.config.ts).
import { afterAll } from 'vitest';
import { removeOwnedTempDirs } from './cli.js';

// A developer's DEBUG (e.g. DEBUG=vite:*) would add stack traces to the in-process runs' errors,
// which the clean-error checks refuse; the test that is about DEBUG sets it itself.
delete process.env.DEBUG;
// The folders the helpers made (testEnv's HOMEs, sandboxes) go with the file that made them.
afterAll(removeOwnedTempDirs);
