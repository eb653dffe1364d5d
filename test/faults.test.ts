// Fault injection: every file-system fault ends with a clear message, a non-zero exit and the
// folders exactly as they were (same bytes, modes, inodes and mtimes), with no staging folder left.
// The tests run as root, where chmod stops nothing; "not writable" is produced three ways that do
// stop root (or drop root): a read-only bind mount, `chattr +i`, and running the CLI as `nobody`
// through setpriv. Disk full is a real 64 KiB tmpfs. Each is skipped, visibly, where unavailable.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { main } from '../src/main.js';
import { resolveCreateOptions } from '../src/options/resolve.js';
import type { Flags } from '../src/options/schema.js';
import { planCreate } from '../src/plan.js';
import { renderPlan, type RenderedFile } from '../src/render.js';
import { cancelWrites, inspectTarget, writeFiles, type WriteHooks } from '../src/write.js';
import { launchedPackage, nameList, ROOT, runCli, runMain, testEnv } from './helpers/cli.js';
import { assertBuilt, expectCleanError, expectRefused, hasCommand, isRoot, QUIET, sandbox, snapshot } from './helpers/sandbox.js';

const ok = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** Probe once whether this machine lets us build each fault for real. */
function probe(setup: (dir: string) => boolean, teardown: (dir: string) => void): boolean {
  if (!isRoot()) return false;
  const dir = mkdtempSync(join(tmpdir(), 'otai-probe-'));
  try { const done = setup(dir); if (done) teardown(dir); return done; } finally { rmSync(dir, { recursive: true, force: true }); }
}
const CAN_MOUNT = probe((d) => ok('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d]), (d) => ok('umount', [d]));
const CAN_CHATTR = hasCommand('chattr') && probe((d) => ok('chattr', ['+i', d]), (d) => ok('chattr', ['-i', d]));
const CAN_SETPRIV = isRoot() && hasCommand('setpriv');

/** Many pipes make the write long and the plugin big (overflows the small tmpfs). */
const MANY_PIPES = `--pipe=${nameList('Step', 300)}`;

beforeAll(assertBuilt);

/** A folder a user already works in: a git repository, their own files, and two files the plugin also writes. */
function userFolder(dir: string): void {
  mkdirSync(join(dir, '.git/refs/heads'), { recursive: true });
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, '.git/config'), '[core]\n\trepositoryformatversion = 0\n');
  writeFileSync(join(dir, 'notes.md'), 'my notes, not generated\n');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/tickets.csv'), 'id,subject\n1,Printer on fire\n');
  writeFileSync(join(dir, 'README.md'), '# my old readme\n');
  writeFileSync(join(dir, '.gitignore'), 'secrets.env\n');
  chmodSync(join(dir, 'notes.md'), 0o640);
}

/** A sandbox whose parent chain a non-root user can traverse. */
function openSandbox(label: string): string {
  const root = sandbox(label);
  chmodSync(root, 0o755);
  return root;
}

/** Rendered files for an in-process writer test. */
async function rendered(dir: string, flags: Flags = {}): Promise<RenderedFile[]> {
  const opts = resolveCreateOptions({ dir, yes: true, author: 'A', email: '', ...flags }, ['otai-demo'], { cwd: dirname(dir), gitConfig: () => undefined });
  return renderPlan(planCreate(opts));
}

const errnoError = (code: string) => Object.assign(new Error(`${code}: injected fault`), { code });

