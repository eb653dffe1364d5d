// The real-runtime tier: every generated plugin builds, lints, type-checks, passes its own tests
// and loads into the real open-ticket-ai under exactly the keys the generator promised.
// Run with `npm run test:python`; needs Python >= 3.14 and uv on PATH (.ci/run provisions them).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { registerInFactory } from '../../src/add/factory.js';
import { naturalCompare } from '../../src/plan.js';
import { OTAI_PROVEN_VERSIONS } from '../../src/tables.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { tierMatrix } from './matrix.js';

// The real HOME: the runtime envs are cached per machine under ~/.cache/create-otai-plugin.
const ENV = { ...process.env, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1', NO_COLOR: '1' };
const WORK = tempDir('otai-tier-');
const execFileAsync = promisify(execFile);

/**
 * Run a tool; on failure, the error names the plugin, the step and the tool's output.
 * Asynchronous on purpose: a blocked worker misses vitest's RPC heartbeats on long steps.
 */
async function step(plugin: string, name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60_000 });
    return stdout;
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    throw new Error(`[${plugin}] step "${name}" failed (${command} ${args.join(' ')}, exit ${e.code}):\n${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}`);
  }
}

/** One runtime venv per proven open-ticket-ai version, built once per machine (scripts/runtime-env.sh). */
const runtimes = new Map<string, string>();
const runtime = (version: string): string => runtimes.get(version)!;
const sitePackages = (venv: string) => { const lib = join(venv, 'lib'); return join(lib, readdirSync(lib).find((d) => d.startsWith('python3'))!, 'site-packages'); };

beforeAll(async () => {
  for (const version of OTAI_PROVEN_VERSIONS) {
    const out = await step('runtime', `runtime env ${version}`, 'bash', [join(ROOT, 'scripts/runtime-env.sh'), version], ROOT);
    runtimes.set(version, out.trim().split('\n').pop()!);
  }
}, 20 * 60_000);

