// The bundle renders templates precompiled at build time; tests of src/ compile them from templates/.
// Both must write the same plugin, byte for byte.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/options/parse.js';
import { resolveCreateOptions } from '../src/options/resolve.js';
import { planCreate } from '../src/plan.js';
import { renderPlan } from '../src/render.js';
import { ROOT, readTree, runCli, tempDir } from './helpers/cli.js';
import { OPTION_SETS } from './helpers/sets.js';
import { LICENSES } from '../src/tables.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
});

describe.each(Object.entries(OPTION_SETS))('the built CLI, option set "%s"', (_set, argv) => {
  it('writes exactly the files the templates under templates/ render to', async () => {
    const cwd = tempDir();
    // The test environment has no git identity, like the in-process run below.
    const r = runCli([...argv, '--yes', '--no-git', '--no-install', '--dir', 'out'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const { flags, positionals } = parseArgs(argv);
    const expected = await renderPlan(planCreate(resolveCreateOptions(flags, positionals, { cwd, gitConfig: () => undefined })));
    const written = readTree(join(cwd, 'out'));
    expect([...written.keys()].sort()).toEqual(expected.map((f) => f.path).sort());
    for (const file of expected) expect(written.get(file.path), file.path).toBe(file.content);
  });
});

describe('the built CLI, every license', () => {
  // Each license is its own template function in the bundle; only one is rendered per run.
  it.each(Object.keys(LICENSES))('writes the LICENSE the template renders to, for %s', async (license) => {
    const cwd = tempDir();
    const argv = ['otai-lic', '--license', license, '--author', 'Ana', '--email', 'ana@example.org'];
    const r = runCli([...argv, '--yes', '--no-git', '--no-install', '--dir', 'out'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const { flags, positionals } = parseArgs(argv);
    const expected = await renderPlan(planCreate(resolveCreateOptions(flags, positionals, { cwd, gitConfig: () => undefined })));
    expect(readTree(join(cwd, 'out')).get('LICENSE')).toBe(expected.find((f) => f.path === 'LICENSE')!.content);
  });
});

describe('the published package', () => {
  it('run from its npm pack tarball as npm create runs it (npm exec), writes the same plugin as the checkout', () => {
    const packs = tempDir('otai-pack-');
    // dist/ is built already (npm test builds first): the tarball of exactly this build.
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packs], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    // What ships: the launcher, the bundle, the README and the license; no sources, tests or templates.
    expect(pack!.files.map((f) => f.path).sort()).toEqual([
      'LICENSE', 'README.md', 'bin/create-otai-plugin.cjs', 'dist/clack.js', 'dist/cli.js', 'dist/launcher.js', 'dist/long-templates.js', 'dist/package.json', 'package.json',
    ]);
    const cwd = tempDir('otai-packed-');
    const args = ['otai-my-plugin', '--yes', '--no-git', '--no-install', '--author', 'Ada', '--email', 'ada@example.org'];
    // Its own npm cache: the tarball is installed as from the registry, without touching the user's.
    execFileSync('npm', ['exec', '--yes', `--package=${join(packs, pack!.filename)}`, '--', 'create-otai-plugin', ...args], {
      cwd, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(packs, '.npm'), npm_config_update_notifier: 'false' },
    });
    const here = tempDir('otai-checkout-');
    expect(runCli(args, here).code).toBe(0);
    expect(readTree(join(cwd, 'otai-my-plugin'))).toEqual(readTree(join(here, 'otai-my-plugin')));
  });
});
