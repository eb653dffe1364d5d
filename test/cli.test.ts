// The built CLI as a user runs it: a subprocess in a temp folder, no standard input.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/paths.js';
import { sh } from '../src/options/reproduce.js';
import { BIN, nameList, ROOT, readTree, runCli, tempDir, testEnv } from './helpers/cli.js';
import { OPTION_SETS } from './helpers/sets.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { which } from '../src/steps/run.js';

beforeAll(() => {
  // Tests run the real bundle; build it once (npm test builds too, this covers `vitest` alone).
  if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
});

/** An environment whose `uv` is this shell script. */
function fakeUv(script: string): NodeJS.ProcessEnv {
  const bin = tempDir('otai-fake-uv-');
  writeFileSync(join(bin, 'uv'), `#!/bin/sh\n${script}`, { mode: 0o755 });
  return testEnv({ PATH: `${bin}:${process.env.PATH}` });
}

/** The built CLI in the background; resolves with its exit once a file appears and it got `signal`. */
function signalWhen(args: string[], cwd: string, env: NodeJS.ProcessEnv, marker: string, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    let sent = 0;
    const poll = setInterval(() => { if (existsSync(marker)) { clearInterval(poll); sent = Date.now(); child.kill(signal); } }, 20);
    const limit = setTimeout(() => { clearInterval(poll); child.kill('SIGKILL'); reject(new Error(`no exit; stderr: ${stderr}`)); }, 20_000);
    child.on('close', (code) => { clearInterval(poll); clearTimeout(limit); resolve({ code, stdout, stderr, ms: sent ? Date.now() - sent : -1 }); });
  });
}