async function writeExpectingError(target: string, files: RenderedFile[], hooks: WriteHooks): Promise<CliError> {
  const state = inspectTarget(target, files);
  const error = await writeFiles(target, files, state, hooks).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('target parent not writable', () => {
  it.skipIf(!CAN_SETPRIV)('as an unprivileged user (EACCES): exit 1, permission message, nothing created', () => {
    const root = openSandbox('eacces');
    mkdirSync(join(root, 'locked'), { mode: 0o755 });
    const before = snapshot(root);
    // Named: the folder it could not write in (the staging folder's), or the first one it could not make.
    for (const [dir, at] of [['locked/plugin', 'locked'], ['locked/a/b/plugin', 'locked/a']]) {
      const result = runCli(['otai-demo', ...QUIET, '--dir', dir!], root, testEnv(), { asUser: 65534 });
      expectRefused(result, 1, new RegExp(`Could not write ${join(root, at!)}: permission denied; choose a folder you can write to with --dir\\. Nothing was changed\\.`), root, before);
    }
  });

  it.skipIf(!CAN_SETPRIV)('into a folder the user owns in a parent they cannot write: empty, or non-empty with --force, it works and leaves no staging folder', () => {
    const root = openSandbox('own-target');
    for (const [name, fill, flags] of [['empty', false, []], ['theirs', true, ['--force']]] as const) {
      const dir = join(root, name);
      mkdirSync(dir);
      if (fill) writeFileSync(join(dir, 'notes.md'), 'mine\n');
      expect(ok('chown', ['-R', '65534', dir])).toBe(true);
      // The sandbox (the parent) stays root's, 0755: nowhere beside the target to stage.
      const result = runCli(['otai-demo', ...QUIET, '--dir', name, ...flags], root, testEnv(), { asUser: 65534 });
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(dir, 'src/otai_demo/plugin_factory.py'))).toBe(true);
      if (fill) expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('mine\n');
      expect([...readdirSync(root), ...readdirSync(dir)].filter((entry) => entry.includes('.create-otai-plugin-'))).toEqual([]);
    }
  });

  it.skipIf(!CAN_SETPRIV)('--force as a user who is not root keeps a replaced file\'s setuid and setgid bits (review: the write after the mode cleared them)', () => {
    const root = openSandbox('keep-mode');
    const dir = join(root, 'theirs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.md'), 'mine\n');
    writeFileSync(join(dir, 'LICENSE'), 'mine\n');
    expect(ok('chown', ['-R', '65534', dir])).toBe(true);
    chmodSync(join(dir, 'README.md'), 0o4755);
    chmodSync(join(dir, 'LICENSE'), 0o2775);
    const result = runCli(['otai-demo', ...QUIET, '--dir', 'theirs', '--force'], root, testEnv(), { asUser: 65534 });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).not.toBe('mine\n');
    expect([statSync(join(dir, 'README.md')).mode & 0o7777, statSync(join(dir, 'LICENSE')).mode & 0o7777]).toEqual([0o4755, 0o2775]);
  });

  it.skipIf(!CAN_MOUNT)('on a read-only bind mount (EROFS): exit 1, read-only message, nothing created', () => {
    const root = sandbox('erofs');
    const ro = join(root, 'ro');
    mkdirSync(ro);
    writeFileSync(join(ro, 'existing.txt'), 'keep\n');
    expect(ok('mount', ['--bind', ro, ro]) && ok('mount', ['-o', 'remount,ro,bind', ro])).toBe(true);
    try {
      const before = snapshot(root);
      const result = runCli(['otai-demo', ...QUIET, '--dir', 'ro/plugin'], root);
      expectRefused(result, 1, /the file system is read-only; choose another --dir/, root, before);
    } finally { ok('umount', [ro]); }
  });

  it.skipIf(!CAN_CHATTR)('immutable (chattr +i, EPERM even for root): exit 1, nothing created', () => {
    const root = sandbox('eperm');
    const locked = join(root, 'locked');
    mkdirSync(locked);
    expect(ok('chattr', ['+i', locked])).toBe(true);
    try {
      const before = snapshot(root);
      const result = runCli(['otai-demo', ...QUIET, '--dir', 'locked/plugin'], root);
      expectRefused(result, 1, /operation not permitted .*choose a folder you can write to with --dir/, root, before);
    } finally { ok('chattr', ['-i', locked]); }
  });
});

