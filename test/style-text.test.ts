// The prompt library's util.styleText (src/style-text.ts, given to it by the build): the same
// colours on every Node the CLI runs on, as Node 22.13 and later give them.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { colorize, styleText } from '../src/style-text.js';
import { BIN, tempDir, testEnv } from './helpers/cli.js';

const terminal = { isTTY: true, getColorDepth: (env?: NodeJS.ProcessEnv) => WriteStream.prototype.getColorDepth.call({}, env) };

describe('styleText for the prompts', () => {
  it('colours only a terminal that takes colour, or where FORCE_COLOR says so', () => {
    const env = { TERM: 'xterm-256color' };
    expect(colorize(terminal, env)).toBe(true);
    expect(colorize(terminal, { ...env, NO_COLOR: '1' })).toBe(false);
    expect(colorize(terminal, { ...env, NO_COLOR: '' })).toBe(false);
    expect(colorize(terminal, { ...env, NODE_DISABLE_COLORS: '1' })).toBe(false);
    expect(colorize(terminal, { TERM: 'dumb' })).toBe(false);
    expect(colorize({ isTTY: false }, env)).toBe(false);
    expect(colorize(undefined, env)).toBe(false);
    expect(colorize({ isTTY: false }, { ...env, FORCE_COLOR: '1' })).toBe(true);
    expect(colorize(terminal, { ...env, FORCE_COLOR: '0' })).toBe(false);
  });

  it('nests a list of styles, and says which format it does not know', () => {
    const saved = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '1';
    try {
      expect(styleText(['inverse', 'hidden'], '_')).toBe('\u001b[7m\u001b[8m_\u001b[28m\u001b[27m');
      expect(styleText('none', 'x')).toBe('x');
      expect(() => styleText('blinky', 'x')).toThrow(/unknown format "blinky"/);
    } finally {
      if (saved === undefined) delete process.env.FORCE_COLOR; else process.env.FORCE_COLOR = saved;
    }
  });

  it('piped answers under NO_COLOR: no colour or style at all in what the prompts, the intro and the spinner draw', () => {
    const answers = 'otai-piped\n\n\n\n\n\n\n\n\n\n\n\n';
    // Node 20.13 to 20.17 as a preload: its util.styleText colours whatever the environment says.
    // (Node 20.18 to 22.13 kept the cursor's styles; review: the intro and spinner used Node's own.)
    const oldNode = join(tempDir(), 'old-style-text.cjs');
    writeFileSync(oldNode, "const util = require('node:util'); util.styleText = (f, t) => [].concat(f).reduce((s, k) => `\\u001b[${util.inspect.colors[k][0]}m${s}\\u001b[${util.inspect.colors[k][1]}m`, t);\n");
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['-r', oldNode, BIN, '--interactive', '--no-git', '--no-install'], { cwd: tempDir(), input: answers, encoding: 'utf8', env: { ...testEnv(), ...env } });
    const plain = run({ NO_COLOR: '1' });
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout + plain.stderr).not.toMatch(/\u001b\[[0-9;]*m/);
    // FORCE_COLOR, as Node's own: colour on a pipe too.
    const forced = run({ FORCE_COLOR: '1' });
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/\u001b\[36m/);
  });
});
