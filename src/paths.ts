import { fileURLToPath } from 'node:url';

// Both src/*.ts (tests) and dist/*.js (bundle) sit one level below the package root.
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
declare const __VERSION__: string | undefined;
/** Injected by the bundler and by vitest's define. */
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';
