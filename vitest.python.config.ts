import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The real-runtime tier: slow, sequential, one file.
export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/python/**/*.test.ts'],
    // The same setup as the unit tests: its temporary folders (each run's ~80 MB of plugins, wheels
    // and venvs) are removed after the file; OTAI_KEEP_TEMP=1 keeps them.
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 20 * 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
