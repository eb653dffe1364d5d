// The interactive flow, typed into the real @clack/prompts: in-process through fake TTY streams
// (main decides on prompts by itself, as in a terminal) and over a real pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPluginName } from '../src/naming.js';
import { which } from '../src/steps/run.js';
import { KEY, inPty, inProcess, type Session } from './helpers/terminal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/create-otai-plugin.cjs');
const saved = { ...process.env };
let sandbox: string;
let bin: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` before the tests');
  sandbox = mkdtempSync(join(tmpdir(), 'otai-interactive-'));
  // Deterministic author/email defaults, and a PATH with git but never a uv of the machine's.
  const gitconfig = join(sandbox, 'gitconfig');
  writeFileSync(gitconfig, '[user]\n\tname = Ada Tester\n\temail = ada@example.org\n[init]\n\tdefaultBranch = main\n');
  bin = join(sandbox, 'bin');
  mkdirSync(bin);
  const git = which('git');
  if (!git) throw new Error('git is needed by these tests');
  symlinkSync(git, join(bin, 'git'));
  // The interpreter itself, not a version manager's shim (which needs its own PATH).
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  if (!python) throw new Error('python3 is needed by these tests (for a pseudo-terminal)');
  symlinkSync(python, join(bin, 'python3'));
  symlinkSync(process.execPath, join(bin, 'node'));
  Object.assign(process.env, { HOME: sandbox, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', PATH: bin, NO_COLOR: '1' });
  // Prompts are decided by the terminal here, not by the CI this may run in.
  delete process.env.CI;
});

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  rmSync(sandbox, { recursive: true, force: true });
});

const workdir = () => mkdtempSync(join(sandbox, 'cwd-'));

/** Every file under dir (without .git) with its bytes. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (entry.isFile() && !rel.split('/').includes('.git')) files.set(rel, readFileSync(path).toString('base64'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** The built CLI without prompts (stdin not a terminal). */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
}

/** Choose "a different directory" for a taken target, take the folder offered, then every default. */
async function takeTheOffer(s: Session): Promise<void> {
  await s.answer('Choose a different directory', `${KEY.down}\r`);
  await s.answer('Directory for the plugin', KEY.enter);
  await acceptRest(s);
  expect((await s.result).code).toBe(0);
}

/**
 * Answer "Create the plugin?" as a person does, after reading the summary: keys read in its first
 * 800 ms are not its answer (typed ahead, or an Enter pressed twice).
 */
async function confirmCreate(s: Session, keys: string, { shown = false } = {}): Promise<void> {
  if (!shown) await s.screen.waitFor('Create the plugin?');
  await new Promise((done) => setTimeout(done, 900));
  s.type(keys);
}

/** The questions from the description up to git's, in order. */
const TO_GIT = ['Description', 'Author', 'Author email', 'License', 'Pipes', 'Services', 'Change advanced settings?'];

/** Type keys one at a time, `gap` ms apart, as a person types a word. */
async function typeKeys(s: Session, keys: readonly string[], gap: number): Promise<void> {
  for (const key of keys) { s.type(key); await new Promise((done) => setTimeout(done, gap)); }
}

/** "Create the plugin?" still waits and nothing is written; then Ctrl-C cancels it, exit 130. */
async function stillAskedThenCancel(s: Session, cwd: string, label = ''): Promise<void> {
  expect(s.screen.all, label).not.toMatch(/◇ {2}Create the plugin\?/);
  expect(readdirSync(cwd)).toEqual([]);
  s.type(KEY.ctrlC);
  expect((await s.result).code).toBe(130);
}

/** Take the default of each of these questions with Enter. */
async function enterThrough(s: Session, prompts: readonly string[]): Promise<void> {
  for (const prompt of prompts) await s.answer(prompt, KEY.enter);
}

/** A run of `name` with every default taken up to git's question, which gets `keys`. */
async function gitAnswered(name: string, keys: string): Promise<{ cwd: string; s: Session }> {
  const cwd = workdir();
  const s = inProcess([name], cwd);
  await enterThrough(s, TO_GIT);
  await s.answer('Initialize a git repository?', keys);
  return { cwd, s };
}

/** Accept every default from the description on (git: no), then create. */
async function acceptRest(s: Session): Promise<void> {
  await enterThrough(s, TO_GIT);
  await s.answer('Initialize a git repository?', 'n\r');
  await confirmCreate(s, KEY.enter);
}

describe('interactive create in a (fake) terminal', () => {
  it('the current folder deleted while a question is open: nothing written, the folder not made again, exit 1 and why (QA report: the plugin landed in a folder made anew)', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-gone'], cwd);
    await s.screen.waitFor('Description');
    rmSync(cwd, { recursive: true });
    s.type(KEY.enter);
    await enterThrough(s, TO_GIT.slice(1));
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    const { code, err } = await s.result;
    expect(code).toBe(1);
    expect(err).toContain(`The current folder ${cwd} was deleted or moved after the run began; nothing was written. cd into an existing folder and run again.`);
    expect(existsSync(cwd)).toBe(false);
  });

  /** A run of `name` on a terminal `columns` wide, every default taken (git: no), at the summary. */
  async function atSummary(name: string, columns: number): Promise<{ cwd: string; s: Session; summary: string }> {
    const cwd = workdir();
    const s = inProcess([name], cwd, columns);
    await enterThrough(s, TO_GIT);
    await s.answer('Initialize a git repository?', 'n\r');
    await s.screen.waitFor('Create the plugin?');
    return { cwd, s, summary: s.screen.all.slice(s.screen.all.indexOf('About to create')) };
  }

  it('a terminal that reports 0 columns draws as one of 80 (QA report: a character a line)', async () => {
    const { s, summary } = await atSummary('otai-zero', 0);
    expect(summary).toContain('use: "zero:ZeroPipe"');
    await confirmCreate(s, KEY.enter, { shown: true });
    expect((await s.result).code).toBe(0);
  });

  it('in an 80-column terminal, the summary shows the entry point\'s lines whole, as pyproject.toml holds them (review: they wrapped)', async () => {
    // A name whose entry point broke mid-line in the value column (review); each line drawn whole.
    const { cwd, s, summary } = await atSummary('otai-ticket-tools', 80);
    expect(summary).toMatch(/^│ {4}\[project\.entry-points\."open_ticket_ai\.plugins"\] *│$/m);
    expect(summary).toMatch(/^│ {4}ticket_tools = "otai_ticket_tools\.plugin_factory:PluginFactory" *│$/m);
    await confirmCreate(s, KEY.enter, { shown: true });
    expect((await s.result).code).toBe(0);
    expect(readFileSync(join(cwd, 'otai-ticket-tools', 'pyproject.toml'), 'utf8')).toContain('[project.entry-points."open_ticket_ai.plugins"]\nticket_tools = "otai_ticket_tools.plugin_factory:PluginFactory"\n');
  });

  it('a license typed by name is that license, its h, j, k and l letters not keys that move; a name of none is refused and asked again', async () => {
    // QA report: a select read "Apache-2.0⏎" as keys and chose Proprietary.
    const cwd = workdir();
    const s = inProcess(['otai-typed'], cwd);
    await enterThrough(s, ['Description', 'Author', 'Author email']);
    await s.answer('License', 'bogus\r');
    await s.screen.waitFor('"bogus" is not one of: MIT, Apache-2.0');
    s.type(`${KEY.ctrlU}apache-2.0\r`);
    await enterThrough(s, ['Pipes', 'Services', 'Change advanced settings?']);
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    expect((await s.result).code).toBe(0);
    expect(s.screen.all).toMatch(/--license Apache-2\.0 /);
    expect(readFileSync(join(cwd, 'otai-typed', 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('happy path: the answers give the same files as the non-interactive run, and the reproduce command repeats it', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.screen.waitFor('create-otai-plugin 0.1.0');
    await s.answer('Plugin name', 'otai-ticket-tools\r');
    await s.answer('Description', 'Sorts tickets\r');
    await s.screen.waitFor('Author');
    expect(s.screen.rest).toContain('Ada Tester');
    s.type(KEY.enter);
    await s.screen.waitFor('Author email');
    expect(s.screen.rest).toContain('ada@example.org');
    s.type(KEY.enter);
    await s.answer('License', `${KEY.down}\r`);
    await s.screen.waitFor('Pipes (comma-separated; clear the field for none)');
    expect(s.screen.rest).toContain('TicketTools');
    s.type(`${KEY.ctrlU}classify-priority, RouteQueue\r`);
    await s.answer('Services', `${KEY.ctrlU}ticket lookup\r`);
    await s.answer('Change advanced settings?', 'y\r');
    await s.answer('Python version specifier', KEY.enter);
    await s.answer('open-ticket-ai version specifier', KEY.enter);
    await s.answer('Build backend', `${KEY.down}\r`);
    await s.answer('Initialize a git repository?', KEY.enter);
    await s.screen.waitFor('About to create');
    await s.screen.waitFor('Create the plugin?');
    const summary = s.screen.all.slice(s.screen.all.indexOf('About to create'));
    for (const line of ['./otai-ticket-tools', 'otai_ticket_tools', 'registry prefix ticket-tools', '[project.entry-points."open_ticket_ai.plugins"]', 'ticket_tools = "otai_ticket_tools.plugin_factory:PluginFactory"', 'use: "ticket-tools:ClassifyPriorityPipe"', 'use: "ticket-tools:RouteQueuePipe"', 'use: "ticket-tools:TicketLookupService"']) {
      expect(summary).toContain(line);
    }
    expect(existsSync(join(cwd, 'otai-ticket-tools'))).toBe(false);
    await confirmCreate(s, KEY.enter, { shown: true });
    const { code, err } = await s.result;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(s.screen.all).toMatch(/Wrote \d+ files to \.\/otai-ticket-tools/);
    expect(s.screen.all).toContain('git repository initialized with a first commit');
    expect(s.screen.all).toContain('cd ./otai-ticket-tools');
    const made = join(cwd, 'otai-ticket-tools');
    expect(spawnSync('git', ['-C', made, 'log', '--format=%an <%ae>'], { encoding: 'utf8' }).stdout.trim()).toBe('Ada Tester <ada@example.org>');

    // The same answers as flags, written independently of the reproduce line.
    const flagsCwd = workdir();
    const byFlags = cli(['otai-ticket-tools', '--description', 'Sorts tickets', '--license', 'Apache-2.0', '--pipe', 'classify-priority', '--pipe', 'RouteQueue', '--service', 'ticket lookup', '--build-backend', 'hatchling', '--yes', '--no-git', '--no-install'], flagsCwd);
    expect(byFlags.status, byFlags.stderr).toBe(0);
    const expected = tree(join(flagsCwd, 'otai-ticket-tools'));
    expect([...expected.keys()]).toContain('src/otai_ticket_tools/pipes/route_queue_pipe.py');
    expect(tree(made)).toEqual(expected);

    // The reproduce line from the outro, pasted into a shell.
    const reproduce = /The same plugin without prompts:\n\S*\s+(npx create-otai-plugin@\S+ .*)\n/.exec(s.screen.all)?.[1];
    expect(reproduce).toContain('--license Apache-2.0');
    expect(reproduce).toContain('--build-backend hatchling');
    const againCwd = workdir();
    const again = spawnSync('/bin/sh', ['-c', reproduce!.replace(/^npx create-otai-plugin@\S+/, `node ${BIN}`)], { cwd: againCwd, encoding: 'utf8', timeout: 20_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(tree(join(againCwd, 'otai-ticket-tools'))).toEqual(expected);
  });

  it('an invalid name is refused with the flag\'s message, then corrected by the person', async () => {
    const cwd = workdir();
    const flagMessage = checkPluginName('otai-').ok ? '' : (checkPluginName('otai-') as { message: string }).message;
    expect(cli(['otai-', '--yes'], cwd).stderr).toContain(flagMessage);
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'otai-\r');
    await s.screen.waitFor(flagMessage);
    s.type(`${KEY.ctrlU}otai-fixed\r`);
    await acceptRest(s);
    const { code } = await s.result;
    expect(code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['otai-fixed']);
    expect(readFileSync(join(cwd, 'otai-fixed/pyproject.toml'), 'utf8')).toContain('name = "otai-fixed"');
  });

  it('a pipe whose test would be the registration test is refused at its prompt, with the flag\'s message', async () => {
    const cwd = workdir();
    const flag = cli(['otai-x-pipe', '--yes', '--no-git', '--no-install', '--pipe', 'X'], cwd);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('Two generated files would both be tests/unit/test_x_pipe.py');
    const s = inProcess(['otai-x-pipe'], cwd);
    for (const prompt of ['Description', 'Author', 'Author email', 'License']) await s.answer(prompt, KEY.enter);
    await s.answer('Pipes', `${KEY.ctrlU}X\r`);
    await s.screen.waitFor('Two generated files would both be tests/unit/test_x_pipe.py');
    s.type(`${KEY.ctrlU}Route\r`);
    for (const prompt of ['Services', 'Change advanced settings?']) await s.answer(prompt, KEY.enter);
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    expect((await s.result).code).toBe(0);
    expect(existsSync(join(cwd, 'otai-x-pipe/src/otai_x_pipe/pipes/route_pipe.py'))).toBe(true);
  });

  it('"My Plugin" gets the normalized otai- name offered, and accepting it uses it', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'My Plugin\r');
    await s.answer('Use otai-my-plugin', KEY.enter);
    await acceptRest(s);
    const { code } = await s.result;
    expect(code).toBe(0);
    expect(s.screen.all).toContain('must start with "otai-"');
    expect(readdirSync(cwd)).toEqual(['otai-my-plugin']);
    expect(existsSync(join(cwd, 'otai-my-plugin/src/otai_my_plugin/plugin_factory.py'))).toBe(true);
  });

  it('declining the suggestion asks again with the typed text to edit', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'my-plugin\r');
    await s.answer('Type another name', 'n\r');
    await s.screen.waitFor('Plugin name');
    await s.screen.waitFor('my-plugin');
    s.type(`${KEY.ctrlU}otai-other\r`);
    await acceptRest(s);
    expect((await s.result).code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['otai-other']);
  });

  it.each([['Ctrl-C', KEY.ctrlC], ['Escape', KEY.escape]])('%s at a middle prompt: "Cancelled", exit 130, nothing written', async (_label, key) => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'otai-halfway\r');
    await s.answer('Description', 'Half done\r');
    await s.answer('Author', key);
    const { code, err, out } = await s.result;
    expect(code).toBe(130);
    expect(err).toBe('Cancelled\n');
    expect(out).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('offers no example pipe or service a long plugin name would make too long: Enter through them is accepted', async () => {
    const cwd = workdir();
    const name = `otai-${Array.from({ length: 7 }, () => 'abcdefghi').join('-')}-abcd`;
    expect(checkPluginName(name).ok).toBe(true);
    const s = inProcess([name], cwd);
    await acceptRest(s);
    const { code } = await s.result;
    expect(code).toBe(0);
    expect(s.screen.all).not.toContain('shorten it to at most');
    // Each empty field says why (QA: it was left blank unexplained).
    for (const kind of ['pipe', 'service']) expect(s.screen.all).toContain(`No example ${kind} offered: Abcdefghi${'Abcdefghi'.repeat(6)}Abcd${kind[0]!.toUpperCase()}${kind.slice(1)}, named after the plugin,\n│  would make lines longer than ruff allows.`);
    expect(readFileSync(join(cwd, name, 'README.md'), 'utf8')).toContain(name);
  });

  it('otai-ticket-system: the example pipe is offered, the example service not, and its question says why', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-ticket-system'], cwd);
    await acceptRest(s);
    expect((await s.result).code).toBe(0);
    expect(s.screen.all).toContain('No example service offered: TicketSystemService, named after the plugin,\n│  would shadow Open Ticket AI\'s base class of that name.');
    expect(s.screen.all).not.toContain('No example pipe');
    expect(existsSync(join(cwd, 'otai-ticket-system/src/otai_ticket_system/pipes/ticket_system_pipe.py'))).toBe(true);
    expect(readdirSync(join(cwd, 'otai-ticket-system/src/otai_ticket_system/services')).sort()).toEqual(['__init__.py']);
  });

  it('"No" at the summary cancels without writing', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-not-now'], cwd);
    await enterThrough(s, [...TO_GIT, 'Initialize a git repository?']);
    await confirmCreate(s, 'n\r');
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // One line is one answer, however the keys arrive (QA report on the key queue).
  it('n at git, then Enter a moment later: the Enter does not answer "Create the plugin?" (its first moments take no keys)', async () => {
    const { cwd, s } = await gitAnswered('otai-habit', 'n');
    await new Promise((done) => setTimeout(done, 30));
    s.type(KEY.enter);
    await s.screen.waitFor('Create the plugin?');
    await new Promise((done) => setTimeout(done, 500));
    await stillAskedThenCancel(s, cwd);
  });

  it('a y or n typed for the next yes/no question a moment later is that question\'s answer; a cancel is taken at once', async () => {
    // QA report: a window after a y/n answer had eaten the next question's keys.
    const cwd = workdir();
    const s = inProcess(['otai-next'], cwd);
    await enterThrough(s, TO_GIT.slice(0, -1));
    await s.answer('Change advanced settings?', 'n');
    await s.screen.waitFor('Initialize a git repository?');
    await new Promise((done) => setTimeout(done, 250));
    s.type('n');
    await s.screen.waitFor('Create the plugin?');
    expect(s.screen.all).toMatch(/◇ {2}Initialize a git repository\?\n│ {2}No\n/);
    // Within the summary's first moments a cancel still cancels.
    await new Promise((done) => setTimeout(done, 200));
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('"no⏎" and "yes⏎" typed key by key answer one question: the o, the e and s, and the Enter are not the next one\'s', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-word'], cwd);
    await enterThrough(s, TO_GIT.slice(0, -1));
    await s.screen.waitFor('Change advanced settings?');
    const typed = (keys: string[]) => typeKeys(s, keys, 80);
    await typed(['n', 'o', KEY.enter]);
    await s.screen.waitFor('Initialize a git repository?');
    await new Promise((done) => setTimeout(done, 700));
    // The Enter of "no⏎" did not take git's default (yes): the question still waits.
    expect(s.screen.all).not.toMatch(/◇ {2}Initialize a git repository\?/);
    await typed(['Y', 'e', 's', KEY.enter]);
    await s.screen.waitFor('Create the plugin?');
    expect(s.screen.all).toMatch(/◇ {2}Change advanced settings\?.*\n│ {2}No\n/);
    expect(s.screen.all).toMatch(/◇ {2}Initialize a git repository\?\n│ {2}Yes\n/);
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('typed at the last question, "no⏎" slowly (0.5 s a key) or "nope⏎": "Create the plugin?" is not answered by its Enter', async () => {
    for (const keys of [['n', 'o', KEY.enter], ['n', 'o', 'p', 'e', KEY.enter]]) {
      const cwd = workdir();
      const s = inProcess(['otai-slow-no'], cwd);
      await enterThrough(s, TO_GIT);
      await s.screen.waitFor('Initialize a git repository?');
      await typeKeys(s, keys, keys.length > 3 ? 100 : 500);
      await s.screen.waitFor('Create the plugin?');
      await new Promise((done) => setTimeout(done, 600));
      await stillAskedThenCancel(s, cwd, keys.join(''));
    }
  });

  it('"y" and an Enter 0.7 s later at the name offered: the Enter is that answer\'s, the next typed answer the description\'s', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'demo\r');
    await s.screen.waitFor('Use otai-demo');
    s.type('y');
    await new Promise((done) => setTimeout(done, 700));
    s.type(KEY.enter);
    await s.answer('Description', 'easy plugin\r');
    await enterThrough(s, TO_GIT.slice(1));
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    expect((await s.result).code).toBe(0);
    expect(readFileSync(join(cwd, 'otai-demo/pyproject.toml'), 'utf8')).toContain('description = "easy plugin"');
  });

  it('"yes⏎" typed at "Create the plugin?" creates it, and the run ends (the rest of the word is read, not left to the shell)', async () => {
    const { cwd, s } = await gitAnswered('otai-yes', 'n\r');
    await s.screen.waitFor('Create the plugin?');
    await new Promise((done) => setTimeout(done, 900));
    await typeKeys(s, ['y', 'e', 's', KEY.enter], 120);
    expect((await s.result).code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['otai-yes']);
  });

  it('"y" at "Create the plugin?", then Ctrl-C or Escape while the rest of the word could still come: cancelled, nothing written', async () => {
    for (const cancel of [KEY.ctrlC, KEY.escape]) {
      const { cwd, s } = await gitAnswered('otai-late-cancel', 'n\r');
      await s.screen.waitFor('Create the plugin?');
      await new Promise((done) => setTimeout(done, 900));
      s.type('y');
      await new Promise((done) => setTimeout(done, 300));
      s.type(cancel);
      expect((await s.result).code).toBe(130);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('"no⏎" typed as "Create the plugin?" appears (its n and o within the guard, its Enter after): not a yes; a later n cancels', async () => {
    const { cwd, s } = await gitAnswered('otai-early-no', 'n\r');
    await s.screen.waitFor('Create the plugin?');
    await new Promise((done) => setTimeout(done, 500));
    await typeKeys(s, ['n', 'o', KEY.enter], 150);
    await new Promise((done) => setTimeout(done, 400));
    expect(s.screen.all).not.toMatch(/◇ {2}Create the plugin\?/);
    expect(readdirSync(cwd)).toEqual([]);
    await new Promise((done) => setTimeout(done, 800));
    s.type('n');
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('"y" then, at once, an answer for the next question that starts with e: the e is that answer\'s, not the rest of "yes"', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'my-plugin\r');
    await s.screen.waitFor('Use otai-my-plugin');
    await typeKeys(s, ['y', 'e', 'a', 's', 'y', KEY.enter], 60);
    await enterThrough(s, TO_GIT.slice(1));
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    expect((await s.result).code).toBe(0);
    expect(readFileSync(join(cwd, 'otai-my-plugin/pyproject.toml'), 'utf8')).toContain('description = "easy"');
  });

  it('Escape-Enter in one write within the summary\'s first moments cancels too (review report: it was dropped)', async () => {
    const { cwd, s } = await gitAnswered('otai-esc', 'n');
    await s.screen.waitFor('Create the plugin?');
    await new Promise((done) => setTimeout(done, 150));
    s.type(`${KEY.escape}\r`);
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an Enter pressed twice at the last question before the summary does not answer "Create the plugin?"', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-twice'], cwd);
    await enterThrough(s, TO_GIT);
    await s.answer('Initialize a git repository?', KEY.enter);
    await new Promise((done) => setTimeout(done, 30));
    s.type(KEY.enter);
    await s.screen.waitFor('Create the plugin?');
    await new Promise((done) => setTimeout(done, 500));
    await stillAskedThenCancel(s, cwd);
  });

  it('pasted answers replace pre-filled text; a refused one drops the rest of the paste', async () => {
    const cwd = workdir();
    const s = inProcess([], cwd);
    await s.answer('Plugin name', 'otai-pasted\rDesc\rBob\rnot-an-address\rMIT-or-so\r');
    await s.screen.waitFor('not an address of the form');
    await new Promise((done) => setTimeout(done, 200));
    // The author replaced "Ada Tester"; the lines after the refused email went nowhere.
    expect(s.screen.all).toMatch(/◇ {2}Author\n│ {2}Bob\n/);
    expect(s.screen.all).not.toContain('MIT-or-so');
    s.type(`${KEY.ctrlU}bob@example.org\r`);
    await s.screen.waitFor('License');
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
  });

  it('every flag given skips its prompt', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-flagged', '--description', 'Given', '--author', 'Bo', '--email', 'bo@example.org', '--license', 'GPL-3.0-only', '--pipe', 'Route', '--python', '>=3.14', '--otai-version', '>=1.4.21,<1.6', '--build-backend', 'uv', '--no-git'], cwd);
    // With --pipe given, services start empty, as --pipe alone means no services.
    await s.screen.waitFor('Services');
    expect(s.screen.rest).not.toContain('Flagged');
    s.type(KEY.enter);
    await confirmCreate(s, KEY.enter);
    expect((await s.result).code).toBe(0);
    for (const skipped of ['Plugin name', 'Description', 'Author', 'License', 'Pipes', 'Change advanced settings', 'Initialize a git']) expect(s.screen.all).not.toContain(skipped);
    const pyproject = readFileSync(join(cwd, 'otai-flagged/pyproject.toml'), 'utf8');
    expect(pyproject).toContain('open-ticket-ai>=1.4.21,<1.6');
    expect(pyproject).toContain('GPL-3.0-only');
    expect(existsSync(join(cwd, 'otai-flagged/src/otai_flagged/services'))).toBe(true);
    expect(readdirSync(join(cwd, 'otai-flagged/src/otai_flagged/services'))).toEqual(['__init__.py']);
  });

  it('--yes with --interactive asks nothing, shows the summary and creates', async () => {
    const cwd = workdir();
    const s = inProcess(['otai-quick', '--interactive', '--yes', '--no-git'], cwd);
    const { code } = await s.result;
    expect(code).toBe(0);
    expect(s.screen.all).toContain('use: "quick:QuickPipe"');
    for (const question of ['Description', 'Pipes', 'Create the plugin?']) expect(s.screen.all).not.toContain(question);
    expect(existsSync(join(cwd, 'otai-quick/src/otai_quick/pipes/quick_pipe.py'))).toBe(true);
  });

  it('a bad flag exits 2 before any question, as without prompts', async () => {
    const cwd = workdir();
    const s = inProcess(['--email', 'not-an-address'], cwd);
    const { code, err } = await s.result;
    expect(code).toBe(2);
    expect(err).toContain('is not an address');
    expect(s.screen.all).toBe('');
  });

  it('an existing non-empty target: cancel is the default', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'otai-taken'));
    writeFileSync(join(cwd, 'otai-taken/notes.txt'), 'mine');
    const s = inProcess(['otai-taken'], cwd);
    await s.answer('already exists and is not empty', KEY.enter);
    expect((await s.result).code).toBe(130);
    expect(readdirSync(join(cwd, 'otai-taken'))).toEqual(['notes.txt']);
    expect(readdirSync(cwd)).toEqual(['otai-taken']);
  });

  it('an existing non-empty target: a different directory can be chosen (and is checked too)', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'otai-taken'));
    writeFileSync(join(cwd, 'otai-taken/notes.txt'), 'mine');
    const s = inProcess(['otai-taken'], cwd);
    await s.answer('already exists and is not empty', `${KEY.down}\r`);
    await s.answer('Directory for the plugin', 'otai-taken\r');
    await s.screen.waitFor('Choose another directory.');
    s.type(`${KEY.ctrlU}elsewhere\r`);
    await acceptRest(s);
    expect((await s.result).code).toBe(0);
    expect(readdirSync(join(cwd, 'otai-taken'))).toEqual(['notes.txt']);
    expect(readFileSync(join(cwd, 'elsewhere/pyproject.toml'), 'utf8')).toContain('name = "otai-taken"');
    expect(s.screen.all).toContain('--dir elsewhere');
  });

  it('an existing non-empty --dir: the folder offered instead is beside it, and Enter takes it', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'projects/taken'), { recursive: true });
    writeFileSync(join(cwd, 'projects/taken/notes.txt'), 'mine');
    mkdirSync(join(cwd, 'projects/otai-beside-2'));
    writeFileSync(join(cwd, 'projects/otai-beside-2/notes.txt'), 'mine too');
    await takeTheOffer(inProcess(['otai-beside', '--dir', 'projects/taken'], cwd));
    expect(existsSync(join(cwd, 'projects/otai-beside-3/pyproject.toml'))).toBe(true);
    expect(readdirSync(join(cwd, 'projects')).sort()).toEqual(['otai-beside-2', 'otai-beside-3', 'taken']);
  });

  it('a --dir under a file, or in a folder named ~: the folder offered instead is in the working folder, where it can be made', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'afile'), 'not a folder');
    await takeTheOffer(inProcess(['otai-under', '--dir', 'afile/x'], cwd));
    expect(existsSync(join(cwd, 'otai-under-2/pyproject.toml'))).toBe(true);
    // Beside ./~/taken would be ~/otai-tilde-2, which --dir refuses (an unexpanded ~).
    mkdirSync(join(cwd, '~/taken'), { recursive: true });
    writeFileSync(join(cwd, '~/taken/notes.txt'), 'mine');
    await takeTheOffer(inProcess(['otai-tilde', '--dir', './~/taken'], cwd));
    expect(existsSync(join(cwd, 'otai-tilde-2/pyproject.toml'))).toBe(true);
  });

  it('with uv on PATH install is asked; a failing uv sync shows its output and exits 1, the plugin kept', async () => {
    const cwd = workdir();
    const fakeUv = join(bin, 'uv');
    writeFileSync(fakeUv, '#!/bin/sh\necho "error: No interpreter found for Python >=3.14 in managed installations" >&2\nexit 2\n');
    chmodSync(fakeUv, 0o755);
    try {
      for (const json of [false, true]) {
        const s = inProcess(['otai-with-uv', '--no-git', '--dir', `with-uv-${json}`, ...(json ? ['--json', '--interactive'] : [])], cwd);
        await enterThrough(s, TO_GIT);
        await s.answer('Install dependencies with uv sync?', KEY.enter);
        await confirmCreate(s, KEY.enter);
        const { code, out } = await s.result;
        expect(code).toBe(1);
        expect(s.screen.all).toContain('`uv sync` failed');
        expect(s.screen.all).toContain('No interpreter found for Python >=3.14');
        expect(existsSync(join(cwd, `with-uv-${json}/pyproject.toml`))).toBe(true);
        // --json: the object a run without prompts gives, the error with uv's output.
        if (json) expect(JSON.parse(out)).toEqual({ error: expect.objectContaining({ code: 'install_failed', message: expect.stringContaining('No interpreter found for Python >=3.14'), name: expect.any(String), directory: expect.any(String), steps: [expect.objectContaining({ step: 'install', status: 'failed' }), expect.objectContaining({ step: 'git' })] }) });
      }
    } finally {
      rmSync(fakeUv);
    }
  });
});

describe('without a terminal', () => {
  it('no name: exit 2, the message names the argument and flag, no prompt drawn', () => {
    const cwd = workdir();
    const env = { ...process.env };
    delete env.CI;
    const result = cli([], cwd, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('first argument');
    expect(result.stderr).toContain('--name');
    expect(result.stdout).toBe('');
    for (const drawn of ['Plugin name', 'create-otai-plugin 0.1.0', '◆', '┌']) expect(result.stderr).not.toContain(drawn);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('over a real pseudo-terminal (the built CLI)', () => {
  const env = () => { const e = { ...process.env }; delete e.CI; delete e.NO_COLOR; return e; };

  it('prompts by itself in a terminal and writes what the flags would', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN], cwd, env());
    await s.answer('Plugin name', 'ticket tools\r');
    await s.answer('Use otai-ticket-tools', KEY.enter);
    await s.answer('Description', KEY.enter);
    await s.answer('Author', KEY.enter);
    await s.answer('Author email', KEY.enter);
    await s.answer('License', KEY.enter);
    await s.answer('Pipes', `${KEY.ctrlU}Classify\r`);
    await s.answer('Services', `${KEY.ctrlU}\r`);
    await s.answer('Change advanced settings?', KEY.enter);
    await s.answer('Initialize a git repository?', 'n\r');
    await confirmCreate(s, KEY.enter);
    const { code } = await s.result;
    expect(code, s.screen.all).toBe(0);
    const flagsCwd = workdir();
    const byFlags = cli(['otai-ticket-tools', '--pipe', 'Classify', '--service', '', '--yes', '--no-git', '--no-install'], flagsCwd);
    expect(byFlags.status, byFlags.stderr).toBe(0);
    expect(tree(join(cwd, 'otai-ticket-tools'))).toEqual(tree(join(flagsCwd, 'otai-ticket-tools')));
  });

  it('Ctrl-C during uv sync: the spinner turns, then "Cancelled while uv sync ran.", exit 130, the written plugin kept', async () => {
    const cwd = workdir();
    const slowBin = mkdtempSync(join(sandbox, 'slow-uv-'));
    writeFileSync(join(slowBin, 'uv'), `#!/bin/sh\necho resolving\n${which('sleep', saved)} 10\n`);
    chmodSync(join(slowBin, 'uv'), 0o755);
    const s = inPty(['node', BIN, 'otai-slow', '--interactive', '--yes', '--no-git'], cwd, { ...env(), PATH: `${slowBin}:${bin}` });
    await s.screen.waitFor('Installing dependencies with uv sync');
    // A second frame proves the spinner turns while uv runs.
    await s.screen.waitFor('Installing dependencies with uv sync');
    s.type(KEY.ctrlC);
    const { code } = await s.result;
    expect(code).toBe(130);
    expect(s.screen.rest).toContain('Cancelled while uv sync ran.');
    // The spinner's line stopped, saying so, before the message (not left at a frame).
    expect(s.screen.rest).toMatch(/Installing dependencies with uv sync: cancelled\n[\s\S]*Cancelled while uv sync ran/);
    expect(s.screen.rest).not.toContain('nothing was written');
    expect(existsSync(join(cwd, 'otai-slow/pyproject.toml'))).toBe(true);
  });

  it('Ctrl-D at a prompt (the prompt\'s readline closes, the terminal stays open): "Cancelled", exit 130, cursor shown, nothing written', async () => {
    for (const before of [[], [['Plugin name', `otai-eof${KEY.enter}`]]] as const) {
      const cwd = workdir();
      const s = inPty(['node', BIN], cwd, env());
      for (const [prompt, keys] of before) await s.answer(prompt, keys);
      await s.answer(before.length ? 'Description' : 'Plugin name', KEY.ctrlD);
      const { code } = await s.result;
      expect(code).toBe(130);
      expect(s.screen.rest).toContain('Cancelled');
      expect(s.screen.cursorVisible).toBe(true);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('CI=false is no CI: it prompts', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN], cwd, { ...env(), CI: 'false' });
    await s.answer('Plugin name', KEY.ctrlC);
    // An example, not a default (Enter does not take it), says so.
    expect(s.screen.all).toContain('e.g. otai-my-plugin');
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGTERM at a prompt: the hidden cursor shown again, "Cancelled", exit 143, nothing written', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN, 'otai-stopped'], cwd, env());
    await s.screen.waitFor('Description');
    expect(s.screen.cursorVisible).toBe(false);
    s.signal!('SIGTERM');
    const { code } = await s.result;
    expect(code).toBe(143);
    expect(s.screen.rest).toContain('Cancelled (SIGTERM): nothing was written.');
    expect(s.screen.cursorVisible).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('SIGINT sent as a signal at a prompt (raw mode makes Ctrl-C a key): "Cancelled (SIGINT)", exit 130, cursor shown; with --json the error object too', async () => {
    for (const json of [false, true]) {
      const cwd = workdir();
      const s = inPty(['node', BIN, 'otai-stopped', ...(json ? ['--json', '--interactive'] : [])], cwd, env());
      await s.screen.waitFor('Description');
      s.signal!('SIGINT');
      const { code } = await s.result;
      expect(code).toBe(130);
      expect(s.screen.rest).toContain('Cancelled (SIGINT): nothing was written.');
      if (json) expect(s.screen.rest).toContain('{"error":{"code":"cancelled","message":"Cancelled (SIGINT): nothing was written."}}');
      expect(s.screen.cursorVisible).toBe(true);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it('a line feed submits like Enter (Ctrl-J, or Enter typed ahead in cooked mode); the LF of a CRLF is not a second Enter', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN], cwd, env());
    // Typed before the first prompt is drawn: the terminal is still in cooked mode (CR becomes LF).
    s.type('otai-ahead\r');
    await s.answer('Description', 'Routes tickets\n');
    await s.answer('Author', 'Ada\r\n');
    await s.screen.waitFor('Author email');
    // The LF after that CR did not answer the email prompt with its default.
    await new Promise((done) => setTimeout(done, 300));
    expect(s.screen.rest).not.toContain('License');
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
    expect(s.screen.all).toContain('otai-ahead');
    expect(s.screen.all).toMatch(/Description\n.*Routes tickets/);
  });

  it('several answers pasted in one write each go to their own prompt (they were lost after the first)', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN], cwd, env());
    await s.answer('Plugin name', 'otai-pasted\rRoutes pasted tickets\r\r');
    await s.screen.waitFor('Author email');
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
    expect(s.screen.all).toMatch(/Description\n.*Routes pasted tickets/);
    expect(s.screen.all).toMatch(/◇ {2}Author\n/);
  });

  it.each([['Ctrl-D with keys after it in one read', `${KEY.ctrlD}abc\r`], ['Escape then Enter at once (Alt-Enter)', `${KEY.escape}\r`], ['Escape then a line feed at once', `${KEY.escape}\n`]])('%s at an empty prompt cancels', async (_label, keys) => {
    const cwd = workdir();
    const s = inPty(['node', BIN, 'otai-quit'], cwd, env());
    await s.answer('Description', `${KEY.ctrlU}`);
    await new Promise((done) => setTimeout(done, 100));
    s.type(keys);
    expect((await s.result).code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('Ctrl-J right after an Enter (inside readline\'s CRLF window) still submits: only the LF of a CRLF is dropped', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN, 'otai-quick'], cwd, env());
    await s.answer('Description', KEY.enter);
    // The Author prompt is drawn a few milliseconds after that Enter: a LF now is a key of its own.
    await s.answer('Author', '\n');
    await s.screen.waitFor('Author email');
    s.type(KEY.ctrlC);
    expect((await s.result).code).toBe(130);
  });

  it('Ctrl-Z at a prompt, then fg: the prompt takes input again (no cancel, as for Ctrl-D)', async () => {
    const cwd = workdir();
    const s = inPty([which('bash', saved) ?? '/bin/bash', '--norc', '--noprofile', '-i'], cwd, { ...env(), PS1: '$ ' });
    s.type(`'${process.execPath}' '${BIN}' otai-paused --no-install --no-git; echo "exit=$?"\r`);
    await s.screen.waitFor('Description');
    s.type('\x1a');
    await s.screen.waitFor('Stopped');
    s.type('fg\r');
    await new Promise((done) => setTimeout(done, 300));
    s.type('Back again\r');
    await s.screen.waitFor('Author');
    s.type(KEY.ctrlC);
    // (The shell printed its `exit=` when the job stopped: a stopped job's `;` list goes on.)
    await s.screen.waitFor('Cancelled');
    s.type('exit\r');
    await s.result;
    expect(s.screen.all).not.toMatch(/Cancelled[\s\S]*Stopped/);
    expect(s.screen.all).toContain('Back again');
  });

  it('Ctrl-C at a middle prompt: Cancelled, exit 130, nothing written', async () => {
    const cwd = workdir();
    const s = inPty(['node', BIN, 'otai-stopped'], cwd, env());
    await s.answer('Description', 'Something\r');
    await s.answer('Author', KEY.ctrlC);
    const { code } = await s.result;
    expect(code).toBe(130);
    expect(s.screen.all).toContain('Cancelled');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
