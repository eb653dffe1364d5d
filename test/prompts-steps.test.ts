// Step functions that need no typing: the up-front flag check and the spinner.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { checkFlag, DEFAULTS } from '../src/options/resolve.js';
import { askGit, checkGivenFlags, type Context } from '../src/steps/prompts.js';
import { spinner } from '../src/steps/spinner.js';

const ctx = (flags: Context['flags']): Context => ({
  flags,
  positionals: [],
  env: { cwd: '/tmp', gitConfig: () => undefined },
  term: { input: new PassThrough(), output: new PassThrough() },
  answers: { ...flags },
});

const refusal = async (flags: Context['flags']) => {
  try { await checkGivenFlags(ctx(flags)); return undefined; } catch (error) { return error as CliError; }
};

describe('defaults', () => {
  // A run takes a default as it is (only given values are checked), so each must pass its own check.
  it.each(Object.entries(DEFAULTS))('--%s defaults to "%s", a value the flag itself accepts', (key, value) => {
    expect(checkFlag(key as keyof typeof DEFAULTS, value)).toBeUndefined();
  });
});

describe('checkGivenFlags', () => {
  it('refuses a bad flag with the flag message and exit 2', async () => {
    const error = await refusal({ python: '3.14' });
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe(checkFlag('python', '3.14'));
  });

  it('refuses a bad pipe name as the plan would', async () => {
    const error = await refusal({ pipe: ['Good', '9lives'] });
    expect(error?.code).toBe('invalid_pipe');
    expect(error?.message).toContain('must start with a letter');
  });

  it('leaves a bad name to the name step (which can offer a correction) and accepts good flags', async () => {
    expect(await refusal({ name: 'my-plugin', license: 'MIT', pipe: ['Route'], email: 'a@b.org' })).toBeUndefined();
  });
});

describe('spinner', () => {
  const capture = (isTTY: boolean) => {
    let text = '';
    const output = Object.assign(new Writable({ write(c, _e, cb) { text += String(c); cb(); } }), { isTTY });
    return { output, text: () => text };
  };

  it('without a TTY prints only the final line, no redraws', () => {
    const { output, text } = capture(false);
    const s = spinner(output);
    s.start('Writing files');
    s.stop('Wrote 3 files', 'done');
    expect(text()).not.toContain('\r');
    expect(text()).toMatch(/Wrote 3 files\n$/);
    expect(text()).not.toContain('Writing files');
  });

  it('in a TTY redraws its line and ends with the outcome', () => {
    const { output, text } = capture(true);
    const s = spinner(output);
    s.start('Installing');
    s.stop('uv sync failed', 'failed');
    expect(text()).toContain('Installing...');
    expect(text()).toMatch(/\r\x1b\[2K.*uv sync failed\n$/);
  });

  it('in a narrow TTY cuts its line to fit: a line that wraps would leave a new line at every frame', () => {
    const { output, text } = capture(true);
    Object.assign(output, { columns: 40 });
    const s = spinner(output);
    s.start('Installing dependencies with uv sync');
    s.stop('done');
    const frame = text().split('\r\x1b[2K')[1]!.replace(/\x1b\[[0-9;]*m/g, '');
    expect(frame.length).toBeLessThan(40);
    expect(frame.slice(3)).toBe('Installing dependencies with uv syn…');
  });
});

describe('askGit', () => {
  it('asks nothing where git is not installed (the git step says so instead)', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const c = ctx({});
      let drawn = '';
      (c.term.output as PassThrough).on('data', (d: Buffer) => { drawn += d.toString(); });
      await askGit(c);
      expect(c.answers.git).toBeUndefined();
      expect(drawn).toBe('');
    } finally {
      process.env.PATH = path;
    }
  });
});
