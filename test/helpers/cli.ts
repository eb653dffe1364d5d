// Helpers for running the CLI: in-process (fast, for tables) and as the built program (the real thing).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/create-otai-plugin.cjs');

/** What a run of the CLI gives a caller: its exit (or the signal that ended it) and its output. */
export interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

const owned: string[] = [];
/**
 * A fresh folder under the system temp dir, removed after the test file (test/helpers/setup.ts).
 * OTAI_KEEP_TEMP=1 keeps them all, to look at what a failing test left.
 */
export function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  owned.push(dir);
  return dir;
}
/** Remove the folders ownedTempDir made (or list them, with OTAI_KEEP_TEMP). */
export function removeOwnedTempDirs(): void {
  const dirs = owned.splice(0);
  if (process.env.OTAI_KEEP_TEMP) {
    if (dirs.length > 0) console.log(`OTAI_KEEP_TEMP: kept ${dirs.length} temporary folder(s):\n  ${dirs.join('\n  ')}`);
    return;
  }
  for (const dir of dirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch {
      // Tests make read-only folders (a cache folder of mode 0500); without root they cannot be
      // emptied until they are writable again.
      try { makeWritable(dir); rmSync(dir, { recursive: true, force: true }); } catch (error) {
        console.warn(`could not remove the temporary folder ${dir}: ${(error as Error).message}`);
      }
    }
  }
}
function makeWritable(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) makeWritable(path);
  }
}

/**
 * Environment with a fixed git identity, so author/email defaults are the same everywhere: a fresh
 * empty HOME (it gets the CLI's compile cache; removed after the test file), no git config, CI set,
 * and no DEBUG (with it, errors carry stack traces that the clean-error checks refuse).
 */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = ownedTempDir('otai-home-');
  return { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig-missing'), GIT_CONFIG_NOSYSTEM: '1', CI: 'true', DEBUG: undefined, ...extra };
}

/**
 * The built package copied to a folder of its own (readable by all, for runs as another user), so
 * that its dist files can be changed; without the compiled code that runs of the package itself
 * kept beside them in dist/ (bin/create-otai-plugin.cjs).
 */
export function copyPackage(): string {
  const dir = ownedTempDir('otai-pkg-');
  chmodSync(dir, 0o755);
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true, filter: (from) => !basename(from).startsWith('.') });
  return dir;
}

/**
 * The name of the bundle's entry beside it in a package's dist/, as the bin names it: the build
 * (the launcher's last line), the bundle's size and mtime, the Node version and the architecture.
 */
export function bundleEntryName(pkg: string): string {
  const build = /\/\/ build ([0-9a-f]{16})\n$/.exec(readFileSync(join(pkg, 'dist/launcher.js'), 'utf8'))![1];
  const { size, mtimeMs } = statSync(join(pkg, 'dist/cli.js'));
  return `.cli.js-${build}-${size}-${mtimeMs}-v${process.versions.node}-${process.arch}.bin`;
}

/**
 * A copy of the package that runs as an install whose dist/ cannot hold the bundle's entry (a
 * folder stands where it goes): every run goes through the launcher and the user's cache folder.
 * Returns its bin.
 */
export function launchedPackage(): string {
  const pkg = copyPackage();
  mkdirSync(join(pkg, 'dist', bundleEntryName(pkg)));
  return join(pkg, 'bin/create-otai-plugin.cjs');
}

/**
 * The built CLI as a subprocess, with no standard input, as CI runs it; `asUser` runs it as another
 * user (setpriv, as root), for permission tests; `bin`, another copy's.
 */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = testEnv(), options: { asUser?: number; bin?: string } = {}): Run {
  const bin = options.bin ?? BIN;
  const command = options.asUser === undefined
    ? [process.execPath, bin, ...args]
    : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', process.execPath, bin, ...args];
  const r = spawnSync(command[0]!, command.slice(1), { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  // A timeout or a missing setpriv: say so, not "expected null to be 0".
  if (r.error) throw new Error(`${command.slice(0, 3).join(' ')} … did not run to its end: ${r.error.message}\n${r.stderr ?? ''}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** main() in this process with captured output. */
export async function runMain(args: readonly string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } }, cwd);
  return { code, signal: null, stdout, stderr };
}

/** A fresh folder of the test file's own, removed after it (ownedTempDir). */
export const tempDir = (prefix = 'otai-test-') => ownedTempDir(prefix);

/** `Step1,Step2,…` up to `<prefix><count>`: many components for one --pipe or --service. */
export const nameList = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(',');

/** Every file under dir → its content, relative POSIX paths. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
