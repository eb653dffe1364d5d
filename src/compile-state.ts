// What the CLI tells the compile cache (src/compile-cache.ts). The launcher and the bundle are two
// separate builds, so they share this through the global symbol registry; a module of its own so
// the bundle takes in nothing else of the cache.
export const STATE = Symbol.for('create-otai-plugin.compile-cache');
export type State = { complete: boolean };

/**
 * Called by the CLI once a run has rendered and written a plugin: that run compiled what a normal
 * run uses, so its code is what the cache should keep. A cache written by a shorter run (--dry-run,
 * an error) is replaced by such a run's, once.
 */
export function markCompleteRun(): void {
  const state = (globalThis as Record<symbol, State | undefined>)[STATE];
  if (state) state.complete = true;
}
