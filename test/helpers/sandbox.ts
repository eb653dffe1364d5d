// Shared by the fault, property and signal tests: throw-away folders, a byte-exact picture of a
// folder tree, and what a refused run must look like. Running the CLI: ./cli.ts.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ownedTempDir, ROOT, type Run } from './cli.js';

/** Flags that keep a run offline and free of prompts. */
export const QUIET = ['--yes', '--no-git', '--no-install'];

/** A fresh folder under the system temp dir, removed after the test file. */
export const sandbox = (label = 'sandbox') => ownedTempDir(`otai-${label}-`);

export type Entry =
  | { kind: 'file'; mode: number; ino: number; mtimeMs: number; content: Buffer }
  | { kind: 'dir'; mode: number }
  | { kind: 'link'; target: string }
  | { kind: 'other'; mode: number };

/**
 * Every entry under `root` with its bytes, mode, inode and mtime (a file rewritten with the same
 * bytes still shows up as changed). `null` when root does not exist.
 */
export function snapshot(root: string): Record<string, Entry> | null {
  if (!existsSync(root) && !isLink(root)) return null;
  const out: Record<string, Entry> = {};
  const walk = (rel: string) => {
    const path = rel ? join(root, rel) : root;
    const stat = lstatSync(path);
    const key = rel || '.';
    if (stat.isSymbolicLink()) out[key] = { kind: 'link', target: readlinkSync(path) };
    else if (stat.isFile()) out[key] = { kind: 'file', mode: stat.mode, ino: stat.ino, mtimeMs: stat.mtimeMs, content: readFileSync(path) };
    else if (stat.isDirectory()) {
      out[key] = { kind: 'dir', mode: stat.mode };
      for (const name of readdirSync(path).sort()) walk(rel ? join(rel, name) : name);
    } else out[key] = { kind: 'other', mode: stat.mode };
  };
  walk('');
  return out;
}
const isLink = (path: string) => { try { return lstatSync(path).isSymbolicLink(); } catch { return false; } };

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing; run `npm run build` before these tests.');
}

/** What every refusal or failure must look like to a user: a one-paragraph message, no stack trace. */
export function expectCleanError(err: string): void {
  if (!/(^|\n)Error: \S/.test(err)) throw new Error(`expected "Error: ..." on stderr, got: ${JSON.stringify(err)}`);
  if (/\n\s+at \S+ \(|node:internal|\.ts:\d+/.test(err)) throw new Error(`stack trace shown to the user: ${err}`);
}

/**
 * A refused run: exit `code`, a clean error matching `message` on stderr, and the folder `root`
 * exactly as it was (`before`, its snapshot taken before the run).
 */
export function expectRefused(result: Run, code: number, message: RegExp, root: string, before: ReturnType<typeof snapshot>): void {
  expect(result.code, result.stderr).toBe(code);
  expectCleanError(result.stderr);
  expect(result.stderr).toMatch(message);
  expect(snapshot(root)).toEqual(before);
}

/** One python3 process for a whole batch (starting one per case would dominate the run time). */
export function python(script: string, input: unknown): unknown {
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const isRoot = () => process.getuid?.() === 0;
export const hasCommand = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