describe.each(tierMatrix())('plugin "$id"', ({ id, argv, grow = [], dropRecord = false, strictAsyncio = false, pluginName }) => {
  const dir = join(WORK, id);
  let result: { name: string; module: string; entryPoint: { name: string; value: string; group: string }; registryKeys: string[]; files: string[] };
  let wheel: string;

  it('is generated', async () => {
    result = JSON.parse(await step(id, 'generate', process.execPath, [BIN, ...argv, '--yes', '--no-git', '--no-install', '--json', '--dir', dir], WORK));
    expect(existsSync(join(dir, 'pyproject.toml'))).toBe(true);
    if (dropRecord) {
      const pyproject = join(dir, 'pyproject.toml');
      writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/\n\[tool\.create-otai-plugin\][^[]*/, '\n'));
      expect(readFileSync(pyproject, 'utf8')).not.toContain('create-otai-plugin');
    }
    if (strictAsyncio) {
      const pyproject = join(dir, 'pyproject.toml');
      writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('asyncio_mode = "auto"\n', ''));
      expect(readFileSync(pyproject, 'utf8')).not.toContain('asyncio_mode');
    }
    if (pluginName) {
      const { module } = result;
      const edit = (path: string, change: (text: string) => string) => writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
      const prefix = pluginName.replaceAll('otai-', '');
      const old = result.registryKeys[0]!.split(':')[0]!;
      edit(`src/${module}/plugin_factory.py`, (text) => text.replace(/(class PluginFactory\(Plugin\):\n(?: {4}""".*\n)?)/, `$1\n    @property\n    def _plugin_name(self) -> str:\n        return "${pluginName}"\n`));
      edit(`src/${module}/__init__.py`, (text) => `${text}\nfrom ${module}.plugin_factory import PluginFactory\n\n__all__ = ["PluginFactory"]\n`);
      edit('pyproject.toml', (text) => text.replace(`"${module}.plugin_factory:PluginFactory"`, `"${module}:PluginFactory"`).replace(`registry-prefix = "${old}"`, `registry-prefix = "${prefix}"`));
      for (const test of readdirSync(join(dir, 'tests/unit'))) edit(`tests/unit/${test}`, (text) => text.replaceAll(`"${old}:`, `"${prefix}:`));
      result.entryPoint.value = `${module}:PluginFactory`;
      result.registryKeys = result.registryKeys.map((key) => key.replace(`${old}:`, `${prefix}:`));
    }
    // A plugin grown with `add`: the promised keys are creation's plus every add's.
    for (const command of grow) {
      const added = JSON.parse(await step(id, command.join(' '), process.execPath, [BIN, ...command, '--json'], dir)) as { registryKeys: string[] };
      result.registryKeys = [...result.registryKeys, ...added.registryKeys];
    }
  });

  it('uv lock resolves the Python and open-ticket-ai specifiers together', async () => {
    await step(id, 'uv lock', 'uv', ['lock'], dir);
    const lock = parse(readFileSync(join(dir, 'uv.lock'), 'utf8')) as { package: { name: string; version: string }[] };
    const otai = lock.package.find((p) => p.name === 'open-ticket-ai');
    expect(otai, `[${id}] uv.lock has no open-ticket-ai`).toBeDefined();
    expect(OTAI_PROVEN_VERSIONS as readonly string[]).toContain(otai!.version);
  }, 10 * 60_000);

  it('uv build makes an sdist and a wheel whose entry_points.txt holds exactly the promised entry point', async () => {
    // Another package the author keeps under src/ (a helper, an old module): not the plugin's to ship.
    mkdirSync(join(dir, 'src/stray_pkg'), { recursive: true });
    writeFileSync(join(dir, 'src/stray_pkg/__init__.py'), '');
    // Local files a user keeps beside the plugin: the runtime's settings (secrets) and notes.
    writeFileSync(join(dir, 'config.yml'), 'open_ticket_ai: {}\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    writeFileSync(join(dir, 'tests/.env'), 'TOKEN=secret\n');
    // macOS's folder settings, wherever Finder opened a folder.
    const finder = ['.DS_Store', 'tests/.DS_Store', `src/${result.module}/.DS_Store`];
    for (const path of finder) writeFileSync(join(dir, path), 'x');
    // Bytecode a test run or an import leaves beside the sources.
    const caches = ['tests/__pycache__', `src/${result.module}/__pycache__`];
    for (const cache of caches) {
      mkdirSync(join(dir, cache), { recursive: true });
      writeFileSync(join(dir, cache, 'stale.cpython-314.pyc'), 'x');
    }
    writeFileSync(join(dir, 'tests/stale.pyo'), 'x');
    // What a plugin may ship inside its package (QA: setuptools left data files out, hatchling a
    // subpackage named build, which .gitignore named): data files, a subpackage named build; and a
    // .env there, which it must not.
    const pkg = `src/${result.module}`;
    const shipped = [`${pkg}/labels.json`, `${pkg}/prompts/triage.j2`, `${pkg}/build/__init__.py`];
    for (const path of [...shipped, `${pkg}/.env`]) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), path.endsWith('.env') ? 'TOKEN=secret\n' : '\n');
    }
    try {
      await step(id, 'uv build', 'uv', ['build', '--out-dir', 'dist'], dir);
    } finally {
      for (const path of ['src/stray_pkg', 'config.yml', 'notes.txt', 'tests/.env', 'tests/stale.pyo', ...finder, ...caches, `${pkg}/labels.json`, `${pkg}/prompts`, `${pkg}/build`, `${pkg}/.env`]) rmSync(join(dir, path), { recursive: true, force: true });
    }
    const base = result.name.replaceAll('-', '_');
    expect(readdirSync(join(dir, 'dist')).filter((f) => f !== '.gitignore').sort()).toEqual([`${base}-0.1.0-py3-none-any.whl`, `${base}-0.1.0.tar.gz`].sort());
    wheel = join(dir, 'dist', `${base}-0.1.0-py3-none-any.whl`);
    // A wheel the README tells the user to install (a Proprietary plugin's) is the one built.
    for (const [, named] of readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/uv pip install (dist\/\S+\.whl)/g)) {
      expect(existsSync(join(dir, named!)), `[${id}] README.md installs ${named}`).toBe(true);
    }
    const listing = JSON.parse(await step(id, 'read wheel', 'python3', ['-c', [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'eps = [n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt")]',
      'print(json.dumps({"names": z.namelist(), "eps": z.read(eps[0]).decode() if eps else None}))',
    ].join('\n'), wheel], dir)) as { names: string[]; eps: string | null };
    const ep = result.entryPoint;
    expect(listing.eps?.trim()).toBe(`[${ep.group}]\n${ep.name} = ${ep.value}`);
    expect(listing.names).toContain(`${result.module}/py.typed`);
    expect(listing.names).toContain(`${result.module}/plugin_factory.py`);
    expect(listing.names.filter((n) => n.startsWith('stray_pkg/')), `[${id}] the wheel ships src/stray_pkg`).toEqual([]);
    for (const path of shipped) expect(listing.names, `[${id}] the wheel lacks ${path}`).toContain(path.slice('src/'.length));
    expect(listing.names.filter((n) => /\.py[cod]$|(^|\/)\.(env|DS_Store)$/.test(n)), `[${id}] the wheel ships bytecode, a .env or a .DS_Store`).toEqual([]);
    // The sdist: the project, never the user's local files (a QA pass found hatchling's had taken
    // config.yml); with uv_build and hatchling, the tests and changelog too.
    const sdist = (await step(id, 'read sdist', 'tar', ['tzf', join(dir, 'dist', `${base}-0.1.0.tar.gz`)], dir)).split('\n').map((n) => n.replace(/^[^/]*\/?/, '')).filter(Boolean);
    for (const path of ['pyproject.toml', 'README.md', 'LICENSE', `src/${result.module}/plugin_factory.py`]) expect(sdist, `[${id}] the sdist lacks ${path}`).toContain(path);
    expect(sdist.filter((n) => /^(config\.yml|notes\.txt|src\/stray_pkg|\.github|\.python-version)|(^|\/)\.(env|DS_Store)$/.test(n)), `[${id}] the sdist ships local files`).toEqual([]);
    expect(sdist.filter((n) => n.startsWith('tests/') && n.endsWith('.py')).length, `[${id}] the sdist has no tests`).toBeGreaterThan(0);
    expect(sdist, `[${id}] the sdist lacks CHANGELOG.md`).toContain('CHANGELOG.md');
    expect(sdist.filter((n) => /\.py[cod]$/.test(n)), `[${id}] the sdist ships bytecode`).toEqual([]);
    for (const path of shipped) expect(sdist, `[${id}] the sdist lacks ${path}`).toContain(path);
  }, 10 * 60_000);

  it('ruff check, ruff format --check and mypy --strict pass on the code as written', async () => {
    const venv = runtime(OTAI_PROVEN_VERSIONS[0]);
    await step(id, 'ruff check', join(venv, 'bin/ruff'), ['check', '--no-cache', '.'], dir);
    await step(id, 'ruff format --check', join(venv, 'bin/ruff'), ['format', '--check', '--no-cache', '.'], dir);
    await step(id, 'mypy --strict', join(venv, 'bin/python'), ['-m', 'mypy', '--strict', '--no-incremental', 'src', 'tests'], dir);
  }, 10 * 60_000);

  describe.each([...OTAI_PROVEN_VERSIONS])('against open-ticket-ai %s', (version) => {
    let venv: string;
    it('the wheel installs next to the real open-ticket-ai', async () => {
      // A small venv per plugin that sees the shared runtime through a .pth file: the plugin's
      // wheel goes in, the cached runtime (without the ML stack) is not copied.
      venv = join(WORK, `${id}-venv-${version}`);
      const shared = runtime(version);
      await step(id, 'venv', 'uv', ['venv', '--quiet', '--python', join(shared, 'bin/python'), venv], WORK);
      writeFileSync(join(sitePackages(venv), '_otai_runtime.pth'), `${sitePackages(shared)}\n`);
      expect(existsSync(wheel), `[${id}] no wheel was built`).toBe(true);
      await step(id, 'install wheel', 'uv', ['pip', 'install', '--quiet', '--no-deps', '--python', join(venv, 'bin/python'), wheel], WORK);
    }, 5 * 60_000);

    it('the generated tests pass with pytest', async () => {
      await step(id, `pytest (open-ticket-ai ${version})`, join(venv, 'bin/python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'error::pytest.PytestCollectionWarning'], dir);
    }, 5 * 60_000);

    it('the runtime loader registers exactly the promised keys', async () => {
      const out = await step(id, `loader check (open-ticket-ai ${version})`, join(venv, 'bin/python'), [join(ROOT, 'scripts/loader-check.py'), result.module, result.entryPoint.name], WORK);
      const loaded = JSON.parse(out) as { entryPoint: { name: string; value: string }; keys: string[] };
      expect(loaded.entryPoint).toEqual({ name: result.entryPoint.name, value: result.entryPoint.value });
      expect(new Set(loaded.keys)).toEqual(new Set(result.registryKeys));
      expect(loaded.keys.length).toBe(result.registryKeys.length);
    }, 5 * 60_000);
  });
});

// The hooks a plugin overrides carry @override: should Open Ticket AI rename one, the plugin's own
// mypy (its CI runs it) must fail, not the pipe quietly skip or the service log its secrets.
describe('a hook the runtime no longer has', () => {
  it.each([...OTAI_PROVEN_VERSIONS])('fails mypy --strict against open-ticket-ai %s', async (version) => {
    const dir = join(WORK, `renamed-hooks-${version}`);
    const made = JSON.parse(await step('renamed-hooks', 'generate', process.execPath, [BIN, 'otai-hooks', '--yes', '--no-git', '--no-install', '--json', '--dir', dir], WORK)) as { module: string };
    const pkg = join(dir, 'src', made.module);
    const renames: [string, string][] = [['pipes/hooks_pipe.py', '_process'], ['services/hooks_service.py', '_log_init'], ['plugin_factory.py', '_get_all_injectables']];
    for (const [file, hook] of renames) {
      const path = join(pkg, file);
      const source = readFileSync(path, 'utf8');
      expect(source, `${file} defines ${hook}`).toMatch(new RegExp(`@override\\n    (?:async )?def ${hook}\\(`));
      writeFileSync(path, source.replace(`def ${hook}(`, `def ${hook}_renamed(`));
    }
    const venv = runtime(version);
    const failed = await step('renamed-hooks', 'mypy --strict', join(venv, 'bin/python'), ['-m', 'mypy', '--strict', '--no-incremental', 'src'], dir).then(() => '', (error: Error) => error.message);
    for (const [, hook] of renames) expect(failed).toContain(`Method "${hook}_renamed" is marked as an override, but no base method was found with this name`);
  }, 5 * 60_000);
});

// add places a new import among hand-written ones by naturalCompare: it must be the order ruff's
// isort gives, or the plugin fails `ruff check` (I001) after add. Random dotted module names,
// reproducible (fixed seed), sorted by ruff itself.
describe("ruff's import order", () => {
  it('is naturalCompare, for dotted names with digits, leading zeros, underscores and case', async () => {
    const segment = fc.tuple(fc.constantFrom(...'aAbBzZ_'), fc.string({ unit: fc.constantFrom(...'aAbB_0129.'), maxLength: 7 }))
      .map(([head, tail]) => `${head}${tail}`.replace(/\.(?=[0-9.]|$)/g, '_'));
    const names = [...new Set(fc.sample(segment, { numRuns: 400, seed: 20261126 }).map((s) => `pkg.${s}`))];
    const dir = join(WORK, 'isort-order');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ruff.toml'), '[lint]\nselect = ["I"]\n\n[lint.isort]\nknown-first-party = ["pkg"]\n');
    writeFileSync(join(dir, 'order.py'), names.map((name, i) => `from ${name} import X${i}\n`).join(''));
    await step('isort-order', 'ruff check --fix', join(runtime(OTAI_PROVEN_VERSIONS[0]), 'bin/ruff'), ['check', '--no-cache', '--fix', '--quiet', 'order.py'], dir);
    const sorted = [...readFileSync(join(dir, 'order.py'), 'utf8').matchAll(/^from (\S+) import/gm)].map((m) => m[1]!);
    expect(sorted.length).toBe(names.length);
    expect([...names].sort(naturalCompare)).toEqual(sorted);
  });
});

// add's edit of factories formatted by hand, checked by ruff itself: each input is clean, and so
// must be each result (import order and blank lines as ruff's isort wants them, and ruff format).
describe("add's edit of hand-formatted factories", () => {
  it('gives code that `ruff check --select I` and `ruff format --check` accept', async () => {
    const head = '"""Factory."""\n\nfrom open_ticket_ai.core.injectables.injectable import Injectable\nfrom open_ticket_ai.core.plugins.plugin import Plugin\n';
    const tail = (list: string) => `\n\nclass PluginFactory(Plugin):\n    def _get_all_injectables(self) -> list[type[Injectable]]:\n        return ${list}\n`;
    const inputs: Record<string, string> = {
      commentWithin: `${head}\nfrom otai_x.pipes.b_pipe import BPipe\n\n# ZPipe is vendored; keep in sync\nfrom otai_x.pipes.z_pipe import ZPipe\n${tail('[BPipe, ZPipe]')}`,
      commentOpening: `${head}\n# BPipe is vendored\nfrom otai_x.pipes.b_pipe import BPipe\n${tail('[BPipe]')}`,
      relativeOnly: `${head}\n# helpers of this plugin\nfrom .helpers import helper\n${tail('[]')}`,
      parenthesized: `${head}\nimport otai_x.config\nfrom otai_x.pipes.b_pipe import (\n    BPipe,\n)\nfrom otai_x.pipes.z_pipe import ZPipe\n${tail('[BPipe, ZPipe]')}`,
      digitsAndDots: `${head}\nfrom otai_x.pipes.route.core import RoutePipe\nfrom otai_x.pipes.step02_pipe import Step02Pipe\nfrom otai_x.pipes.step1_pipe import Step1Pipe\n${tail('[RoutePipe, Step02Pipe, Step1Pipe]')}`,
      crlf: `${head}\nfrom otai_x.pipes.b_pipe import BPipe\n${tail('[BPipe]')}`.replaceAll('\n', '\r\n'),
    };
    const added = ['APipe:a_pipe', 'CPipe:c_pipe', 'Route2Pipe:route2_pipe', 'Step010Pipe:step010_pipe', 'Step03Pipe:step03_pipe', 'ZzPipe:zz_pipe']
      .map((s) => { const [className, stem] = s.split(':'); return { className: className!, from: `otai_x.pipes.${stem}` }; });
    const ruff = join(runtime(OTAI_PROVEN_VERSIONS[0]), 'bin/ruff');
    for (const stage of ['input', 'edited'] as const) {
      const dir = join(WORK, `factory-edit-${stage}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'ruff.toml'), '[lint]\nselect = ["I"]\n\n[lint.isort]\nknown-first-party = ["otai_x"]\n');
      for (const [name, source] of Object.entries(inputs)) {
        for (const registration of stage === 'input' ? [undefined] : added) {
          const edited = registration ? registerInFactory(source, 'otai_x', [registration]) : { ok: true as const, content: source };
          expect(edited.ok, `${name} + ${registration?.className}: ${edited.ok ? '' : edited.reason}`).toBe(true);
          writeFileSync(join(dir, `${name}_${registration?.className ?? 'input'}.py`.toLowerCase()), edited.ok ? edited.content : '');
        }
      }
      await step(`factory-edit-${stage}`, 'ruff check', ruff, ['check', '--no-cache', '.'], dir);
      await step(`factory-edit-${stage}`, 'ruff format --check', ruff, ['format', '--check', '--no-cache', '.'], dir);
    }
  });
});
