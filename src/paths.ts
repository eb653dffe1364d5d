import { fileURLToPath } from 'node:url';

// Both src/*.ts (tests) and dist/*.js (bundle) sit one level below the package root. A function:
// the bundle never reads templates/ (they are compiled in), so it never pays for the URL work.
export const templatesDir = () => fileURLToPath(new URL('../templates/', import.meta.url));
declare const __VERSION__: string | undefined;
/** Injected by the bundler and by vitest's define. */
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';