describe('create, non-interactive', () => {
  it('writes the default plugin and reports names, keys and next steps', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('registry prefix my-plugin');
    // The entry point as the two lines pyproject.toml holds (one line wrapped at 80 columns; QA report).
    expect(r.stdout).toContain('  entry point     in pyproject.toml:\n    [project.entry-points."open_ticket_ai.plugins"]\n    my_plugin = "otai_my_plugin.plugin_factory:PluginFactory"\n');
    expect(readFileSync(join(cwd, 'otai-my-plugin/pyproject.toml'), 'utf8')).toContain('[project.entry-points."open_ticket_ai.plugins"]\nmy_plugin = "otai_my_plugin.plugin_factory:PluginFactory"\n');
    expect(r.stdout).toContain('use: "my-plugin:MyPluginPipe"');
    expect(r.stdout).toContain('use: "my-plugin:MyPluginService"');
    expect(r.stdout).toContain('uv run -m pytest');
    // Pinned to this version, which the line reproduces (QA report: it was unpinned).
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(r.stdout).toMatch(new RegExp(`Reproduce: npx create-otai-plugin@${VERSION.replaceAll('.', '\\.')} otai-my-plugin .*--yes`));
    const tree = readTree(join(cwd, 'otai-my-plugin'));
    expect([...tree.keys()].sort()).toEqual([
      '.github/workflows/ci.yml', '.gitignore', '.python-version', 'CHANGELOG.md', 'LICENSE', 'README.md', 'pyproject.toml',
      'src/otai_my_plugin/__init__.py', 'src/otai_my_plugin/pipes/__init__.py', 'src/otai_my_plugin/pipes/my_plugin_pipe.py',
      'src/otai_my_plugin/plugin_factory.py', 'src/otai_my_plugin/py.typed', 'src/otai_my_plugin/services/__init__.py',
      'src/otai_my_plugin/services/my_plugin_service.py', 'tests/unit/test_my_plugin.py', 'tests/unit/test_my_plugin_pipe.py',
      'tests/unit/test_my_plugin_service.py',
    ]);
    expect(tree.get('README.md')).toContain('use: "my-plugin:MyPluginPipe"');
    // No staging folder is left beside the plugin.
    expect(readdirSync(cwd)).toEqual(['otai-my-plugin']);
  });

  it('its Reproduce line, run by a shell where git knows someone else, writes the same plugin', () => {
    // Values a shell or the parser could take apart: a leading "-", quotes, and explicitly empty
    // author and email, which a line without them would fill from this git identity.
    const env = testEnv();
    writeFileSync(env.GIT_CONFIG_GLOBAL!, '[user]\n\tname = Someone Else\n\temail = else@example.org\n');
    const args = ['otai-repro', '--yes', '--no-git', '--no-install', '--description=-1 it\'s "odd"', '--author', '', '--email', '', '--dir=-out', '--pipe', 'Route'];
    const first = tempDir();
    const r = runCli(args, first, env);
    expect(r.code).toBe(0);
    const line = /\nReproduce: npx create-otai-plugin@\S+ (.*)\n/.exec(r.stdout)?.[1];
    expect(line).toContain("--author ''");
    // Run again, it must not install or commit what the first run did not: uv and git may be there.
    expect(line).toMatch(/ --no-git --no-install --yes$/);
    const second = tempDir();
    const again = spawnSync('/bin/sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${line}`], { cwd: second, env, encoding: 'utf8' });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(readTree(join(second, '-out'))).toEqual(readTree(join(first, '-out')));
    expect(readTree(join(first, '-out')).get('pyproject.toml')).not.toContain('Someone Else');
  });

  it('prints a cd step a shell takes as the folder, whatever its name, and a dry run\'s Reproduce line stays dry', () => {
    const cwd = tempDir();
    const dir = 'x$HOME`id`&it\'s "d"';
    const r = runCli(['otai-cd', '--yes', '--no-git', '--no-install', '--dir', dir], cwd);
    expect(r.code, r.stderr).toBe(0);
    const cd = /\n {2}(cd .*)\n/.exec(r.stdout)?.[1];
    const where = spawnSync('/bin/sh', ['-c', `${cd} && pwd -P`], { cwd, encoding: 'utf8' });
    expect(where.stderr).toBe('');
    expect(where.stdout.trim()).toBe(realpathSync(join(cwd, dir)));
    // zsh expands a word that starts with `=` to a command's path: such a value is quoted too.
    expect([sh('=eq'), sh('a=b'), sh('./x')]).toEqual(["'=eq'", 'a=b', './x']);
    const dry = runCli(['otai-cd', '--yes', '--dry-run'], cwd);
    expect(dry.stdout).toMatch(/\nReproduce: npx create-otai-plugin@\S+ otai-cd .* --dry-run --yes\n/);
  });

  it('says how to pass a value that starts with "-"', () => {
    const r = runCli(['otai-x', '--yes', '--description', '-1 it'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--description=-1 it');
  });

  it('--json prints exactly one object with the promised keys', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', '--json', '--pipe', 'a,b', '--service', 'c'], cwd);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result)).toEqual(['name', 'module', 'registryPrefix', 'entryPoint', 'registryKeys', 'directory', 'files', 'dryRun', 'steps']);
    expect(result).toMatchObject({
      name: 'otai-my-plugin', module: 'otai_my_plugin', registryPrefix: 'my-plugin',
      entryPoint: { group: 'open_ticket_ai.plugins', name: 'my_plugin', value: 'otai_my_plugin.plugin_factory:PluginFactory' },
      registryKeys: ['my-plugin:APipe', 'my-plugin:BPipe', 'my-plugin:CService'],
      directory: join(cwd, 'otai-my-plugin'), dryRun: false,
      steps: [{ step: 'install', status: 'skipped', message: 'install skipped; run `uv sync` in the plugin folder' }, { step: 'git', status: 'skipped', message: 'git skipped' }],
    });
    expect(result.files).toContain('src/otai_my_plugin/pipes/a_pipe.py');
    for (const file of result.files) expect(existsSync(join(cwd, 'otai-my-plugin', file))).toBe(true);
  });

  it('--dry-run lists the files and writes nothing', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--dry-run', '--json'], cwd);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.dryRun).toBe(true);
    expect(result.files.length).toBeGreaterThan(10);
    expect(readdirSync(cwd)).toEqual([]);
    const human = runCli(['otai-my-plugin', '--yes', '--dry-run'], cwd);
    expect(human.stdout).toContain('would write pyproject.toml');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('prints a report larger than a pipe holds whole, written straight to the descriptor before it exits', () => {
    const cwd = tempDir();
    const names = (prefix: string) => nameList(prefix, 400);
    const r = runCli(['otai-my-plugin', '--yes', '--dry-run', '--pipe', names('Step'), '--service', names('Source')], cwd);
    expect(r.code).toBe(0);
    expect(Buffer.byteLength(r.stdout)).toBeGreaterThan(64 * 1024);
    expect(r.stdout.match(/^ {2}would write /gm)).toHaveLength(1613);
    expect(r.stdout).toContain('  would write tests/unit/test_step400_pipe.py (');
    expect(r.stdout).toMatch(/\nReproduce: .* --service Source400Service .*\n$/);
    const json = runCli(['otai-my-plugin', '--yes', '--dry-run', '--json', '--pipe', names('Step'), '--service', names('Source')], cwd);
    expect(JSON.parse(json.stdout).files).toHaveLength(1613);
  });

  it('prints a report whole to a reader that falls behind (the descriptor would block, a stream takes over)', async () => {
    const cwd = tempDir();
    const names = (prefix: string) => nameList(prefix, 1000);
    // Without --yes or CI, the CLI asks whether it has a terminal: that builds process.stdout, which
    // makes the socket to this process non-blocking, so a full buffer refuses the direct write.
    const env = testEnv();
    delete env.CI;
    const child = spawn(process.execPath, [BIN, 'otai-my-plugin', '--dry-run', '--no-git', '--no-install', '--pipe', names('Step'), '--service', names('Source')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.pause();
    const code = await new Promise<number | null>((resolve) => {
      setTimeout(() => child.stdout.resume(), 500);
      child.on('close', resolve);
    });
    const out = Buffer.concat(chunks).toString();
    expect(code).toBe(0);
    expect(Buffer.byteLength(out)).toBeGreaterThan(300 * 1024);
    expect(out.match(/^ {2}would write /gm)).toHaveLength(4013);
    expect(out).toMatch(/\nReproduce: .* --service Source1000Service .*\n$/);
  });

  it('a reader that went away (stdout closed, `| head`) does not turn a created plugin into a failure', async () => {
    // QA report: an EPIPE stack trace and exit 1, the plugin complete.
    for (const json of [[], ['--json']]) {
      const cwd = tempDir();
      const child = spawn(process.execPath, [BIN, 'otai-gone', '--yes', '--no-git', '--no-install', '--author=A', '--email=', ...json], { cwd, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toContain('EPIPE');
      expect(code, stderr).toBe(0);
      expect(existsSync(join(cwd, 'otai-gone', 'pyproject.toml'))).toBe(true);
    }
  });

  it('output that cannot be written (a full disk) is said in one line, exit 1; not a stack trace with the bundle', () => {
    // Environments QA report: ENOSPC on stdout threw from a stream and printed a page of dist/cli.js.
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['otai-full', '--yes', '--no-git', '--no-install'], ['--version']]) {
        const cwd = tempDir();
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
        expect(r.stderr).toBe('create-otai-plugin: could not write to standard output (ENOSPC).\n');
        expect(r.status).toBe(1);
        if (args[0] === 'otai-full') expect(existsSync(join(cwd, 'otai-full/pyproject.toml'))).toBe(true);
      }
      // A usage error keeps its exit code.
      const bad = spawnSync(process.execPath, [BIN, 'Bad', '--yes', '--json'], { cwd: tempDir(), env: testEnv(), encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
      expect(bad.status).toBe(2);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(full);
    }
  });

  it('--help and --version with --json print one JSON object', () => {
    const cwd = tempDir();
    for (const [args, key] of [[['--json', '--version'], 'version'], [['--help', '--json'], 'help'], [['add', '--help', '--json'], 'help']] as const) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.status).toBe(0);
      expect(Object.keys(JSON.parse(r.stdout))).toEqual([key]);
    }
    const version = spawnSync(process.execPath, [BIN, '--version'], { cwd, env: testEnv(), encoding: 'utf8' }).stdout.trim();
    expect(JSON.parse(spawnSync(process.execPath, [BIN, '--version', '--json'], { cwd, env: testEnv(), encoding: 'utf8' }).stdout)).toEqual({ version });
  });

  it('ends no sooner than Node would: a warning queued at start-up is printed, a beforeExit listener runs', () => {
    const cwd = tempDir();
    const warns = join(cwd, 'warns.cjs');
    const waits = join(cwd, 'waits.cjs');
    writeFileSync(warns, "process.emitWarning('queued by a preload');\n");
    writeFileSync(waits, "process.on('beforeExit', () => require('fs').writeSync(1, 'beforeExit ran\\n'));\n");
    const run = (preload: string, args: string[]) =>
      spawnSync(process.execPath, ['--require', preload, BIN, ...args], { cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // --version is answered by the launcher, the dry run by the CLI bundle: each ends by finish().
    for (const args of [['--version'], ['otai-my-plugin', '--yes', '--dry-run']]) {
      const warned = run(warns, args);
      expect(warned.status).toBe(0);
      expect(warned.stderr).toContain('Warning: queued by a preload');
      const waited = run(waits, args);
      expect(waited.status).toBe(0);
      expect(waited.stdout).toMatch(/beforeExit ran\n$/);
    }
  });

  it.each([
    [['my-plugin', '--yes'], /must start with "otai-".*Did you mean "otai-my-plugin"/],
    [['otai-foo-otai-bar', '--yes'], /removes every "otai-"/],
    [['--yes'], /plugin name is required.*first argument/],
    [['otai-x', '--yes', '--license', 'BSD'], /--license "BSD" is not one of: MIT, Apache-2.0, LGPL-2.1-only, GPL-3.0-only, Proprietary/],
    [['otai-x', '--yes', '--build-backend', 'poetry'], /not one of: uv, hatchling, setuptools/],
    [['otai-x', '--yes', '--pipe', 'Pipe'], /shadow a base class/],
    [['otai-x', '--yes', '--pipe', 'a', '--pipe', 'A'], /both give APipe/],
    // Its example service is TicketSystemService, a base class's name: said so, not "too long" (QA report).
    [['otai-ticket-system', '--yes'], /The plugin name "otai-ticket-system" names its example service TicketSystemService, which would shadow Open Ticket AI's base class .*e\.g\. --pipe TicketSystemPipe --service TicketSystemClient\.$/m],
    [['otai-x', '--yes', '--python', '3.14'], /not a PEP 440 version specifier/],
    [['otai-x', '--yes', '--python', '>=3.8'], /admits Python older than 3.14/],
    [['otai-x', '--yes', '--python', '>=3.15'], /excludes every Python 3.14/],
    [['otai-x', '--yes', '--otai-version', '>=2'], /admits none of the versions .* proven/],
    [['otai-x', '--yes', '--otai-version', '>=1.4'], /admits 2.x, which has no plugin system/],
    [['otai-base', '--yes'], /Open Ticket AI's own package/],
    [['otai-x', '--yes', '--description', 'two\nlines'], /single line/],
    [['otai-x', '--yes', '--python', '>=3.14,!=3.14.10'], /excludes Python 3\.14\.10, the newest 3\.14 known here/],
    [['otai-x', '--yes', '--description', '   '], /only spaces; write a sentence/],
    [['otai-x', '--yes', '--author', 'Doe, Jane'], /comma/],
    [['otai-x', '--yes', '--email', 'nope'], /not an address/],
    // hatchling and setuptools cannot build metadata with these (Python's email parser refuses them).
    [['otai-x', '--yes', '--email', 'a..b@example.org'], /part before the @ that package metadata cannot hold/],
    [['otai-x', '--yes', '--email', 'zoë@example.org'], /part before the @ that package metadata cannot hold/],
    [['otai-x', '--yes', '--email', 'a@example.org.'], /not an address/],
    // PyPI refuses these on upload (email-validator): reserved names, parts that are no host name.
    [['otai-x', '--yes', '--email', 'me@mbp.local'], /ends in \.local, which is no domain on the internet: PyPI refuses/],
    [['otai-x', '--yes', '--email', 'a@x.TEST'], /ends in \.test/],
    [['otai-x', '--yes', '--email', 'a@-bad-.com'], /domain part "-bad-" that is not a host name/],
    [['otai-x', '--yes', '--email', 'a@exa_mple.com'], /domain part "exa_mple"/],
    [['otai-x', '--yes', '--email', 'a@1.2.3.4'], /ends in \.4/],
    [['otai-x', '--yes', '--email', 'a@example.com1'], /ends in \.com1, which is no domain/],
    [['otai-x', '--yes', '--email', 'a@example.\uff54\uff45\uff53\uff54'], /ends in \.test/],
    [['otai-x', '--yes', '--email', 'a@ex\u200bample.com'], /domain part "ex\u200bample" that is not a host name/],
    [['otai-x', '--yes', '--email', 'a@ab--cd.com'], /no valid host name/],
    [['otai-x', '--yes', '--email', 'a@xn--abc.com'], /no valid host name/],
    // Punycode is what it stands for: an emoji is no host name however it is written (review report).
    [['otai-x', '--yes', '--email', 'a@xn--ls8h.la'], /stands for "\u{1F4A9}", which is not a host name/u],
    [['otai-x', '--yes', '--email', `a@${'a'.repeat(64)}.com`], /no valid host name/],
    [['otai-x', '--yes', '--description', 'word '.repeat(103)], /515 characters; PyPI takes at most 512/],
    [['otai-x', '--yes', '--author', 'Ada; Bob'], /may not contain .*;/],
    [['otai-x', '--yes', '--author', '   '], /only spaces; write a name, or leave it empty/],
    [['otai-x', '--yes', '--author', 'Ada (ACME'], /parentheses do not pair up/],
    [['otai-x', '--yes', '--python', '>=3.14.99'], /admits no Python 3.14 released so far/],
    [['otai-x', '--yes', '--otai-version', '==1.5.14'], /uv can install/],
    [['otai-x', '--yes', '--license', 'MIT', '--license', 'GPL-3.0-only'], /--license was given twice; give it once/],
    [['otai-x', '--yes', '--frobnicate'], /Unknown option --frobnicate/],
    [['otai-x', '--yes', '--dry-rn'], /Did you mean --dry-run\?/],
    [['otai-x', 'otai-y', '--yes'], /Expected one plugin name/],
    // No "./~/plugins/x" offered: a folder named ~ is the trap.
    [['otai-x', '--yes', '--dir=~/plugins/x'], /starts with "~", which is not expanded here; give the full path \(as a flag, --dir ~\/plugins\/x with a space lets the shell expand it\)\.$/m],
    [['otai-x', '--yes', '--dir=~root/x'], /"~root\/x" starts with "~", which is not expanded here.*or write \.\/~root\/x for a folder of that name/],
    [['otai-x', '--yes', '--dir=~x'], /"~x" starts with "~"/],
    // The report's `cd` step and reproduce command must stay one line, with no escape sequence in them.
    [['otai-x', '--yes', '--dir', 'a\nb'], /The directory given with --dir must be a single line; remove the line break/],
    [['otai-x', '--yes', '--dir', 'e\x1b[31mred'], /The directory given with --dir contains a control character/],
  ])('refuses %j with exit 2, a message saying how to fix it, and writes nothing', (args, message) => {
    const cwd = tempDir();
    const r = runCli(args, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(cwd)).toEqual([]);
    const json = runCli([...args, '--json'], cwd);
    expect(json.code).toBe(2);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['error']);
    expect(JSON.parse(json.stdout).error).toEqual({ code: expect.any(String), message: expect.stringMatching(message) });
  });

  it('--json after -- is a positional, also when parsing fails: the message alone, as the launcher gives it on an unsupported Node (review)', () => {
    const cwd = tempDir();
    const r = runCli(['--bogus', '--', '--json'], cwd);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/Unknown option --bogus/);
    // Before --, the flag: the error object; with a value, which it does not take, the object of that error.
    expect(JSON.parse(runCli(['--bogus', '--json', '--', 'x'], cwd).stdout).error.code).toBe('unknown_option');
    const valued = runCli(['otai-x', '--yes', '--json=1'], cwd);
    expect([valued.code, JSON.parse(valued.stdout).error.message]).toEqual([2, expect.stringMatching(/--json takes no value/)]);
  });

  it('otai-ticket-system: refused with its own code (the name itself is valid), and the flags its message suggests create it', () => {
    const cwd = tempDir();
    const r = runCli(['otai-ticket-system', '--yes', '--json'], cwd);
    expect([r.code, JSON.parse(r.stdout).error.code]).toEqual([2, 'example_name_reserved']);
    const flags = /e\.g\. (--pipe \S+) (--service \S+)\.$/.exec(JSON.parse(r.stdout).error.message as string)!;
    const made = runCli(['otai-ticket-system', '--yes', '--no-git', '--no-install', ...flags[1]!.split(' '), ...flags[2]!.split(' ')], cwd);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('use: "ticket-system:TicketSystemClientService"');
  });

  it('a current folder or --dir whose name is not UTF-8: exit 2 and why, nothing written (QA report: the plugin went into a new folder named with U+FFFD)', () => {
    const cwd = tempDir();
    // Made by its bytes (caf + 0xE9, Latin-1 é); the shell enters it by them.
    mkdirSync(Buffer.from(`${cwd}/caf\xe9`, 'latin1'));
    const inside = spawnSync('/bin/sh', ['-c', 'cd "$(printf \'caf\\351\')" && exec "$0" "$@"', process.execPath, BIN, 'otai-a', '--yes', '--no-install', '--json'], { cwd, env: testEnv(), encoding: 'utf8' });
    expect([inside.status, JSON.parse(inside.stdout).error.code]).toEqual([2, 'cwd_not_utf8']);
    const dir = spawnSync('/bin/sh', ['-c', 'exec "$0" "$@" --dir "$(printf \'caf\\351/p\')"', process.execPath, BIN, 'otai-a', '--yes', '--no-install'], { cwd, env: testEnv(), encoding: 'utf8' });
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(/--dir has bytes that are not UTF-8/);
    expect(readdirSync(cwd, { encoding: 'buffer' }).map((name) => name.toString('latin1'))).toEqual(['caf\xe9']);
    expect(readdirSync(Buffer.from(`${cwd}/caf\xe9`, 'latin1'))).toEqual([]);
  });

  it('gives the examples of a plugin named like a component names that cannot collide', () => {
    const cwd = tempDir();
    const r = runCli(['otai-foo-pipe', '--yes', '--no-git', '--no-install', '--json'], cwd);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.registryKeys).toEqual(['foo-pipe:FooPipePipe', 'foo-pipe:FooPipeService']);
    expect(result.files).toContain('tests/unit/test_foo_pipe.py');
    expect(result.files).toContain('tests/unit/test_foo_pipe_pipe.py');
  });

  it('refuses a component whose test file would be the registration test, writing nothing', () => {
    const cwd = tempDir();
    // otai-foo-pipe's registration test is test_foo_pipe.py, and so is the test of the pipe FooPipe.
    const r = runCli(['otai-foo-pipe', '--pipe', 'foo', '--yes', '--no-git', '--no-install'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Two generated files would both be tests/unit/test_foo_pipe.py; rename the pipe or service');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('accepts specifiers that admit Python 3.14 and a proven open-ticket-ai 1.x', () => {
    const cwd = tempDir();
    for (const [flag, value] of [['--python', '==3.14.*'], ['--python', '~=3.14'], ['--otai-version', '~=1.4.21'], ['--otai-version', '==1.4.21']]) {
      expect(runCli(['otai-x', '--yes', '--dry-run', flag!, value!], cwd).code).toBe(0);
    }
  });

  it('with --json, a failing uv sync gives exactly one object: the error, holding the plugin\'s result, exit 1, the plugin kept', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--json'], cwd, fakeUv('echo "resolution failed: boom" >&2\nexit 3\n'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe('install_failed');
    expect(out.error.message).toContain('resolution failed: boom');
    // What ran, git too: a script can tell whether the first commit was made.
    expect(out.error.steps.map((s: { step: string; status: string }) => `${s.step} ${s.status}`)).toEqual(['install failed', 'git skipped']);
    expect(out.error.steps[0].output).toContain('resolution failed: boom');
    expect(existsSync(join(cwd, 'otai-my-plugin', 'pyproject.toml'))).toBe(true);
    // And what a run that succeeded prints (QA report: a script found no folder, name or files).
    const created = JSON.parse(runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', '--json', '--dry-run', '--force'], cwd).stdout);
    expect(out.error).toEqual({ ...created, dryRun: false, code: 'install_failed', message: out.error.message, steps: out.error.steps });
    expect(out.error.files).toContain('pyproject.toml');
  });

  it('without --json, a failing uv sync: exit 1, uv\'s output in the report, the error saying where to run it again', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-git'], cwd, fakeUv('echo "resolution failed: boom" >&2\nexit 3\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('resolution failed: boom');
    expect(r.stderr).toMatch(/Running uv sync in \.\/otai-my-plugin; .*PyTorch/);
    expect(r.stderr).toContain("but `uv sync` failed (its output is above). Fix the cause and run `uv sync` in ./otai-my-plugin.");
    expect(existsSync(join(cwd, 'otai-my-plugin', 'pyproject.toml'))).toBe(true);
  });

  it('a command that leaves a process holding its output (a hook\'s `indexer &`) does not hold the run: its output so far, its exit code (QA report: 20 s)', () => {
    // The background sleep keeps uv's stdout open for 20 s after uv has exited 0.
    const env = fakeUv('echo "Resolved 1 package"\n(sleep 20; echo late) &\nexit 0\n');
    const started = Date.now();
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), env);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps).toEqual([expect.objectContaining({ step: 'install', status: 'done' }), expect.objectContaining({ step: 'git' })]);
  });

  it('says on stderr that uv sync started, before it ends (it can take minutes); nothing with --json, or without uv', async () => {
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const release = join(marks, 'release');
    const env = fakeUv(`touch '${started}'\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\n`);
    const child = spawn(process.execPath, [BIN, 'otai-my-plugin', '--yes', '--no-git'], { cwd: tempDir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const ended = new Promise<number | null>((done) => child.on('close', done));
    while (!existsSync(started)) await new Promise((done) => setTimeout(done, 20));
    await new Promise((done) => setTimeout(done, 100));
    expect(stderr).toContain('Running uv sync in ./otai-my-plugin');
    writeFileSync(release, '');
    expect(await ended).toBe(0);
    const json = runCli(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), fakeUv('exit 0\n'));
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const noUv = runCli(['otai-my-plugin', '--yes', '--no-git'], tempDir(), testEnv({ PATH: '/nonexistent' }));
    expect(noUv.stderr).not.toContain('Running uv sync');
    const noInstall = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install'], tempDir(), fakeUv('exit 0\n'));
    expect(noInstall.stderr).not.toContain('Running uv sync');
  });

  it('a uv sync ended by a signal (killed for memory, say) says so', () => {
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), fakeUv('kill -9 $$\n'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toContain('uv was ended by SIGKILL (out of memory?)');
  });

  it('SIGTERM while git runs (a slow hook): cancelled at once, exit 143, saying the repository may lack its commit', async () => {
    const env = testEnv();
    const hooks = tempDir('otai-hooks-');
    const marker = join(hooks, 'started');
    writeFileSync(join(hooks, 'prepare-commit-msg'), `#!/bin/sh\ntouch '${marker}'\nsleep 8\n`, { mode: 0o755 });
    writeFileSync(env.GIT_CONFIG_GLOBAL!, `[core]\n\thooksPath = ${hooks}\n`);
    const r = await signalWhen(['otai-my-plugin', '--yes', '--no-install', '--json', '--author', 'Ada', '--email', 'ada@example.org'], tempDir(), env, marker, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.ms).toBeLessThan(3000);
    expect(r.stderr).toContain('Cancelled while git ran');
    // --json: stdout still holds its one object, the cancel and what it left.
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'cancelled', message: expect.stringMatching(/^Cancelled while git ran\. The plugin is complete in /) } });
  });

  it('a hangup (SIGHUP) while uv sync runs: uv is stopped too, the process ends by the signal, the message names the folder as reached from here', async () => {
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const finished = join(marks, 'finished');
    const r = await signalWhen(['otai-my-plugin', '--yes', '--no-git'], tempDir(), fakeUv(`touch '${started}'\nsleep 2\ntouch '${finished}'\n`), started, 'SIGHUP');
    expect(r.code).toBe(null);
    expect(r.stderr).toContain('Cancelled while uv sync ran. The plugin is complete in ./otai-my-plugin; run `uv sync` there');
    await new Promise((done) => setTimeout(done, 2500));
    expect(existsSync(finished)).toBe(false);
  });

  it('a folder named uv or git on PATH is not the tool: no uv sync, no git step tried', () => {
    const bin = tempDir('otai-dirs-');
    mkdirSync(join(bin, 'uv'));
    mkdirSync(join(bin, 'git'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = runCli(['otai-my-plugin', '--yes', '--json'], tempDir(), testEnv({ PATH: bin }));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps.map((s: { step: string; status: string }) => `${s.step} ${s.status}`)).toEqual(['install skipped', 'git skipped']);
  });

  it('output that cannot be written (a full disk) is said on the other stream, also when the run fails: its own exit code kept', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, '--json', '--yes'], { cwd: tempDir(), env: testEnv(), stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('create-otai-plugin: could not write to standard output (ENOSPC).');
    } finally {
      closeSync(full);
    }
  });

  it('SIGTERM while uv sync runs: uv is stopped too, and what it started, exit 143', async () => {
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const finished = join(marks, 'finished');
    // QA report: a process uv started (a build backend) outlived the run.
    const orphaned = join(marks, 'orphaned');
    const env = fakeUv(`(sleep 2; touch '${orphaned}') &\ntouch '${started}'\nsleep 2\ntouch '${finished}'\n`);
    const r = await signalWhen(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), env, started, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('Cancelled while uv sync ran. The plugin is complete');
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'cancelled', message: expect.stringContaining('run `uv sync` there') });
    await new Promise((done) => setTimeout(done, 2500));
    expect(existsSync(finished)).toBe(false);
    expect(existsSync(orphaned)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('SIGTERM while a process uv left running holds its output: that process is stopped too (it is no longer below uv)', async () => {
    // Review: uv ended, its background process went to init, and the tree below uv was empty.
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const orphaned = join(marks, 'orphaned');
    const env = fakeUv(`(sleep 2; touch '${orphaned}') &\ntouch '${started}'\nexit 0\n`);
    const r = await signalWhen(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), env, started, 'SIGTERM');
    expect(r.code).toBe(143);
    await new Promise((done) => setTimeout(done, 2500));
    expect(existsSync(orphaned)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux' || !which('setsid'))('SIGTERM while uv sync runs: what uv started is stopped though it cleared its environment; a daemon that left the session is not', async () => {
    // Review: the mark alone missed a child started with `env -i`, and reached a gpg-agent that
    // git commit had started (a daemon in a session of its own, maybe serving the user's other work).
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const cleared = join(marks, 'cleared');
    const daemon = join(marks, 'daemon');
    const env = fakeUv(`env -i /bin/sh -c "sleep 2; touch '${cleared}'" &\nsetsid /bin/sh -c "sleep 2; touch '${daemon}'" </dev/null >/dev/null 2>&1 &\ntouch '${started}'\nsleep 5\n`);
    const r = await signalWhen(['otai-my-plugin', '--yes', '--no-git', '--json'], tempDir(), env, started, 'SIGTERM');
    expect(r.code).toBe(143);
    await new Promise((done) => setTimeout(done, 2500));
    expect(existsSync(cleared)).toBe(false);
    expect(existsSync(daemon)).toBe(true);
  });

  it('from a working folder deleted meanwhile: exit 2 and a message saying to cd elsewhere, no stack trace', () => {
    const gone = join(tempDir(), 'gone');
    mkdirSync(gone);
    for (const args of [['otai-x', '--yes', '--no-git', '--no-install', '--json'], ['add', 'pipe', 'X']]) {
      const r = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, BIN, ...args], { env: testEnv(), encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^Error: The current folder cannot be read \(ENOENT\).*cd into an existing folder and run again\.\n$/);
      if (args.includes('--json')) expect(JSON.parse(r.stdout).error.code).toBe('cwd_missing');
      mkdirSync(gone);
    }
  });

  it('--interactive with a closed input stops with exit 2 instead of hanging or exiting 0', () => {
    const cwd = tempDir();
    const r = runCli(['--interactive'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input closed before every question was answered.*--yes/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--interactive with answers piped in takes them line by line, and stops at the first question left without one', () => {
    // QA report: the prompts read the whole pipe at once, and every line after the first was lost.
    const cwd = tempDir();
    const env = testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    const pipe = (input: string) => spawnSync(process.execPath, [BIN, '--interactive', '--dry-run', '--json'], { cwd, env, input, encoding: 'utf8', timeout: 30_000 });
    // Name, description, author, email, then Enter for license, pipes, services and advanced settings.
    const all = pipe('otai-piped\r\nRoutes tickets\nAda Lovelace\nada@example.org\n\n\n\n\n');
    expect(all.status, all.stderr).toBe(0);
    const result = JSON.parse(all.stdout) as { name: string; registryKeys: string[] };
    expect(result.name).toBe('otai-piped');
    expect(result.registryKeys).toEqual(['piped:PipedPipe', 'piped:PipedService']);
    expect(all.stderr).toMatch(/npx create-otai-plugin@\S+ otai-piped --description 'Routes tickets' --author 'Ada Lovelace' --email ada@example\.org /);
    // A yes/no question takes `n` at once: the line's Enter is not the next question's answer.
    const declined = spawnSync(process.execPath, [BIN, '--interactive', '--no-install'], { cwd, env, input: 'otai-piped\n\n\n\n\n\n\n\nn\nn\n', encoding: 'utf8', timeout: 30_000 });
    expect(declined.status, declined.stderr).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
    // A line answers one question whole: "no" answers git, and "Create the plugin?" is left without an answer.
    const no = spawnSync(process.execPath, [BIN, '--interactive', '--no-install', '--json'], { cwd, env, input: 'otai-piped\n\n\n\n\n\n\n\nno\n', encoding: 'utf8', timeout: 30_000 });
    expect(no.status, no.stderr).toBe(2);
    expect(JSON.parse(no.stdout).error.code).toBe('input_closed');
    expect(readdirSync(cwd)).toEqual([]);
    // A piped line replaces a pre-filled value (git config's author), as typed over it.
    const withGit = join(cwd, '..', 'gitconfig-piped');
    writeFileSync(withGit, '[user]\n\tname = Ada Tester\n\temail = ada@example.org\n');
    const bob = spawnSync(process.execPath, [BIN, '--interactive', '--dry-run', '--json'], { cwd, env: { ...env, GIT_CONFIG_GLOBAL: withGit }, input: 'otai-piped\nDesc\nBob\n\n\n\n\n\n', encoding: 'utf8', timeout: 30_000 });
    expect(bob.status, bob.stderr).toBe(0);
    expect(bob.stderr).toMatch(/--author Bob --email ada@example\.org /);
    const some = pipe('otai-piped\nRoutes tickets\n');
    expect(some.status).toBe(2);
    expect(JSON.parse(some.stdout).error.code).toBe('input_closed');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a choice piped or pasted in by name is that choice (any case); a name of none is refused, and says so', () => {
    // QA report: the choices were selects, which read a line's letters as keys (h, j, k, l moved
    // the cursor): "Apache-2.0" chose Proprietary, "hatchling" setuptools, "bogus" MIT.
    const cwd = tempDir();
    const env = testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    const run = (input: string, args: string[] = ['--dry-run', '--json']) => spawnSync(process.execPath, [BIN, '--interactive', ...args], { cwd, env, input, encoding: 'utf8', timeout: 30_000 });
    // Name, description, author, email, license, pipes, services, advanced settings (y), Python,
    // open-ticket-ai, build backend.
    const answers = (license: string, backend: string) => `otai-chosen\nDesc\nAda\nada@example.org\n${license}\n\n\ny\n\n\n${backend}\n`;
    for (const [license, backend, want] of [
      ['Apache-2.0', 'hatchling', /--license Apache-2\.0 .*--build-backend hatchling /],
      ['gpl-3.0-only', 'SETUPTOOLS', /--license GPL-3\.0-only .*--build-backend setuptools /],
      ['Proprietary', 'uv', /--license Proprietary (?!.*--build-backend)/],
      // Part of a name: the names that begin with it first ("gpl" is GPL-3.0-only, not LGPL-2.1-only).
      ['gpl', 'hatch', /--license GPL-3\.0-only .*--build-backend hatchling /],
    ] as const) {
      const r = run(answers(license, backend));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(want);
    }
    const bogus = run(answers('bogus', 'uv'));
    expect(bogus.status).toBe(2);
    const error = JSON.parse(bogus.stdout).error as { code: string; message: string };
    expect(error.code).toBe('answer_refused');
    expect(error.message).toContain('"bogus" is not one of: MIT, Apache-2.0');
    // The question about a folder that is taken, answered by name.
    mkdirSync(join(cwd, 'otai-chosen'));
    writeFileSync(join(cwd, 'otai-chosen', 'keep.txt'), 'mine\n');
    const force = run('otai-chosen\nWrite into it anyway\nDesc\nAda\nada@example.org\n\n\n\n\n');
    expect(force.status, force.stderr).toBe(0);
    expect(force.stderr).toMatch(/ --force /);
    const cancel = run('otai-chosen\ncancel\nDesc\n', ['--no-install', '--no-git']);
    expect(cancel.status, cancel.stderr).toBe(130);
    expect(readdirSync(join(cwd, 'otai-chosen'))).toEqual(['keep.txt']);
  });

  it('piped, a refused answer ends the run with exit 2 and says why, however the pipe splits the lines', async () => {
    // Review: the refused text stayed in the field and a later read was added to it ("bad", then
    // "ada@x.org" gave "badada@x.org"), or a blank line then gave an empty email; in one read, the
    // lines after it were dropped. A refused flag ends a run too.
    const env = testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    const inReads = (...reads: string[]) => new Promise<{ code: number | null; stdout: string; ms: number }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--interactive', '--dry-run', '--json'], { cwd: tempDir(), env, stdio: ['pipe', 'pipe', 'ignore'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      const start = Date.now();
      // The pipe stays open after the last read: the run must end by itself.
      reads.forEach((read, i) => setTimeout(() => child.stdin.write(read), i * 400));
      const limit = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('close', (code) => { clearTimeout(limit); child.stdin.destroy(); resolve({ code, stdout, ms: Date.now() - start }); });
    });
    for (const reads of [['otai-refused\nDesc\nAda\nbad\n', 'ada@example.org\n\n\n\n\n'], ['otai-refused\nDesc\nAda\nbad\nada@example.org\n\n\n\n\n'], ['otai-refused\nDesc\nAda\nbad\n', '\n\n\n\n\n'],
      // One line a read, as a program answering each prompt writes (review: then the run waited for the pipe to close).
      ['otai-refused\n', 'Desc\n', 'Ada\n', 'bad\n']]) {
      const r = await inReads(...reads);
      expect(r.code, r.stdout).toBe(2);
      expect(JSON.parse(r.stdout).error).toEqual({ code: 'answer_refused', message: expect.stringContaining('The email "bad" is not an address') });
    }
    // A CRLF split between two reads is one Enter: the answers stay in their places.
    const split = await inReads('otai-refused\r', '\nDesc\r', '\nAda\r\nbad\r\n');
    expect(JSON.parse(split.stdout).error.message).toContain('The email "bad"');
    // Refused at the first question, the prompt already waiting when the line came.
    const first = await inReads('!!!\n');
    expect(first.code, first.stdout).toBe(2);
    expect(JSON.parse(first.stdout).error.code).toBe('answer_refused');
  });

  it('piped, a plugin name that needs the otai- form is refused with the suggestion (exit 2): the offer would take the next line', () => {
    // QA report: the "Use otai-bad-name?" offer took the description's line, and every answer after moved one place.
    const env = testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    // ... and a given name refused outright: asked again, the next line was added to it (review).
    for (const [args, code] of [[[], 'answer_refused'], [['Bad Name!'], 'invalid_name'], [['otai-base'], 'invalid_name']] as const) {
      const cwd = tempDir();
      const r = spawnSync(process.execPath, [BIN, ...args, '--interactive', '--json', '--no-git', '--no-install'], { cwd, env, input: `${args.length ? '' : 'Bad Name!\n'}Routes tickets\n\n\n\n\n\n\n\n`, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout).error).toEqual({ code, message: expect.stringContaining(args[0] === 'otai-base' ? 'The plugin name "otai-base" is Open Ticket AI\'s own package' : 'Did you mean "otai-bad-name"?') });
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('piped, a yes/no question takes y, n, a word of them or an empty line; another line is refused (exit 2)', () => {
    // QA report: "maybe" answered yes (the prompt skipped m and a, and took the y), "x" the default.
    const cwd = tempDir();
    const env = testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    // Name, description, author, email, license, pipes, services, then "Change advanced settings?".
    const pipe = (advanced: string) => spawnSync(process.execPath, [BIN, '--interactive', '--dry-run', '--json'], { cwd, env, input: `otai-yn\nDesc\nAda\nada@example.org\n\n\n\n${advanced}\n`, encoding: 'utf8', timeout: 30_000 });
    for (const line of ['maybe', 'x', 'ok']) {
      const r = pipe(line);
      expect(r.status, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout).error).toEqual({ code: 'answer_refused', message: expect.stringContaining(`"${line[0]}" begins neither`) });
    }
    for (const line of ['', 'n', 'no', 'nope']) expect(pipe(line).status, line).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('counts a description in characters as PyPI does (code points), and takes emails of other scripts', () => {
    const cwd = tempDir();
    // 504 code points, 560 UTF-16 units (review report: refused as 560 characters).
    const ok = runCli(['otai-x', '--yes', '--dry-run', '--description', 'Tickets \u{1F3AB}'.repeat(56), '--email', 'ada@ex\u00e4mple.org'], cwd);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('with --json, a git step that failed says why, with git\'s output (QA report: only "git init failed")', () => {
    const cwd = tempDir();
    const gitconfig = join(cwd, 'gitconfig');
    writeFileSync(gitconfig, '[user]\n\tname\n');
    const r = runCli(['otai-gf', '--yes', '--no-install', '--json', '--author', 'A', '--email', 'a@example.org'], cwd, testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitconfig }));
    expect(r.code, r.stderr).toBe(0);
    const git = (JSON.parse(r.stdout) as { steps: { step: string; status: string; message: string; output?: string }[] }).steps.find((s) => s.step === 'git')!;
    expect(git.status).toBe('failed');
    expect(git.message).toMatch(/^git init failed: .*user\.name/);
    expect(git.output).toContain('user.name');
  });

  it('leaves out a git config author that is not UTF-8, and says so (it was written with U+FFFD)', () => {
    const cwd = tempDir();
    const gitconfig = join(cwd, 'gitconfig');
    writeFileSync(gitconfig, Buffer.concat([Buffer.from('[user]\n\tname = Jos'), Buffer.from([0xe9]), Buffer.from(' Latin\n\temail = jose@example.org\n')]));
    const r = runCli(['otai-l1', '--yes', '--no-git', '--no-install'], cwd, testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitconfig }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Note: git config user.name was left out of the plugin: it is not UTF-8');
    expect(readFileSync(join(cwd, 'otai-l1/pyproject.toml'), 'utf8')).not.toContain('\uFFFD');
    expect(readFileSync(join(cwd, 'otai-l1/pyproject.toml'), 'utf8')).toContain('{ email = "jose@example.org" }');
  });

  it('leaves out a git config email PyPI would refuse, and says so', () => {
    const cwd = tempDir();
    const gitconfig = join(cwd, 'gitconfig');
    writeFileSync(gitconfig, '[user]\n\tname = Ada\n\temail = ada@mbp.local\n');
    const r = runCli(['otai-gc', '--yes', '--no-git', '--no-install'], cwd, testEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitconfig }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Note: git config user.email was left out of the plugin: The email "ada@mbp.local" ends in .local');
    expect(r.stderr).toContain('Pass --email to set it.');
    expect(readFileSync(join(cwd, 'otai-gc/pyproject.toml'), 'utf8')).toContain('authors = [\n    { name = "Ada" },\n]');
  });

  it('refuses a non-empty target without --force and leaves it untouched', () => {
    const cwd = tempDir();
    runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', '--dir', 'p', '--pipe', 'a'], cwd);
    const before = readTree(join(cwd, 'p'));
    const r = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install', '--dir', 'p'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty.*--dir.*--force/s);
    expect(readTree(join(cwd, 'p'))).toEqual(before);
  });

  it('--help and --version answer without writing', () => {
    const cwd = tempDir();
    const help = runCli(['--help'], cwd);
    expect(help.code).toBe(0);
    for (const flag of ['--description', '--author', '--email', '--license', '--pipe', '--service', '--python', '--otai-version', '--build-backend', '--yes', '--[no-]git', '--[no-]install', '--force', '--dry-run', '--json', '--dir']) {
      expect(help.stdout).toContain(flag);
    }
    const version = runCli(['-v'], cwd);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    // Each command's help says on its first line what that command does.
    expect(help.stdout.split('\n')[0]).toMatch(/: start a new Open Ticket AI plugin$/);
    expect(runCli(['add', '--help'], cwd).stdout.split('\n')[0]).toMatch(/: add pipes or services to an Open Ticket AI plugin$/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('git', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  /** A uv that does what `uv sync` leaves behind: a uv.lock and a .venv. */
  const syncingUv = () => fakeUv('echo "version = 1" > uv.lock\nmkdir -p .venv/bin && touch .venv/bin/python\n');

  it('after a uv sync that worked, the next steps leave it out; skipped, they keep it', () => {
    const done = runCli(['otai-my-plugin', '--yes', '--no-git'], tempDir(), syncingUv());
    expect(done.code, done.stderr).toBe(0);
    const steps = (out: string) => out.slice(out.indexOf('Next steps'));
    expect(steps(done.stdout)).not.toContain('uv sync');
    const skipped = runCli(['otai-my-plugin', '--yes', '--no-git', '--no-install'], tempDir());
    expect(steps(skipped.stdout)).toContain('uv sync');
  });

  it('with git but no uv sync, the next steps commit the uv.lock the sync writes (the plugin\'s CI runs uv sync --locked)', () => {
    const cwd = tempDir();
    const env = testEnv();
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Ada Lovelace', '--email', 'ada@example.org'], cwd, env);
    expect(r.code, r.stderr).toBe(0);
    const next = r.stdout.slice(r.stdout.indexOf('Next steps:')).split('\n').slice(1, 5).map((line) => line.trim());
    // git knows nobody here: the commit takes the identity the first one took (review: it failed).
    expect(next).toEqual(['cd ./otai-my-plugin', 'uv sync', 'git add uv.lock && git -c \'user.name=Ada Lovelace\' -c user.email=ada@example.org commit -m "Lock the dependencies"', 'uv run -m pytest']);
    // Run as printed after a uv sync (which writes uv.lock): the lock is committed, the tree clean.
    const dir = join(cwd, 'otai-my-plugin');
    writeFileSync(join(dir, 'uv.lock'), 'version = 1\n');
    execFileSync('/bin/sh', ['-c', next[2]!], { cwd: dir, env, stdio: 'ignore' });
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'show', '--name-only', '--format=%s%n%an', 'HEAD')).toBe('Lock the dependencies\nAda Lovelace\n\nuv.lock');
    // Without git no such step; nor where the first commit holds a uv.lock already: a sync that
    // failed after writing it (review: the commit then had nothing to do).
    expect(runCli(['otai-my-plugin', '--yes', '--no-install', '--no-git'], tempDir()).stdout).not.toContain('git add uv.lock');
    const failed = runCli(['otai-my-plugin', '--yes', '--author', 'Ada', '--email', 'ada@example.org'], tempDir(), { ...env, ...fakeUv('echo "version = 1" > uv.lock\necho "no space left" >&2\nexit 1\n') });
    expect(failed.stdout).toContain('`uv sync` failed');
    expect(failed.stdout).toContain('git repository initialized with a first commit');
    expect(failed.stdout).not.toContain('git add uv.lock');
    // --force into a folder with a uv.lock of its own: left out of the first commit, so the step is
    // there (review: the lock on disk had hidden it).
    const held = tempDir();
    mkdirSync(join(held, 'otai-my-plugin'));
    writeFileSync(join(held, 'otai-my-plugin', 'uv.lock'), 'version = 1\n');
    const forced = runCli(['otai-my-plugin', '--yes', '--force', '--no-install', '--author', 'Ada', '--email', 'ada@example.org'], held, env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(git(join(held, 'otai-my-plugin'), 'ls-files', 'uv.lock')).toBe('');
    expect(forced.stdout).toContain('git add uv.lock && git -c user.name=Ada -c user.email=ada@example.org commit -m "Lock the dependencies"');
  });

  it('uv sync runs before git: the first commit holds its uv.lock, and the work tree is clean', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--json', '--author', 'Ada', '--email', 'ada@example.org'], cwd, syncingUv());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps.map((s: { step: string; status: string }) => `${s.step} ${s.status}`)).toEqual(['install done', 'git done']);
    const dir = join(cwd, 'otai-my-plugin');
    expect(git(dir, 'ls-files')).toContain('uv.lock');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--force into a folder that held files: the uv.lock uv sync wrote is committed, one that was there is not', () => {
    for (const lockThere of [false, true]) {
      const cwd = tempDir();
      const dir = join(cwd, 'otai-my-plugin');
      mkdirSync(dir);
      writeFileSync(join(dir, 'notes.txt'), 'mine\n');
      if (lockThere) writeFileSync(join(dir, 'uv.lock'), 'theirs\n');
      const r = runCli(['otai-my-plugin', '--yes', '--force', '--author', 'Ada', '--email', 'ada@example.org'], cwd, syncingUv());
      expect(r.code, r.stderr).toBe(0);
      expect(git(dir, 'ls-files').split('\n').includes('uv.lock'), `uv.lock there before: ${lockThere}`).toBe(!lockThere);
      expect(git(dir, 'status', '--porcelain').split('\n').sort()).toEqual(lockThere ? ['?? notes.txt', '?? uv.lock'] : ['?? notes.txt']);
    }
  });

  it('SIGTERM while uv sync runs inside an existing repository: no git init suggested (git would have been skipped)', async () => {
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const cwd = tempDir();
    git(cwd, 'init', '-q');
    const r = await signalWhen(['otai-my-plugin', '--yes', '--json'], cwd, fakeUv(`touch '${started}'\nsleep 5\n`), started, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/Cancelled while uv sync ran\. The plugin is complete in .*; run `uv sync` there to install it\.\n/);
    expect(r.stderr).not.toContain('git init');
  });

  it('SIGTERM while uv sync runs, git asked for: no repository yet, and the message says to run git init', async () => {
    const marks = tempDir('otai-marks-');
    const started = join(marks, 'started');
    const cwd = tempDir();
    const r = await signalWhen(['otai-my-plugin', '--yes', '--json', '--author', 'Ada', '--email', 'ada@example.org'], cwd, fakeUv(`touch '${started}'\nsleep 5\n`), started, 'SIGTERM');
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/Cancelled while uv sync ran\. The plugin is complete in .*; run `uv sync` there to install it, then `git init` and a first commit, which were not made\./);
    expect(existsSync(join(cwd, 'otai-my-plugin', 'pyproject.toml'))).toBe(true);
    expect(existsSync(join(cwd, 'otai-my-plugin', '.git'))).toBe(false);
  });

  it('initializes a repository with one first commit holding every file, as the author when git has no identity', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Ada Lovelace', '--email', 'ada@example.org'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git repository initialized with a first commit');
    const dir = join(cwd, 'otai-my-plugin');
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(git(dir, 'log', '-1', '--format=%an <%ae>')).toBe('Ada Lovelace <ada@example.org>');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'ls-files').split('\n').sort()).toEqual([...readTree(dir).keys()].filter((p) => !p.startsWith('.git/')).sort());
  });

  it('with no identity anywhere: the repository holds the files staged, exit 0, and --json says the commit failed', () => {
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--json'], cwd);
    expect(r.code).toBe(0);
    const dir = join(cwd, 'otai-my-plugin');
    expect(git(dir, 'status', '--porcelain').split('\n').every((line) => line.startsWith('A '))).toBe(true);
    const { steps } = JSON.parse(r.stdout);
    expect(steps[0]).toMatchObject({ step: 'install', status: 'skipped' });
    expect(steps[1]).toMatchObject({ step: 'git', status: 'failed' });
    expect(steps[1].message).toMatch(/first commit failed \(set git config user.name and user.email, then commit\)/);
  });

  it('never an identity git guesses from $EMAIL: what git\'s config lacks comes from the author, else the commit is left to the user', () => {
    // Nothing configured, $EMAIL set; with --author but no --email: git must not take $EMAIL.
    for (const flags of [[], ['--author', 'Flag Author']]) {
      const cwd = tempDir();
      const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--json', ...flags], cwd, testEnv({ EMAIL: 'guessed@host.example' }));
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).steps[1]).toMatchObject({ step: 'git', status: 'failed', message: expect.stringContaining('set git config user.name and user.email, then commit') });
      const dir = join(cwd, 'otai-my-plugin');
      expect(git(dir, 'status', '--porcelain').split('\n').every((line) => line.startsWith('A '))).toBe(true);
    }
    // Only user.name configured: the author's email completes it, and the name stays git's.
    const env = testEnv({ EMAIL: 'guessed@host.example' });
    writeFileSync(env.GIT_CONFIG_GLOBAL!, '[user]\n\tname = Only Name\n');
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Ada', '--email', 'ada@example.org'], cwd, env);
    expect(r.code, r.stderr).toBe(0);
    expect(git(join(cwd, 'otai-my-plugin'), 'log', '-1', '--format=%an <%ae>')).toBe('Only Name <ada@example.org>');
  });

  it('into a folder that held files (--force): the first commit holds the plugin, the user\'s files stay untracked', () => {
    const cwd = tempDir();
    const dir = join(cwd, 'otai-my-plugin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--force', '--author', 'Ada', '--email', 'ada@example.org'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const committed = git(dir, 'ls-files').split('\n').sort();
    expect(committed).toEqual([...readTree(dir).keys()].filter((p) => !p.startsWith('.git/') && p !== 'notes.txt').sort());
    expect(git(dir, 'status', '--porcelain')).toBe('?? notes.txt');
  });

  it('--force into a folder that held files, with a global .gitignore that names a plugin file: the rest is committed', () => {
    const env = testEnv();
    const ignore = join(env.HOME!, 'global-ignore');
    writeFileSync(ignore, '.python-version\n');
    writeFileSync(env.GIT_CONFIG_GLOBAL!, `[core]\n\texcludesFile = ${ignore}\n`);
    const cwd = tempDir();
    const dir = join(cwd, 'otai-my-plugin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--force', '--author', 'Ada', '--email', 'ada@example.org'], cwd, { ...env, LANG: 'de_DE.UTF-8' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('git repository initialized with a first commit');
    const committed = git(dir, 'ls-files').split('\n');
    expect(committed).toContain('pyproject.toml');
    expect(committed).not.toContain('.python-version');
    expect(committed).not.toContain('notes.txt');
  });

  it('commits as its own configured identity, else as the plugin\'s author: never as one git guesses ($EMAIL, the host name)', () => {
    const guessing = testEnv({ EMAIL: 'guess@host.example' });
    const cwd = tempDir();
    expect(runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Flag Name', '--email', 'flag@example.org'], cwd, guessing).code).toBe(0);
    expect(git(join(cwd, 'otai-my-plugin'), 'log', '-1', '--format=%an <%ae>')).toBe('Flag Name <flag@example.org>');
    const configured = testEnv();
    writeFileSync(configured.GIT_CONFIG_GLOBAL!, '[user]\n\tname = Git User\n\temail = git@example.org\n');
    const cwd2 = tempDir();
    expect(runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Flag Name', '--email', 'flag@example.org'], cwd2, configured).code).toBe(0);
    expect(git(join(cwd2, 'otai-my-plugin'), 'log', '-1', '--format=%an <%ae>')).toBe('Git User <git@example.org>');
  });

  it('a commit git refuses for another reason (signing): --json says why, and that the files are staged', () => {
    const env = testEnv();
    writeFileSync(env.GIT_CONFIG_GLOBAL!, '[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n');
    const cwd = tempDir();
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--json', '--author', 'Ada', '--email', 'ada@example.org'], cwd, env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).steps[1]).toMatchObject({ step: 'git', status: 'failed', message: expect.stringMatching(/first commit failed \(gpg failed to sign the data; the files are staged: fix that, then commit\)/) });
    expect(git(join(cwd, 'otai-my-plugin'), 'status', '--porcelain').split('\n').every((line) => line.startsWith('A '))).toBe(true);
  });

  it('makes the plugin\'s own repository whatever GIT_DIR says', () => {
    const cwd = tempDir();
    const elsewhere = join(tempDir(), 'nowhere', '.git');
    const r = runCli(['otai-my-plugin', '--yes', '--no-install', '--author', 'Ada', '--email', 'ada@example.org'], cwd, testEnv({ GIT_DIR: elsewhere }));
    expect(r.code, r.stderr).toBe(0);
    expect(git(join(cwd, 'otai-my-plugin'), 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('skips git inside an existing repository and says so', () => {
    const cwd = tempDir();
    git(cwd, 'init', '-q');
    const r = runCli(['otai-my-plugin', '--yes', '--no-install'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/git skipped: .* is already inside the repository/);
    expect(existsSync(join(cwd, 'otai-my-plugin', '.git'))).toBe(false);
  });
});

describe('generated pyproject.toml, parsed as TOML', () => {
  it.each(Object.entries(OPTION_SETS))('option set "%s" round-trips every field', (_set, argv) => {
    const cwd = tempDir();
    const r = runCli([...argv, '--yes', '--no-git', '--no-install', '--json'], cwd);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const toml = parse(readFileSync(join(result.directory, 'pyproject.toml'), 'utf8')) as any;
    const flag = (name: string) => { const i = argv.indexOf(name); return i === -1 ? undefined : argv[i + 1]; };
    expect(toml.project.name).toBe(argv[0]);
    expect(toml.project.description).toBe(flag('--description') ?? 'An Open Ticket AI plugin');
    expect(toml.project['requires-python']).toBe(flag('--python') ?? '>=3.14');
    expect(toml.project.dependencies).toEqual([`open-ticket-ai${flag('--otai-version') ?? '>=1.4.21,<2.0.0'}`, 'pydantic>=2.12']);
    const author = flag('--author');
    if (author) expect(toml.project.authors).toEqual([{ name: author, email: flag('--email') }]);
    else expect(toml.project.authors).toBeUndefined();
    expect(toml.project['entry-points']['open_ticket_ai.plugins']).toEqual({ [result.entryPoint.name]: result.entryPoint.value });
    expect(toml.project.license).toBe(flag('--license') === 'Proprietary' ? 'LicenseRef-Proprietary' : flag('--license') ?? 'MIT');
    expect(toml['build-system']['build-backend']).toBe({ uv: 'uv_build', hatchling: 'hatchling.build', setuptools: 'setuptools.build_meta' }[flag('--build-backend') ?? 'uv']);
    expect(toml['dependency-groups'].dev.map((d: string) => d.split(/[<>=]/)[0])).toEqual(['pytest', 'pytest-asyncio', 'ruff', 'mypy']);
    expect(toml.tool.pytest.ini_options.asyncio_mode).toBe('auto');
    expect(toml.tool.mypy.strict).toBe(true);
    expect(toml.tool['create-otai-plugin']).toMatchObject({ module: result.module, 'registry-prefix': result.registryPrefix });
  });
});
