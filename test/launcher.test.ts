// dist/launcher.js: the answers it gives without loading the CLI, and the compile cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_ENGINES, supportedNode, unsupportedNodeMessage } from '../src/node-version.js';
import { which } from '../src/steps/run.js';
import { BIN, bundleEntryName, copyPackage, launchedPackage, ROOT, runCli, runMain, tempDir, testEnv } from './helpers/cli.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/launcher.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
});

/** What the build's table answers (scripts/build.mjs, ANSWER_ARGV), which the bin lists again. */
const TABLE_ARGV = [['--help'], ['-h'], ['--version'], ['-v'], ['add', '--help'], ['add', '-h'], ['add', '--version'], ['add', '-v']];

describe('answers from the table', () => {
  it.each(TABLE_ARGV)(
    '`%s %s` prints what the CLI itself prints, exit 0', async (...argv) => {
      const cwd = tempDir();
      const built = runCli(argv, cwd);
      const inProcess = await runMain(argv, cwd);
      expect(inProcess.code).toBe(0);
      expect(built).toEqual({ code: 0, signal: null, stdout: inProcess.stdout, stderr: '' });
    });

  it('leaves every other argv to the CLI: --help after another flag, and a bad flag before it', () => {
    const cwd = tempDir();
    expect(runCli(['--yes', '--help'], cwd).stdout).toBe(runCli(['--help'], cwd).stdout);
    const bad = runCli(['--bogus', '--help'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option --bogus/);
  });
});

describe('the Node version', () => {
  it('is checked as package.json\'s engines says (QA report: Node 21 and below 20.13 crashed in the prompts)', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node).toBe(NODE_ENGINES);
    const versions = { '18.20.8': false, '20.12.2': false, '20.13.0': true, '20.20.2': true, '21.0.0': false, '21.7.3': false, '22.0.0': true, '24.11.1': true, '26.12.1': true };
    expect(Object.fromEntries(Object.keys(versions).map((v) => [v, supportedNode(v)]))).toEqual(versions);
  });

  it('is built in syntax an old Node parses, so that it can say so there (review: `??=` is Node 15+)', () => {
    // The bin too, which runs first; and it requires no `node:` specifier (Node 14.18 and later).
    for (const file of ['dist/launcher.js', 'bin/create-otai-plugin.cjs']) {
      const code = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
      // Nullish coalescing, its assignment and optional chaining: Node 14 and 15.
      expect(code, file).not.toMatch(/\?\?|\?\.(?!\d)/);
      expect(code, file).not.toMatch(/require\(['"]node:/);
    }
  });

  it('on another Node, says which is needed, exit 1, nothing written (with --json, as its one object); --help and --version alone still answer', () => {
    const cwd = tempDir();
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    // A package whose bundle kept its code beside it for this Node, which another Node must not use.
    const bin = join(copyPackage(), 'bin/create-otai-plugin.cjs');
    expect(generate(bin, testEnv()).code).toBe(0);
    // A Node 21, and a Node 16.8 (review: it lacks Object.hasOwn and getActiveResourcesInfo, and crashed).
    for (const [node, lacks] of [['21.7.3', ''], ['16.8.0', 'delete Object.hasOwn; delete process.getActiveResourcesInfo;\n']] as const) {
      // In a folder of its own (removed after the file even when a check fails), not in cwd, which must stay empty.
      const fake = join(tempDir('otai-fake-node-'), `fake-node-${node}.cjs`);
      writeFileSync(fake, `Object.defineProperty(process.versions, 'node', { value: '${node}' });\n${lacks}`);
      const run = (...argv: string[]) => spawnSync(process.execPath, ['-r', fake, bin, ...argv], { cwd, encoding: 'utf8', env: testEnv() });
      const r = run('otai-x', '--yes', '--no-git', '--no-install');
      expect([r.status, r.stdout, r.stderr]).toEqual([1, '', unsupportedNodeMessage(node)]);
      expect(r.stderr).toMatch(new RegExp(`needs Node\\.js 20\\.13 or later, and not 21 .* this is Node\\.js v${node.replaceAll('.', '\\.')}\\. Install a current Node\\.js LTS`));
      const json = run('otai-x', '--yes', '--json');
      expect([json.status, JSON.parse(json.stdout)]).toEqual([1, { error: { code: 'unsupported_node', message: unsupportedNodeMessage(node).trim() } }]);
      // After `--`, `--json` is a name, not the flag: the message alone (review).
      const positional = run('--yes', '--', '--json');
      expect([positional.status, positional.stdout, positional.stderr]).toEqual([1, '', unsupportedNodeMessage(node)]);
      expect(readdirSync(cwd)).toEqual([]);
      expect([run('--version').status, run('--version').stdout.trim()]).toEqual([0, version]);
    }
  });
});

describe('what a run loads', () => {
  // A preload that reports, at exit, the Node modules and the files of this package that were loaded.
  const probe = join(tempDir('otai-probe-'), 'probe.cjs');
  writeFileSync(probe, "process.on('exit', () => require('node:fs').writeSync(2, `\\nLOADED ${JSON.stringify({ node: process.moduleLoadList, files: Object.keys(require.cache) })}\\n`));\n");
  function loaded(argv: string[], pkg = ROOT) {
    const cwd = tempDir();
    const r = spawnSync(process.execPath, ['--require', probe, join(pkg, 'bin/create-otai-plugin.cjs'), ...argv], { cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status, r.stderr).toBe(0);
    const { node, files } = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('\nLOADED ') + 8)) as { node: string[]; files: string[] };
    return { node: node.map((m) => m.replace(/^NativeModule /, '')), files: files.filter((f) => f.startsWith(pkg)).map((f) => relative(pkg, f)) };
  }
  // Requiring node:module runs lib/module.js, which loads the ESM loader and source maps (~1 ms).
  const NEVER = ['internal/modules/esm/loader', 'internal/source_map/source_map', 'child_process', 'readline'];

  it('--help: the launcher alone, no compile cache (node:vm) and no bundle', () => {
    const { node, files } = loaded(['--help']);
    expect(files).toEqual(['bin/create-otai-plugin.cjs', 'dist/launcher.js']);
    expect(node.filter((m) => [...NEVER, 'vm'].includes(m))).toEqual([]);
  });

  it('the default plugin, non-interactive: the bundle, without the prompt library, child_process or the ESM loader; once a run has kept its code beside it, without the launcher', () => {
    const pkg = copyPackage();
    const argv = ['otai-probe', '--yes', '--no-git', '--no-install'];
    const first = loaded(argv, pkg);
    expect(first.files).toEqual(['bin/create-otai-plugin.cjs', 'dist/launcher.js', 'dist/cli.js']);
    const usual = loaded(argv, pkg);
    expect(usual.files).toEqual(['bin/create-otai-plugin.cjs', 'dist/cli.js']);
    for (const { node } of [first, usual]) expect(node.filter((m) => NEVER.includes(m))).toEqual([]);
  });

  it('a long license text: its templates file too, only then', () => {
    const pkg = copyPackage();
    const argv = ['otai-probe', '--license', 'GPL-3.0-only', '--yes', '--no-git', '--no-install'];
    expect(loaded(argv, pkg).files).toEqual(['bin/create-otai-plugin.cjs', 'dist/launcher.js', 'dist/cli.js', 'dist/long-templates.js']);
    expect(loaded(argv, pkg).files).toEqual(['bin/create-otai-plugin.cjs', 'dist/cli.js', 'dist/long-templates.js']);
  });
});

/** A copy of the package that runs through the launcher, run once with a cache of its own: its one entry is `old`. */
function cachedCopy() {
  const bin = launchedPackage();
  const pkg = join(bin, '../..');
  const cache = tempDir('otai-cc-');
  const env = testEnv({ NODE_COMPILE_CACHE: cache });
  const dir = join(cache, 'create-otai-plugin');
  expect(generate(bin, env).code).toBe(0);
  const [old] = entries(dir);
  return { pkg, bin, env, dir, old: old! };
}
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
/** Ways a cache entry can be damaged, for both caches: each must be refused, or rejected by V8. */
const DAMAGES: Array<[string, (b: Buffer) => Buffer]> = [
  ['all bytes', (b) => Buffer.alloc(b.length, 0x5a)],
  ['cut short, as a write that stopped half-way would leave it', (b) => b.subarray(0, b.length >> 1)],
  ['a byte more', (b) => Buffer.concat([b, Buffer.alloc(1)])],
  ["V8's own header damaged (V8 refuses it)", (b) => { const c = Buffer.from(b); for (let i = 8; i < 24; i++) c[i] = 0; return c; }],
];
/** A new cache folder after one default run: its environment, the folder, that run's result and its entry. */
function warmCache() {
  const cache = tempDir('otai-cc-');
  const env = testEnv({ NODE_COMPILE_CACHE: cache });
  const dir = join(cache, 'create-otai-plugin');
  const good = generate(LAUNCHED(), env);
  const [entry] = entries(dir);
  return { env, dir, good, entry: entry! };
}
function generate(bin: string, env: NodeJS.ProcessEnv, name = 'otai-cached', extra: string[] = []) {
  const cwd = tempDir();
  const r = spawnSync(process.execPath, [bin, name, '--yes', '--no-git', '--no-install', '--json', ...extra], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // The same result wherever it was written.
  return { code: r.status, stdout: r.stdout.replaceAll(cwd, '<cwd>'), stderr: r.stderr, pyproject: existsSync(join(cwd, name, 'pyproject.toml')) };
}

/**
 * The user's cache folder serves the runs that go through the launcher: a copy of the package whose
 * dist/ cannot hold the bundle's own entry (the bin's, tested below) takes that way every time.
 */
let launched: string | undefined;
const LAUNCHED = () => (launched ??= launchedPackage());

describe('compile cache', () => {
  it('keeps a partial entry from a run that wrote nothing, until a run that writes a plugin replaces it once', () => {
    const cache = tempDir('otai-cc-');
    const env = testEnv({ NODE_COMPILE_CACHE: cache });
    const dir = join(cache, 'create-otai-plugin');
    const cwd = tempDir();
    expect(spawnSync(process.execPath, [LAUNCHED(), 'otai-dry', '--yes', '--dry-run'], { cwd, env }).status).toBe(0);
    const partial = entries(dir);
    expect(partial).toEqual([expect.stringMatching(/\.partial\.bin$/)]);
    expect(spawnSync(process.execPath, [LAUNCHED(), 'bad name'], { cwd, env }).status).toBe(2);
    expect(entries(dir)).toEqual(partial);
    expect(generate(LAUNCHED(), env).code).toBe(0);
    const complete = entries(dir);
    expect(complete).toEqual([partial[0]!.replace('.partial.bin', '.bin')]);
    const mtime = statSync(join(dir, complete[0]!)).mtimeMs;
    expect(spawnSync(process.execPath, [LAUNCHED(), 'otai-dry', '--yes', '--dry-run'], { cwd, env }).status).toBe(0);
    expect(generate(LAUNCHED(), env).code).toBe(0);
    expect(entries(dir)).toEqual(complete);
    expect(statSync(join(dir, complete[0]!)).mtimeMs).toBe(mtime);
  });

  it('is written by the first run into $NODE_COMPILE_CACHE, read by the next without rewriting it', () => {
    const cache = tempDir('otai-cc-');
    const env = testEnv({ NODE_COMPILE_CACHE: cache });
    const dir = join(cache, 'create-otai-plugin');
    const first = generate(LAUNCHED(), env);
    expect(first).toMatchObject({ code: 0, stderr: '', pyproject: true });
    const written = entries(dir);
    expect(written.length).toBe(1); // dist/cli.js; the prompt library is not loaded without prompts
    const before = statSync(join(dir, written[0]!));
    const second = generate(LAUNCHED(), env);
    expect(second).toEqual(first);
    expect(entries(dir)).toEqual(written);
    expect(statSync(join(dir, written[0]!)).mtimeMs).toBe(before.mtimeMs);
  });

  it('defaults to $XDG_CACHE_HOME/create-otai-plugin/compile-cache, and to ~/.cache without it', () => {
    const xdg = tempDir('otai-xdg-');
    const env = testEnv({ XDG_CACHE_HOME: xdg });
    expect(generate(LAUNCHED(), env).code).toBe(0);
    expect(entries(join(xdg, 'create-otai-plugin/compile-cache')).length).toBe(1);
    const home = testEnv();
    delete home.XDG_CACHE_HOME;
    expect(generate(LAUNCHED(), home).code).toBe(0);
    expect(entries(join(home.HOME!, '.cache/create-otai-plugin/compile-cache')).length).toBe(1);
  });

  it('never makes the home folder itself: with a HOME that does not exist, the run works and writes no cache (QA report: made as root)', () => {
    const missing = join(tempDir('otai-nohome-'), 'nonexistent');
    const env = testEnv({ HOME: missing });
    delete env.XDG_CACHE_HOME;
    delete env.NODE_COMPILE_CACHE;
    expect(generate(LAUNCHED(), env)).toMatchObject({ code: 0, stderr: '', pyproject: true });
    expect(existsSync(missing)).toBe(false);
    // Nor the folder above $NODE_COMPILE_CACHE (review); that folder itself, or $XDG_CACHE_HOME, is made.
    const base = tempDir('otai-cc-base-');
    expect(generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: join(base, 'nohome/cc') })).code).toBe(0);
    expect(existsSync(join(base, 'nohome'))).toBe(false);
    expect(generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: join(base, 'cc') })).code).toBe(0);
    expect(entries(join(base, 'cc/create-otai-plugin')).length).toBe(1);
    expect(generate(LAUNCHED(), testEnv({ XDG_CACHE_HOME: join(base, 'xdg') })).code).toBe(0);
    expect(entries(join(base, 'xdg/create-otai-plugin/compile-cache')).length).toBe(1);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE: nothing written', () => {
    const cache = tempDir('otai-cc-');
    expect(generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    expect(entries(cache)).toEqual([]);
  });

  it('survives an entry that is foreign, short, long or with a damaged header: same output, entry replaced', () => {
    const { env, dir, good, entry } = warmCache();
    const path = join(dir, entry);
    const original = readFileSync(path);
    for (const [what, damage] of DAMAGES) {
      writeFileSync(path, damage(original));
      expect(generate(LAUNCHED(), env), what).toEqual(good);
      expect(readFileSync(path).equals(damage(original)), what).toBe(false);
      expect(generate(LAUNCHED(), env), what).toEqual(good);
    }
  });

  it('is not used in a folder others may write to, nor under a relative XDG_CACHE_HOME', () => {
    if (process.getuid?.() === undefined) return;
    const open = tempDir('otai-cc-');
    mkdirSync(join(open, 'create-otai-plugin'));
    chmodSync(join(open, 'create-otai-plugin'), 0o777);
    expect(generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: open })).code).toBe(0);
    expect(entries(join(open, 'create-otai-plugin'))).toEqual([]);
    const cwd = tempDir();
    const r = spawnSync(process.execPath, [LAUNCHED(), 'otai-rel', '--yes', '--no-git', '--no-install'], { cwd, env: testEnv({ XDG_CACHE_HOME: '.cache' }), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(existsSync(join(cwd, '.cache'))).toBe(false);
  });

  it('is not used through a link, nor below a folder others may write to: nothing read, written or removed there', () => {
    if (process.getuid?.() === undefined) return;
    // A link where the cache folder goes, to a folder of the user's with an old file in it.
    const elsewhere = tempDir('otai-victim-');
    writeFileSync(join(elsewhere, 'old.txt'), 'keep\n');
    utimesSync(join(elsewhere, 'old.txt'), new Date('2020-01-01'), new Date('2020-01-01'));
    const linked = tempDir('otai-cc-');
    symlinkSync(elsewhere, join(linked, 'create-otai-plugin'));
    // Whoever may write to the folder above could swap the cache folder during a run.
    const shared = tempDir('otai-cc-');
    chmodSync(shared, 0o777);
    // A link above the cache to a folder of the user's in such a folder: checked where it leads.
    const real = join(shared, 'mine');
    mkdirSync(real, { mode: 0o700 });
    const viaLink = join(tempDir('otai-cc-'), 'cache');
    symlinkSync(real, viaLink);
    for (const cache of [linked, shared, viaLink]) expect(generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: cache }))).toMatchObject({ code: 0, stderr: '', pyproject: true });
    expect(readdirSync(elsewhere)).toEqual(['old.txt']);
    expect(entries(join(shared, 'create-otai-plugin'))).toEqual([]);
    expect(entries(real)).toEqual([]);
  });

  it('is not used below a folder writable by a group the user shares (gid not the user\'s own number)', () => {
    if (process.getuid?.() !== 0 || !which('setpriv')) return;
    const base = tempDir('otai-cc-');
    chmodSync(base, 0o755);
    const group = join(base, 'group');
    mkdirSync(group);
    chmodSync(group, 0o775);
    chownSync(group, 65534, 100);
    const run = (gid: number) => spawnSync('setpriv', [`--reuid=65534`, `--regid=${gid}`, '--clear-groups', process.execPath, LAUNCHED(), 'otai-g', '--yes', '--no-git', '--no-install', '--dry-run'], { cwd: base, env: testEnv({ NODE_COMPILE_CACHE: group, HOME: base }), encoding: 'utf8' });
    expect(run(100).status).toBe(0);
    expect(entries(join(group, 'create-otai-plugin'))).toEqual([]);
    // The same folder, its group the user's private one (the same number as the user): used.
    chownSync(group, 65534, 65534);
    expect(run(65534).status).toBe(0);
    expect(entries(join(group, 'create-otai-plugin')).length).toBe(1);
  });

  it('removes only its own old entries, and ignores an entry that is not a regular file (a FIFO would block the read)', () => {
    const { env, dir, good, entry } = warmCache();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    utimesSync(join(dir, 'notes.txt'), new Date('2020-01-01'), new Date('2020-01-01'));
    rmSync(join(dir, entry));
    execFileSync('mkfifo', [join(dir, entry)]);
    const cwd = tempDir();
    const r = spawnSync(process.execPath, [LAUNCHED(), 'otai-cached', '--yes', '--no-git', '--no-install', '--json'], { cwd, env, encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect({ code: r.status, stdout: r.stdout.replaceAll(cwd, '<cwd>'), stderr: r.stderr }).toEqual({ code: good.code, stdout: good.stdout, stderr: '' });
    expect(readdirSync(dir)).toContain('notes.txt');
  });

  it('never fails a run when the cache folder cannot be written', () => {
    const cache = tempDir('otai-cc-');
    mkdirSync(join(cache, 'create-otai-plugin'));
    writeFileSync(join(cache, 'create-otai-plugin', 'x'), '');
    chmodSync(join(cache, 'create-otai-plugin'), 0o500); // root ignores the mode: the file below covers root
    const asFile = tempDir('otai-cc-');
    writeFileSync(join(asFile, 'create-otai-plugin'), 'a file where the folder goes');
    for (const where of [cache, asFile]) {
      const r = generate(LAUNCHED(), testEnv({ NODE_COMPILE_CACHE: where }));
      expect(r).toMatchObject({ code: 0, stderr: '', pyproject: true });
    }
  });

  it('gives a new build (another digest, same size and mtime) a new entry', () => {
    const { pkg, bin, env, dir, old } = cachedCopy();
    const digest = old.split('-')[1]!;
    const launcher = join(pkg, 'dist/launcher.js');
    const text = readFileSync(launcher, 'utf8');
    expect(text).toContain(digest);
    writeFileSync(launcher, text.replace(digest, [...digest].reverse().join('')));
    expect(generate(bin, env).code).toBe(0);
    expect(entries(dir)).toEqual([old.replace(digest, [...digest].reverse().join(''))]);
  });

  it('gives a changed dist file a new entry and drops the old one, so old code never runs', () => {
    const { pkg, bin, env, dir, old } = cachedCopy();
    // The same length, different code: V8 alone would accept the old entry for it.
    const cli = join(pkg, 'dist/cli.js');
    const source = readFileSync(cli, 'utf8');
    const marker = 'start a new Open Ticket AI plugin';
    expect(source).toContain(marker);
    writeFileSync(cli, source.replace(marker, marker.toUpperCase()));
    const r = spawnSync(process.execPath, [bin, '--yes', '--no-such-flag'], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    const changed = entries(dir);
    expect(changed.length).toBe(1);
    expect(changed[0]).not.toBe(old);
    const help = spawnSync(process.execPath, [bin, '--json', '--help'], { env, encoding: 'utf8' });
    expect(help.stdout).toContain(marker.toUpperCase());
  });
});

describe("the bundle's entries beside it in dist/", () => {
  const besideEntries = (pkg: string) => readdirSync(join(pkg, 'dist')).filter((name) => name.startsWith('.')).sort();
  function copy() {
    const pkg = copyPackage();
    const cache = tempDir('otai-cc-');
    return { pkg, bin: join(pkg, 'bin/create-otai-plugin.cjs'), env: testEnv({ NODE_COMPILE_CACHE: cache }), cacheDir: join(cache, 'create-otai-plugin') };
  }
  const mtimeOf = (pkg: string, name: string) => statSync(join(pkg, 'dist', name)).mtimeMs;

  it('are written by a run that writes a plugin and read by the next without rewriting them; table answers, NODE_DISABLE_COMPILE_CACHE and runs that write no plugin write none', () => {
    const { pkg, bin, env, cacheDir } = copy();
    for (const argv of TABLE_ARGV) expect(spawnSync(process.execPath, [bin, ...argv], { env }).status).toBe(0);
    expect(generate(bin, { ...env, NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
    const cwd = tempDir();
    expect(spawnSync(process.execPath, [bin, 'otai-dry', '--yes', '--dry-run'], { cwd, env }).status).toBe(0);
    expect(spawnSync(process.execPath, [bin, 'bad name'], { cwd, env }).status).toBe(2);
    expect(besideEntries(pkg)).toEqual([]);
    // The dry run went through the launcher, whose cache folder got its (partial) entry.
    expect(entries(cacheDir)).toEqual([expect.stringMatching(/\.partial\.bin$/)]);
    const first = generate(bin, env);
    expect(first).toMatchObject({ code: 0, stderr: '', pyproject: true });
    // Kept beside the bundle, and only there: the cache folder's older entry goes, none is written.
    expect(entries(cacheDir)).toEqual([]);
    const entry = bundleEntryName(pkg);
    expect(entry).toMatch(new RegExp(`^\\.cli\\.js-[0-9a-f]{16}-\\d+-[\\d.]+-v${process.versions.node.replaceAll('.', '\\.')}-${process.arch}\\.bin$`));
    expect(besideEntries(pkg)).toEqual([entry]);
    const mtime = mtimeOf(pkg, entry);
    // Not rewritten: a missing, refused or rejected entry would be.
    expect(generate(bin, env)).toEqual(first);
    expect(spawnSync(process.execPath, [bin, 'otai-dry', '--yes', '--dry-run'], { cwd, env }).status).toBe(0);
    expect(besideEntries(pkg)).toEqual([entry]);
    expect(mtimeOf(pkg, entry)).toBe(mtime);
    // An error from the bundle started from its entry: as from the launcher's way.
    const refused = spawnSync(process.execPath, [bin, 'bad name', '--json'], { cwd, env, encoding: 'utf8' });
    expect([refused.status, refused.stdout]).toEqual([2, expect.stringContaining('"code":"invalid_name"')]);
    const launched = spawnSync(process.execPath, [bin, 'bad name', '--json'], { cwd, env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' }, encoding: 'utf8' });
    expect([refused.status, refused.stdout, refused.stderr]).toEqual([launched.status, launched.stdout, launched.stderr]);
    // The long license texts, a file the bundle requires: an entry of its own, from the first run
    // that renders one, and the same output from it.
    const gpl = generate(bin, env, 'otai-gpl', ['--license', 'GPL-3.0-only']);
    expect(gpl).toMatchObject({ code: 0, stderr: '', pyproject: true });
    const texts = besideEntries(pkg).find((name) => name.startsWith('.long-templates.js-'));
    expect(texts).toBeDefined();
    const textsMtime = mtimeOf(pkg, texts!);
    expect(generate(bin, env, 'otai-gpl', ['--license', 'GPL-3.0-only'])).toEqual(gpl);
    expect(mtimeOf(pkg, texts!)).toBe(textsMtime);
    expect(besideEntries(pkg)).toEqual([entry, texts].sort());
  });

  it('survive an entry that is damaged, short, a device, a FIFO or a folder: same output, a good entry after, no temporary file left', () => {
    const { pkg, bin, env } = copy();
    const good = generate(bin, env);
    const entry = bundleEntryName(pkg);
    const path = join(pkg, 'dist', entry);
    const original = readFileSync(path);
    // A whole entry again (its length as its header says), which the next run keeps.
    const whole = (what: string) => {
      const bytes = readFileSync(path);
      expect([bytes.subarray(0, 4).toString(), bytes.readUInt32LE(4)], what).toEqual(['OTC2', bytes.length - 8]);
      const mtime = statSync(path).mtimeMs;
      expect(generate(bin, env), what).toEqual(good);
      expect(statSync(path).mtimeMs, what).toBe(mtime);
    };
    for (const [what, damage] of DAMAGES) {
      writeFileSync(path, damage(original));
      expect(generate(bin, env), what).toEqual(good);
      whole(what);
    }
    // A device would never end a read: /dev/zero's, readable by all, writable by its owner alone
    // (as root; else a link to /dev/zero).
    const device = (at: string) => {
      try { execFileSync('mknod', [at, 'c', '1', '5'], { stdio: 'ignore' }); chmodSync(at, 0o644); } catch { symlinkSync('/dev/zero', at); }
    };
    for (const what of ['device', 'fifo', 'folder']) {
      rmSync(path, { recursive: true, force: true });
      if (what === 'device') device(path); else if (what === 'fifo') execFileSync('mkfifo', [path]); else mkdirSync(path);
      const cwd = tempDir();
      const r = spawnSync(process.execPath, [bin, 'otai-cached', '--yes', '--no-git', '--no-install', '--json'], { cwd, env, encoding: 'utf8', timeout: 20_000 });
      expect(r.error, what).toBeUndefined();
      expect({ code: r.status, stdout: r.stdout.replaceAll(cwd, '<cwd>'), stderr: r.stderr }, what).toEqual({ code: good.code, stdout: good.stdout, stderr: '' });
      expect(readdirSync(join(pkg, 'dist')).filter((name) => name.endsWith('.tmp')), what).toEqual([]);
      // A device or a FIFO gives way to a whole entry; a folder stays (the runs go through the launcher).
      if (what === 'folder') expect(statSync(path).isDirectory()).toBe(true); else whole(what);
    }
  });

  it('are used only when the file\'s owner or the user wrote them and no one else may change them', () => {
    if (process.getuid?.() !== 0) return;
    const { pkg, bin, env } = copy();
    // Both copies' cli.js with one mtime (a Date keeps milliseconds only).
    const when = new Date('2026-01-01T00:00:00Z');
    utimesSync(join(pkg, 'dist/cli.js'), when, when);
    const good = spawnSync(process.execPath, [bin, 'otai-owned', '--yes', '--no-git', '--no-install'], { cwd: tempDir(), env, encoding: 'utf8' });
    expect(good.stdout).toContain('Next steps:');
    // Another build's entry under this name: its cli.js differs in a text every plugin run prints,
    // with the same length and mtime.
    const other = copy();
    const cli = join(other.pkg, 'dist/cli.js');
    writeFileSync(cli, readFileSync(cli, 'utf8').replace('Next steps:', 'NEXT STEPS:'));
    utimesSync(cli, when, when);
    // A run that prints the report, so that the entry holds the code that prints it.
    expect(spawnSync(process.execPath, [other.bin, 'otai-other', '--yes', '--no-git', '--no-install'], { cwd: tempDir(), env: other.env }).status).toBe(0);
    const entry = join(pkg, 'dist', bundleEntryName(pkg));
    expect(bundleEntryName(other.pkg)).toBe(bundleEntryName(pkg));
    const planted = readFileSync(join(other.pkg, 'dist', bundleEntryName(other.pkg)));
    const run = () => spawnSync(process.execPath, [bin, 'otai-owned', '--yes', '--no-git', '--no-install'], { cwd: tempDir(), env, encoding: 'utf8' }).stdout;
    for (const [what, plant] of [['owned by another user', () => chownSync(entry, 65534, 65534)], ['writable by others', () => chmodSync(entry, 0o646)]] as const) {
      writeFileSync(entry, planted);
      plant();
      expect(run(), what).toBe(good.stdout);
    }
    // Written by the user, with nothing else to tell (V8 checks only the source's length): used.
    // So a copy of another build's file over this one by hand needs its entries deleted.
    writeFileSync(entry, planted, { mode: 0o644 });
    chownSync(entry, 0, 0);
    chmodSync(entry, 0o644);
    expect(run()).toContain('NEXT STEPS:');
  });

  it('are no more writable than the file they hold, whatever the umask', () => {
    const { pkg, bin, env } = copy();
    chmodSync(join(pkg, 'dist/cli.js'), 0o640);
    const cwd = tempDir();
    execFileSync('sh', ['-c', 'umask 002 && exec "$0" "$@"', process.execPath, bin, 'otai-cached', '--yes', '--no-git', '--no-install'], { cwd, env, stdio: 'ignore' });
    expect(statSync(join(pkg, 'dist', bundleEntryName(pkg))).mode & 0o777).toBe(0o640);
  });

  it('replace the entries of other builds and Node versions, and a changed cli.js gets a new one, so old code never runs', () => {
    const { pkg, bin, env } = copy();
    const other = join(pkg, 'dist', `.cli.js-0123456789abcdef-1-1-v20.0.0-${process.arch}.bin`);
    writeFileSync(other, 'OTC2');
    // And what a run killed while writing left.
    writeFileSync(join(pkg, 'dist', `${bundleEntryName(pkg)}.4242-x1y2.tmp`), 'OTC2');
    expect(generate(bin, env).code).toBe(0);
    const old = bundleEntryName(pkg);
    expect(besideEntries(pkg)).toEqual([old]);
    // The same length, another text: V8 alone would take the old entry for it.
    const cli = join(pkg, 'dist/cli.js');
    const source = readFileSync(cli, 'utf8');
    const marker = 'start a new Open Ticket AI plugin';
    expect(source).toContain(marker);
    writeFileSync(cli, source.replace(marker, marker.toUpperCase()));
    utimesSync(cli, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    expect(generate(bin, env).code).toBe(0);
    expect(besideEntries(pkg)).toEqual([bundleEntryName(pkg)]);
    expect(bundleEntryName(pkg)).not.toBe(old);
    // Past the table, so the bundle answers, compiled from its new entry.
    const help = spawnSync(process.execPath, [bin, '--json', '--help'], { env, encoding: 'utf8' });
    expect(help.stdout).toContain(marker.toUpperCase());
  });
});
