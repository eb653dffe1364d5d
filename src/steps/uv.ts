import { runAsync, which } from './run.js';
import type { StepResult } from './git.js';

/** `uv sync` in the new plugin when uv is on PATH; otherwise say how to do it. Async so a spinner can turn meanwhile. */
export async function uvStep(directory: string, enabled: boolean, starting?: () => void): Promise<StepResult> {
  if (!enabled) return { status: 'skipped', message: 'install skipped; run `uv sync` in the plugin folder' };
  if (!which('uv')) return { status: 'skipped', message: 'install skipped: uv is not on PATH (install it with `pip install uv`, then run `uv sync`)' };
  starting?.();
  const sync = await runAsync('uv', ['sync'], directory);
  return sync.ok
    ? { status: 'done', message: 'dependencies installed with uv sync' }
    : { status: 'failed', message: '`uv sync` failed; fix the cause below and run `uv sync` in the plugin folder', output: sync.output };
}
