import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

let loaded: typeof import('node:child_process') | undefined;
/** node:child_process, required when something really runs: --help, --no-git --no-install or flags that leave no git default to look up do not pay for loading it. */
export function childProcess(): typeof import('node:child_process') {
  return (loaded ??= createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'));
}

/** Find an executable on PATH without spawning anything. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, command);
    // An executable file, as `command -v` finds one: a folder of that name passes X_OK too.
    try { accessSync(path, constants.X_OK); if (statSync(path).isFile()) return path; } catch { /* next */ }
  }
  return undefined;
}

export interface RunResult { ok: boolean; output: string }

/** Children started by runAsync that have not ended: a cancelled run stops them (stopChildren). */
const children = new Set<import('node:child_process').ChildProcess>();

/** Stop every command still running (git, uv), so that none goes on after the CLI has exited. */
export function stopChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of children) child.kill(signal);
}

/**
 * Run a command to completion, capturing its output (never inheriting stdout: --json owns it),
 * without blocking the event loop (a spinner keeps turning, signals are handled). A command ended
 * by a signal says so in its output: uv killed for memory, say, leaves nothing else.
 */
export function runAsync(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((done) => {
    const child = childProcess().spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    let settled = false;
    const finish = (ok: boolean, extra = '') => {
      children.delete(child);
      if (!settled) { settled = true; done({ ok, output: `${output}${extra}`.trim() }); }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.on('error', (error) => finish(false, error.message));
    // A turn later: a Ctrl-C reaches this process and the command together, and the command's end
    // can come first in the same turn; the cancel must win, not the next step start.
    child.on('close', (code, signal) => setImmediate(() => finish(code === 0, signal ? `\n${command} was ended by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}.` : '')));
  });
}
