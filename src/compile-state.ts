// What the CLI tells the compile caches (src/compile-cache.ts, and the bin's entry beside the
// bundle). The bin, the launcher and the bundle are separate files, so they share this through the
// global symbol registry; a module of its own so the bundle takes in nothing else of the cache.
import type { Script } from 'node:vm';

export const STATE = Symbol.for('create-otai-plugin.compile-cache');
/**
 * `bundle`: dist/cli.js as the launcher's cache compiled it, for the bin to keep beside it;
 * `bundleKept`: the bin did, so the cache folder needs no entry of it.
 */
export type State = { complete: boolean; bundle?: Script; bundleKept?: boolean };

/**
 * Called by the CLI once a run has rendered and written a plugin: that run compiled what a normal
 * run uses, so its code is what the cache should keep. A cache written by a shorter run (--dry-run,
 * an error) is replaced by such a run's, once.
 */
export function markCompleteRun(): void {
  const state = (globalThis as Record<symbol, State | undefined>)[STATE];
  if (state) state.complete = true;
}