/** Make `dir` and run `check` with a tmpfs of `size` mounted there, unmounted after. */
function withTmpfs(dir: string, size: string, check: () => void): void {
  mkdirSync(dir);
  expect(ok('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])).toBe(true);
  try { check(); } finally { ok('umount', [dir]); }
}

describe('git in a repository of another user', () => {
  it.skipIf(!CAN_SETPRIV)('is skipped, saying why, not nested inside it (git refuses such a repository: dubious ownership)', () => {
    const root = openSandbox('dubious');
    chmodSync(root, 0o777);
    expect(ok('git', ['init', '-q', root])).toBe(true);
    const result = runCli(['otai-demo', '--yes', '--no-install', '--json', '--author', 'A', '--email', 'a@example.org'], root, testEnv(), { asUser: 65534 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).steps[1]).toMatchObject({ step: 'git', status: 'skipped', message: expect.stringContaining('inside a repository owned by another user') });
    expect(existsSync(join(root, 'otai-demo', '.git'))).toBe(false);
  });
});

describe('the compile cache on a full disk', () => {
  it.skipIf(!CAN_MOUNT)('the run succeeds, and the entry that did not fit leaves no temporary file to keep the disk full', () => {
    const root = sandbox('cache-full');
    const cache = join(root, 'cache');
    // Runs through the launcher, which keeps the bundle's code in the user's cache folder.
    const bin = launchedPackage();
    withTmpfs(cache, '64k', () => {
      for (const name of ['otai-one', 'otai-two']) {
        const result = runCli([name, ...QUIET], root, testEnv({ NODE_COMPILE_CACHE: cache }), { bin });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
      }
      expect(readdirSync(join(cache, 'create-otai-plugin'))).toEqual([]);
    });
  });

  it.skipIf(!CAN_MOUNT)('beside the bundle (an install on a full disk): the same', () => {
    const root = sandbox('install-full');
    const install = join(root, 'install');
    // Room for the package (about 330 KB), not for the bundle's entry (about 200 KB).
    withTmpfs(install, '420k', () => {
      for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(install, part), { recursive: true, filter: (from) => !basename(from).startsWith('.') });
      for (const name of ['otai-one', 'otai-two']) {
        const result = runCli([name, ...QUIET], root, testEnv(), { bin: join(install, 'bin/create-otai-plugin.cjs') });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
      }
      expect(readdirSync(join(install, 'dist')).filter((name) => name.startsWith('.'))).toEqual([]);
    });
  });
});

describe('a target folder that is a mount point', () => {
  /** create into `plugin` (there already, empty), then add a pipe: both work and leave no staging folder. */
  function createAndGrow(root: string, plugin: string): void {
    const made = runCli(['otai-demo', ...QUIET, '--dir', 'plugin'], root);
    expect(made.code, made.stderr).toBe(0);
    const grown = runCli(['add', 'pipe', 'Route', '--cwd', 'plugin'], root);
    expect(grown.code, grown.stderr).toBe(0);
    expect(existsSync(join(plugin, 'src/otai_demo/pipes/route_pipe.py'))).toBe(true);
    expect([...readdirSync(root), ...readdirSync(plugin)].filter((name) => name.includes('.create-otai-plugin-'))).toEqual([]);
  }

  it.skipIf(!CAN_MOUNT)('of another file system (a container volume, say): staged inside, since a rename from its parent cannot reach it', () => {
    const root = sandbox('mount-point');
    const plugin = join(root, 'plugin');
    withTmpfs(plugin, '8m', () => createAndGrow(root, plugin));
  });

  it.skipIf(!CAN_MOUNT)('bound from the same disk: the move from beside fails (EXDEV), so it is staged again, inside', () => {
    const root = sandbox('bind-mount');
    const plugin = join(root, 'plugin');
    mkdirSync(join(root, 'real'));
    mkdirSync(plugin);
    expect(ok('mount', ['--bind', join(root, 'real'), plugin])).toBe(true);
    try {
      createAndGrow(root, plugin);
      expect(existsSync(join(root, 'real/pyproject.toml'))).toBe(true);
    } finally { ok('umount', [plugin]); }
  });
});

describe('add, as an unprivileged user', () => {
  /** otai-demo made in an open sandbox, and owned from `owned` down by the unprivileged user. */
  function plugin(label: string, owned: 'sandbox' | 'plugin'): { root: string; plugin: string } {
    const root = openSandbox(label);
    const made = runCli(['otai-demo', ...QUIET, '--dir', 'plugin'], root);
    expect(made.code, made.stderr).toBe(0);
    expect(ok('chown', ['-R', '65534', owned === 'sandbox' ? root : join(root, 'plugin')])).toBe(true);
    return { root, plugin: join(root, 'plugin') };
  }
  const add = (args: string[], root: string) => runCli(['add', ...args], root, testEnv(), { asUser: 65534 });

  it.skipIf(!CAN_SETPRIV)('grows a plugin whose parent folder it cannot write; a read-only tests/unit: exit 1, the file named, nothing changed', () => {
    // The sandbox (the parent) stays root's, 0755: add stages inside the plugin, which the user owns.
    const { root, plugin: dir } = plugin('add-eacces', 'plugin');
    const grown = add(['pipe', 'Route', '--cwd', dir, '--json'], root);
    expect(grown.code, grown.stderr).toBe(0);
    expect(existsSync(join(dir, 'src/otai_demo/pipes/route_pipe.py'))).toBe(true);
    chmodSync(join(dir, 'tests/unit'), 0o555);
    const before = snapshot(root);
    const refused = add(['pipe', 'Atom', '--cwd', dir], root);
    expectRefused(refused, 1, new RegExp(`Could not write ${dir}/tests/unit/test_atom_pipe\\.py: permission denied; make the plugin's folders writable for you and run again\\. Nothing was changed\\.`), root, before);
    expect(refused.stderr).not.toContain('--dir');
    chmodSync(join(dir, 'tests/unit'), 0o755);
    // A file it edits, in a folder it cannot write: that file named, not the backup beside it.
    chmodSync(join(dir, 'src/otai_demo'), 0o555);
    const beforeFactory = snapshot(root);
    const factory = add(['pipe', 'Atom', '--cwd', dir], root);
    expectRefused(factory, 1, new RegExp(`Could not write ${dir}/src/otai_demo/plugin_factory\\.py: permission denied`), root, beforeFactory);
    chmodSync(join(dir, 'src/otai_demo'), 0o755);
  });

  it.skipIf(!CAN_SETPRIV)('a --cwd the user cannot reach (a folder above it closed): exit 2, "cannot be read", not "does not exist" (QA report)', () => {
    const { root, plugin: dir } = plugin('add-unreachable', 'plugin');
    chmodSync(dir, 0o700);
    expect(ok('chown', ['0', dir])).toBe(true);
    const refused = add(['pipe', 'Route', '--cwd', join(dir, 'src')], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`The folder ${join(dir, 'src')} cannot be read (EACCES: permission denied)`);
    expect(refused.stderr).not.toContain('does not exist');
  });

  it.skipIf(!CAN_SETPRIV)('stages beside a plugin whose own folder it cannot write, and leaves no staging folder in it', () => {
    const { root, plugin: dir } = plugin('add-beside', 'sandbox');
    chmodSync(dir, 0o555);
    const grown = add(['pipe', 'Route', '--cwd', dir], root);
    expect(grown.code, grown.stderr).toBe(0);
    expect(existsSync(join(dir, 'src/otai_demo/pipes/route_pipe.py'))).toBe(true);
    expect([...readdirSync(root), ...readdirSync(dir)].filter((name) => name.includes('.create-otai-plugin-'))).toEqual([]);
  });
});

describe('the path is not a folder', () => {
  it('target is a file: exit 2, the file untouched; --json gets one error object', () => {
    const root = sandbox('target-file');
    writeFileSync(join(root, 'otai-demo'), 'a file\n');
    const before = snapshot(root);
    const result = runCli(['otai-demo', ...QUIET], root);
    expect(result.code).toBe(2);
    expectCleanError(result.stderr);
    expect(result.stderr).toMatch(/otai-demo is a file, not a folder; choose another --dir or move the file/);
    const json = runCli(['otai-demo', ...QUIET, '--json', '--force'], root);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'target_is_file', message: expect.stringContaining('is a file') } });
    expect(snapshot(root)).toEqual(before);
  });

  it('a path component is a file: exit 2, nothing created', () => {
    const root = sandbox('component-file');
    writeFileSync(join(root, 'work'), 'a file\n');
    const before = snapshot(root);
    const result = runCli(['otai-demo', ...QUIET, '--dir', 'work/sub/plugin'], root);
    expectRefused(result, 2, /work is a file, not a folder/, root, before);
  });

  it('--force where the plugin writes a file but a folder is, or needs a folder but a file is: exit 2, untouched', () => {
    const root = sandbox('force-shape');
    const target = join(root, 'plugin');
    userFolder(target);
    mkdirSync(join(target, 'LICENSE'));
    writeFileSync(join(target, 'LICENSE/inside.txt'), 'mine\n');
    const before = snapshot(root);
    const result = runCli(['otai-demo', ...QUIET, '--dir', 'plugin', '--force'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LICENSE is a folder, but the plugin writes a file there; move the folder/);
    rmSync(join(target, 'LICENSE'), { recursive: true });
    writeFileSync(join(target, 'src'), 'a file named src\n');
    const before2 = snapshot(root);
    const result2 = runCli(['otai-demo', ...QUIET, '--dir', 'plugin', '--force'], root);
    expect(result2.code).toBe(2);
    expect(result2.stderr).toMatch(/src is a file, but the plugin needs a folder there/);
    expect(snapshot(root)).toEqual(before2);
    expect(before).not.toEqual(before2);
  });

  it('the file-system root as target is refused (the staging folder would land inside it)', () => {
    const root = sandbox('root');
    const result = runCli(['otai-demo', ...QUIET, '--dir', '/', '--force', '--dry-run'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/root of the file system; choose a folder below it with --dir/);
  });
});

