// Drive the real prompts: read what they draw, type keys when a text appears. Used in-process (fake
// TTY streams handed to main through io.terminal) and over a pseudo-terminal (run_in_pty.py).
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.js';
import type { Io } from '../../src/io.js';

export const KEY = { enter: '\r', down: '\x1b[B', ctrlC: '\x03', ctrlD: '\x04', ctrlU: '\x15', escape: '\x1b' } as const;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The screen as a stream of text without escape codes; waitFor consumes it in order. */
export class Screen {
  private text = '';
  private pos = 0;
  private ended: string | undefined;
  private waiters: (() => void)[] = [];
  /** Whether the cursor is shown, after the last show (ESC [?25h) or hide (ESC [?25l) drawn. */
  cursorVisible = true;

  feed(chunk: string): void {
    for (const [, state] of chunk.matchAll(/\x1b\[\?25([hl])/g)) this.cursorVisible = state === 'h';
    this.text += chunk.replace(ANSI, '').replaceAll('\r', '');
    this.wake();
  }

  end(reason: string): void {
    this.ended = reason;
    this.wake();
  }

  get all(): string {
    return this.text;
  }

  /** Everything drawn so far after the last waitFor match. */
  get rest(): string {
    return this.text.slice(this.pos);
  }

  /** Resolves when `what` appears after the previous match; fails on timeout or when the run ends first. */
  waitFor(what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${JSON.stringify(what)}; screen so far:\n${this.text}`)); }, timeoutMs);
      const check = () => {
        const at = this.text.indexOf(what, this.pos);
        if (at !== -1) { this.pos = at + what.length; done(); resolve(); return; }
        if (this.ended !== undefined) { done(); reject(new Error(`the run ended (${this.ended}) before ${JSON.stringify(what)} appeared; screen:\n${this.text}`)); }
      };
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      this.waiters.push(check);
      check();
    });
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

export interface Session {
  screen: Screen;
  type: (keys: string) => void;
  /** Wait for a text, then type. */
  answer: (prompt: string, keys: string) => Promise<void>;
  result: Promise<{ code: number; out: string; err: string }>;
  /** Send a signal to the CLI's process (pseudo-terminal sessions only). */
  signal?: (signal: NodeJS.Signals) => void;
}

function session(screen: Screen, type: (keys: string) => void, result: Session['result'], signal?: Session['signal']): Session {
  return { screen, type, result, signal, answer: async (prompt, keys) => { await screen.waitFor(prompt); type(keys); } };
}

/** main() with streams that claim to be a TTY, so it decides on prompts by itself. */
export function inProcess(argv: string[], cwd: string, columns = 120): Session {
  const screen = new Screen();
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new Writable({ write(chunk, _enc, cb) { screen.feed(String(chunk)); cb(); } }), { isTTY: true, columns, rows: 50 });
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, terminal: { input, output } };
  const result = main(argv, io, cwd).then((code) => { screen.end(`exit ${code}`); return { code, out, err }; });
  return session(screen, (keys) => input.write(keys), result);
}

const PTY = fileURLToPath(new URL('./run_in_pty.py', import.meta.url));

/** A real process on a pseudo-terminal (stdout and stderr both land on the screen). */
export function inPty(command: string[], cwd: string, env: NodeJS.ProcessEnv): Session {
  const screen = new Screen();
  const child = spawn('python3', [PTY, ...command], { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8').on('data', (d: string) => screen.feed(d));
  const result = new Promise<{ code: number; out: string; err: string }>((resolve) => {
    child.on('close', (code) => { screen.end(`exit ${code}`); resolve({ code: code ?? -1, out: screen.all, err: '' }); });
  });
  // Never leave a child behind when a test fails.
  const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
  void result.then(() => clearTimeout(kill));
  // run_in_pty.py passes SIGTERM and SIGINT on to the command.
  return session(screen, (keys) => child.stdin.write(keys), result, (signal) => child.kill(signal));
}
