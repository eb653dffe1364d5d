import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
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

/**
 * A mark in the environment of every command this run starts, which the processes they start
 * inherit: on Linux a cancel finds them by it, also those a command left running when it ended
 * (handed to init, no longer below it: review). Not in the CLI's own environment.
 */
const MARK_NAME = 'CREATE_OTAI_PLUGIN_RUN';
let mark: string | undefined;
const runMark = () => (mark ??= `${process.pid}-${Math.random().toString(36).slice(2)}`);

/**
 * Stop every command still running (git, uv) and the processes each started (uv's build backends,
 * git's hooks), so that none goes on after the CLI has exited: a command that ends on the signal
 * does not always stop its own children (QA: a `sleep` a fake uv started outlived the run). Those
 * are the processes below the commands still running, and on Linux those with the run's mark;
 * where sessions are known (Linux), only those in the CLI's session: a daemon that left it (a
 * gpg-agent that git commit started, say) may serve the user's other work and is meant to outlive
 * us. Who is stopped is known before anything is signalled. A command that has ended is not
 * signalled, nor looked below: its number may be another process's by now.
 */
export function stopChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  if (children.size === 0) return;
  const running = [...children].filter((child) => child.pid !== undefined && child.exitCode === null && child.signalCode === null);
  const own = new Set(running.map((child) => child.pid!));
  const table = processTable();
  const session = table.get(process.pid)?.session;
  const parents = new Map([...table].map(([pid, { parent }]) => [pid, parent]));
  const below = running.flatMap((child) => descendantsOf(child.pid!, parents));
  const ours = (pid: number) => session === undefined || table.get(pid)?.session === session;
  const marked = session === undefined ? [] : markedAmong([...table.keys()].filter((pid) => pid !== process.pid && ours(pid)), `${MARK_NAME}=${runMark()}`);
  const started = [...new Set([...below, ...marked])].filter((pid) => !own.has(pid) && ours(pid));
  for (const child of running) child.kill(signal);
  for (const pid of started) { try { process.kill(pid, signal); } catch { /* ended meanwhile */ } }
}

/** Those of `pids` whose environment holds `entry` (Linux, /proc; processes of this user). */
function markedAmong(pids: readonly number[], entry: string): number[] {
  const wanted = Buffer.from(`${entry}\0`);
  return pids.filter((pid) => {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`);
      const at = environ.indexOf(wanted);
      // The whole entry, not the end of another's value.
      return at === 0 || (at > 0 && environ[at - 1] === 0);
    } catch { return false; } // ended, or another user's
  });
}

/** Every process below `root`, from a map of process → parent. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const found: number[] = [];
  for (let at = 0, next = [root]; at < next.length; at++) {
    for (const [pid, parent] of parents) if (parent === next[at] && !next.includes(pid)) { next.push(pid); found.push(pid); }
  }
  return found;
}

/**
 * Each process's parent and session: on Linux from /proc (a container may have no `ps`), elsewhere
 * the parent from `ps` (POSIX; sessions unknown); empty on Windows, where only the commands
 * themselves are stopped.
 */
function processTable(): Map<number, { parent: number; session?: number }> {
  const table = new Map<number, { parent: number; session?: number }>();
  if (process.platform === 'linux') {
    try {
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        // "pid (command) state ppid pgrp session …": the command may hold spaces and parentheses.
        try {
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          table.set(Number(name), { parent: Number(fields[1]), session: Number(fields[3]) });
        } catch { /* ended */ }
      }
      if (table.size) return table;
    } catch { /* no /proc: ask ps */ }
  }
  if (process.platform === 'win32') return table;
  const ps = childProcess().spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, parent] = line.trim().split(/\s+/).map(Number);
    if (pid && parent !== undefined && Number.isInteger(parent)) table.set(pid, { parent });
  }
  return table;
}

/**
 * Run a command to completion, capturing its output (never inheriting stdout: --json owns it),
 * without blocking the event loop (a spinner keeps turning, signals are handled). A command ended
 * by a signal says so in its output: uv killed for memory, say, leaves nothing else.
 */
export function runAsync(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((done) => {
    const child = childProcess().spawn(command, args, { cwd, env: { ...env, [MARK_NAME]: runMark() }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('exit', (code, signal) => {
      // A turn later: a Ctrl-C reaches this process and the command together, and the command's
      // end can come first in the same turn; the cancel must win, not the next step start.
      const end = () => setImmediate(() => finish(code === 0, signal ? `\n${command} was ended by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}.` : ''));
      // Its output ends when every process holding the pipes has: one it left running (a git hook's
      // `indexer &`) would hold the run until it ends (QA report: 20 s, or for ever). The rest of
      // the command's own output comes at once; after a moment the pipes are let go.
      const late = setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); end(); }, OUTPUT_GRACE_MS);
      child.once('close', () => { clearTimeout(late); end(); });
    });
  });
}

/** How long output may still come after a command exits (see runAsync). */
const OUTPUT_GRACE_MS = 250;