describe('names too long for the file system', () => {
  it('a folder name over 255 bytes, a path over PATH_MAX, a plugin or pipe name too long: exit 2, nothing created', () => {
    const root = sandbox('too-long');
    const before = snapshot(root);
    const cases: [string[], RegExp][] = [
      [['otai-demo', '--dir', 'x'.repeat(300)], /longer than the file system allows \(255 bytes\); choose a shorter --dir/],
      [['otai-demo', '--dir', `new/${'y'.repeat(256)}/plugin`], /longer than the file system allows/],
      [['otai-demo', '--dir', Array.from({ length: 20 }, () => 'z'.repeat(250)).join('/')], /too long for the file system; choose a shorter --dir/],
      [[`otai-${'a'.repeat(220)}`], /has 225 characters; shorten it to at most 80/],
      [['otai-demo', `--pipe=${'Very'.repeat(60)}`], /shorten it to at most 60/],
    ];
    for (const [args, message] of cases) {
      const result = runCli([...args, ...QUIET], root);
      expectRefused(result, 2, message, root, before);
    }
  });

  it('a path over PATH_MAX while staging, below parents it had to create: every folder it made is removed', async () => {
    const root = sandbox('too-long-write');
    // The target's folders fit in PATH_MAX (4096); the staged file's path does not.
    const target = join(root, ...Array.from({ length: 15 }, () => 'd'.repeat(250)));
    const files = [{ path: `src/${'f'.repeat(250)}/${'g'.repeat(250)}.py`, content: '' }];
    const before = snapshot(root);
    const error = await writeFiles(target, files, { exists: false, conflicts: [], nonEmpty: false }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    expect((error as CliError).message).toMatch(/a name is too long for the file system.*Nothing was changed/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('disk full', () => {
  it.skipIf(!CAN_MOUNT)('on a 64 KiB tmpfs, new target and --force into an existing folder: exit 1, disk untouched', () => {
    const root = sandbox('enospc');
    const disk = join(root, 'disk');
    withTmpfs(disk, '64k', () => {
      const before = snapshot(root);
      const result = runCli(['otai-demo', ...QUIET, '--dir', 'disk/plugin', MANY_PIPES], root);
      expectRefused(result, 1, /the disk is full; free some space and run again\. Nothing was changed\./, root, before);

      userFolder(join(disk, 'existing'));
      const beforeForce = snapshot(root);
      const forced = runCli(['otai-demo', ...QUIET, '--dir', 'disk/existing', '--force', MANY_PIPES], root);
      expect(forced.code, forced.stderr).toBe(1);
      expect(forced.stderr).toMatch(/the disk is full/);
      expect(snapshot(root)).toEqual(beforeForce);
    });
  });

  it('injected ENOSPC half-way through staging (runs without root too): target absent, no staging left', async () => {
    const root = sandbox('enospc-hook');
    const target = join(root, 'plugin');
    const files = await rendered(target);
    const before = snapshot(root);
    let n = 0;
    const error = await writeExpectingError(target, files, { step: (phase) => { if (phase === 'stage' && ++n === 8) throw errnoError('ENOSPC'); } });
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/disk is full.*Nothing was changed/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('symbolic links', () => {
  it('a symlinked target is refused, with or without --force; link and destination untouched', () => {
    const root = sandbox('symlink');
    userFolder(join(root, 'real'));
    symlinkSync('real', join(root, 'otai-demo'));
    const before = snapshot(root);
    for (const extra of [[], ['--force']]) {
      const result = runCli(['otai-demo', ...QUIET, ...extra], root);
      expect(result.code).toBe(2);
      expectCleanError(result.stderr);
      expect(result.stderr).toMatch(/is a symbolic link; pass the real folder with --dir/);
    }
    expect(snapshot(root)).toEqual(before);
  });

  it('a dangling link on the way to the target is refused with exit 2', () => {
    const root = sandbox('dangling');
    symlinkSync('missing', join(root, 'link'));
    const before = snapshot(root);
    const result = runCli(['otai-demo', ...QUIET, '--dir', 'link/plugin'], root);
    expectRefused(result, 2, /link is a symbolic link to something that does not exist; fix the link or choose another --dir/, root, before);
  });

  it('--force never writes through a link inside the target to a folder outside it', () => {
    const root = sandbox('symlink-inside');
    const target = join(root, 'plugin');
    userFolder(target);
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside/keep.txt'), 'outside\n');
    symlinkSync('../outside', join(target, 'src'));
    const before = snapshot(root);
    const result = runCli(['otai-demo', ...QUIET, '--dir', 'plugin', '--force'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/src is a symbolic link; the plugin would write through it/);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('--force into a folder people work in', () => {
  it('lists the files it replaces first; .git and files the plugin does not produce are untouched', () => {
    const root = sandbox('force');
    const target = join(root, 'plugin');
    userFolder(target);
    const before = snapshot(target)!;
    const refused = runCli(['otai-demo', ...QUIET, '--dir', 'plugin'], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists and is not empty\. Choose another folder with --dir, or pass --force/);
    expect(snapshot(target)).toEqual(before);

    const result = runCli(['otai-demo', ...QUIET, '--dir', 'plugin', '--force'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('Replacing 2 existing file(s) in ./plugin (--force):\n  .gitignore\n  README.md\n');
    const after = snapshot(target)!;
    for (const [path, entry] of Object.entries(before)) {
      if (path === '.gitignore' || path === 'README.md' || path === '.') continue;
      expect(after[path], path).toEqual(entry);
    }
    expect(readFileSync(join(target, 'README.md'), 'utf8')).toMatch(/^# otai-demo/);
    expect(existsSync(join(target, 'src/otai_demo/plugin_factory.py'))).toBe(true);
    expect(readdirSync(root)).toEqual(['plugin']);
  });
});

describe('failure in the middle of a --force move', () => {
  it('an injected I/O error after some files moved: every replaced file is back, byte for byte', async () => {
    const root = sandbox('mid-move');
    const target = join(root, 'plugin');
    userFolder(target);
    writeFileSync(join(target, 'pyproject.toml'), '[project]\nname = "mine"\n');
    const files = await rendered(target);
    const before = snapshot(root);
    let n = 0;
    // Fail at the 9th move: .gitignore, README.md and pyproject.toml are already replaced by then.
    const error = await writeExpectingError(target, files, { step: (phase) => { if (phase === 'move' && ++n === 9) throw errnoError('EIO'); } });
    expect(n).toBe(9);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/input\/output error.*Nothing was changed/);
    expect(snapshot(root)).toEqual(before);
  });

  it('SIGINT between two moves: rolled back, exit 130', async () => {
    const root = sandbox('mid-move-signal');
    const target = join(root, 'plugin');
    userFolder(target);
    const files = await rendered(target);
    const before = snapshot(root);
    let n = 0;
    const error = await writeExpectingError(target, files, { step: (phase) => { if (phase === 'move' && ++n === 5) cancelWrites('SIGINT'); } });
    expect(error.exitCode).toBe(130);
    expect(error.message).toMatch(/^Cancelled \(SIGINT\): nothing was written/);
    expect(snapshot(root)).toEqual(before);
  });

  it.skipIf(!CAN_CHATTR)('a real EPERM on tests/ (chattr +i) after the other files moved: built CLI exits 1, folder as before', () => {
    const root = sandbox('mid-move-chattr');
    const target = join(root, 'plugin');
    userFolder(target);
    mkdirSync(join(target, 'tests'));
    expect(ok('chattr', ['+i', join(target, 'tests')])).toBe(true);
    try {
      const before = snapshot(root);
      const result = runCli(['otai-demo', ...QUIET, '--dir', 'plugin', '--force'], root);
      expectRefused(result, 1, /Replacing 2 existing file\(s\)[\s\S]*Error: Could not write .*operation not permitted/, root, before);
    } finally { ok('chattr', ['-i', join(target, 'tests')]); }
  });

  it.skipIf(!CAN_CHATTR)('when even the rollback fails, the replaced originals are kept and the message says where', async () => {
    const root = sandbox('rollback-fails');
    const target = join(root, 'plugin');
    userFolder(target);
    const files = await rendered(target);
    const originals = { '.gitignore': readFileSync(join(target, '.gitignore')), 'README.md': readFileSync(join(target, 'README.md')) };
    let n = 0;
    try {
      // After README.md was replaced, freeze the target: the next move and every restore fail.
      const error = await writeExpectingError(target, files, { step: (phase) => { if (phase === 'move' && ++n === 9) expect(ok('chattr', ['+i', target])).toBe(true); } });
      expect(error.code).toBe('rollback_incomplete');
      const kept = /kept in (\S+); move them back/.exec(error.message)?.[1];
      expect(kept, error.message).toBeDefined();
      expect(dirname(dirname(kept!))).toBe(root);
      expect(readFileSync(join(kept!, 'README.md'))).toEqual(originals['README.md']);
      expect(readFileSync(join(kept!, '.gitignore'))).toEqual(originals['.gitignore']);
    } finally { ok('chattr', ['-i', target]); }
  });
});

describe('nothing lands outside the target', () => {
  it('the writer refuses paths that leave the target or touch .git', async () => {
    const root = sandbox('escape');
    const target = join(root, 'plugin');
    const before = snapshot(root);
    for (const path of ['../escape.txt', '/tmp/abs.txt', 'src/../../escape.txt', '.git/config', 'a\0b', 'a//b', './a', 'a\\..\\b', 'C:/x', 'C:x', 'src/x:stream']) {
      const files = [{ path: 'README.md', content: 'x' }, { path, content: 'x' }];
      expect(() => inspectTarget(target, files), path).toThrow(/would leave the plugin folder or touch \.git/);
      const error = await writeFiles(target, files, { exists: false, conflicts: [], nonEmpty: false }).then(() => undefined, (e: unknown) => e);
      expect((error as CliError).exitCode, path).toBe(2);
    }
    expect(snapshot(root)).toEqual(before);
  });

  it('a NUL byte in any flag: exit 2, nothing written', async () => {
    const root = sandbox('nul');
    for (const flag of ['name', 'dir', 'description', 'author', 'email', 'pipe', 'service', 'python', 'otai-version', 'license', 'build-backend']) {
      const args = flag === 'name' ? [`--name=otai-a\0b`] : ['otai-demo', `--${flag}=a\0b`];
      const result = await runMain([...args, ...QUIET, '--author=A', '--email='].filter((a, i, all) => all.findIndex((b) => b.split('=')[0] === a.split('=')[0]) === i), root);
      expect(result.code, flag).toBe(2);
      expect(result.stderr).toMatch(/contains a NUL byte; remove it/);
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('--dir with .. or an absolute path is the user\'s choice: every file lands inside that resolved folder', () => {
    const root = sandbox('dotdot');
    mkdirSync(join(root, 'work'));
    const result = runCli(['otai-demo', ...QUIET, '--dir', '../elsewhere/x/../plugin'], join(root, 'work'));
    expect(result.code, result.stderr).toBe(0);
    const entries = Object.keys(snapshot(root)!);
    expect(entries.filter((p) => p !== '.' && p !== 'work' && p !== 'elsewhere' && !p.startsWith('elsewhere/plugin'))).toEqual([]);
    expect(readdirSync(join(root, 'elsewhere'))).toEqual(['plugin']);
  });
});

describe('error output', () => {
  let err = '';
  const throwingIo = () => ({ out: () => { throw new Error('stdout closed'); }, err: (t: string) => { err += t; } });
  it('an unexpected error shows no stack trace unless DEBUG is set, and says what to do', async () => {
    const saved = process.env.DEBUG;
    try {
      delete process.env.DEBUG;
      err = '';
      expect(await main(['--version'], throwingIo(), '/')).toBe(1);
      expect(err).toBe('Error: stdout closed\nThis is unexpected; run again with DEBUG=1 for details and report it.\n');
      process.env.DEBUG = '1';
      err = '';
      expect(await main(['--version'], throwingIo(), '/')).toBe(1);
      expect(err).toMatch(/^Error: stdout closed\n\s+at /);
    } finally {
      if (saved === undefined) delete process.env.DEBUG; else process.env.DEBUG = saved;
    }
  });

  it('control characters from the input are shown escaped, never sent to the terminal', async () => {
    const result = await runMain(['otai-\u001b[2Jx', ...QUIET], sandbox('escape-seq'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('otai-\\u001b[2Jx');
    expect(result.stderr).not.toContain('\u001b');
  });
});
