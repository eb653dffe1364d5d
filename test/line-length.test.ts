// A plugin must pass its own `ruff check` (E501: lines of at most 120 columns) and `ruff format
// --check` as generated, whatever the names in it: long names are laid out as ruff formats them
// (src/pylayout.ts) or refused up front, never written as a line ruff rejects. Where ruff is
// installed (CI), it checks plugins at the layouts' edges; the real-runtime tier runs ruff, mypy and
// pytest on the long option sets of test/helpers/sets.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.js';
import { checkPluginName, MAX_CLASS_NAME, MAX_PLUGIN_NAME } from '../src/naming.js';
import { parseArgs } from '../src/options/parse.js';
import { resolveCreateOptions } from '../src/options/resolve.js';
import { planCreate } from '../src/plan.js';
import { pyLayout } from '../src/pylayout.js';
import { renderPlan } from '../src/render.js';
import { which } from '../src/steps/run.js';

const env = { cwd: '/work', gitConfig: () => undefined };

/** The generated files of a run (path → text), or the error that refused it. */
async function generate(argv: string[]): Promise<{ files?: Map<string, string>; error?: string }> {
  try {
    const { flags, positionals } = parseArgs(argv);
    const files = await renderPlan(planCreate(resolveCreateOptions(flags, positionals, env)));
    return { files: new Map(files.map((f) => [f.path, f.content])) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Lines of Python files E501 would report: wider than 120 columns (non-ASCII counted as ruff may, two) and not one word. */
function overlong(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, content] of files) {
    if (!path.endsWith('.py')) continue;
    for (const line of content.split('\n')) {
      const width = [...line].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2), 0);
      if (width > 120 && line.trim().split(/\s+/).length > 1) found.push(`${path}: ${line}`);
    }
  }
  return found;
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const words = (max: number) => fc.array(word, { minLength: 1, maxLength: max });

describe('generated lines', () => {
  it('fit 120 columns for any names that are accepted, and names are refused only for length', async () => {
    let accepted = 0;
    await fc.assert(fc.asyncProperty(
      words(10), fc.array(words(8), { minLength: 0, maxLength: 3 }), fc.array(words(8), { minLength: 0, maxLength: 3 }),
      fc.array(fc.constantFrom('word', 'long-word-without-a-space-that-goes-on', 'ünïcödé', '  '), { maxLength: 40 }),
      async (plugin, pipes, services, description) => {
        const name = `otai-${plugin.join('-')}`;
        if (!checkPluginName(name).ok) return;
        const argv = [name, '--description', description.join(' ').trim() || 'x',
          '--pipe', pipes.map((w) => w.join('-')).join(','), '--service', services.map((w) => w.join('-')).join(',')];
        const { files, error } = await generate(argv);
        if (error !== undefined) {
          expect(error).toMatch(/more than ruff's line length|shorten it to at most|too long for the example|both give/);
          return;
        }
        accepted++;
        expect(overlong(files!)).toEqual([]);
      },
    ), { numRuns: 300 });
    expect(accepted).toBeGreaterThan(100);
  });

  it('fit for the longest plugin name with its own example components, and the longest class names', async () => {
    for (const argv of [
      [`otai-${'a'.repeat(MAX_PLUGIN_NAME - 5)}`, '--pipe', '', '--service', ''],
      [`otai-${'b'.repeat(MAX_PLUGIN_NAME - 5)}`, '--pipe', 'Go', '--service', ''],
      ['otai-x', '--pipe', `P${'a'.repeat(MAX_CLASS_NAME - 5)}`, '--service', `S${'b'.repeat(MAX_CLASS_NAME - 8)}`],
    ]) {
      const { files, error } = await generate(argv);
      expect(error, argv.join(' ')).toBeUndefined();
      expect(overlong(files!)).toEqual([]);
    }
  });

  it('refuses a name one character longer than fits, saying what to shorten', async () => {
    expect((await generate([`otai-${'a'.repeat(MAX_PLUGIN_NAME - 4)}`, '--pipe', ''])).error).toMatch(/shorten it to at most 80/);
    expect((await generate(['otai-x', '--pipe', `P${'a'.repeat(MAX_CLASS_NAME - 4)}`])).error).toMatch(/shorten it to at most 60/);
    // The example components of a long plugin name: the message is about the plugin name.
    expect((await generate([`otai-${'c'.repeat(60)}`])).error).toMatch(/^The plugin name "otai-c+" is too long for the example pipe named after it, Cc+Pipe: .*--pipe and --service/);
    // A plugin name and a pipe name fine alone, too long together.
    const both = (await generate([`otai-${'d'.repeat(70)}`, '--pipe', `P${'e'.repeat(40)}`, '--service', ''])).error;
    expect(both).toMatch(/would make a line of (\d+) characters .* by at least (\d+) characters/);
  });
});

/** ruff from $RUFF or PATH (CI provisions it); the checks with the real ruff run only where it is. */
const ruff = process.env.RUFF ?? which('ruff');

describe.skipIf(!ruff)('the real ruff', () => {
  it('leaves plugins at the layouts\' edges as they are and finds nothing to report', async () => {
    // Docstrings around one line's end at indent 0 (package docstrings, the description) and 4 (the
    // factory's), descriptions with outer and double spaces, then names drawn at random.
    const cases: string[][] = [];
    for (let n = 14; n <= 62; n++) cases.push([`otai-${'p'.repeat(n)}`, '--pipe', 'Route', '--service', 'Store']);
    for (let n = 105; n <= 125; n++) cases.push([`otai-d${n}`, '--description', `${'word '.repeat(n / 5)}${'x'.repeat(n % 5)}`.slice(0, n), '--pipe', '']);
    cases.push(['otai-spaces', '--description', '  leading and trailing  ', '--pipe', '']);
    cases.push(['otai-doubles', '--description', `${'two  spaces '.repeat(12)}end`, '--pipe', '']);
    // White space beyond ASCII's, which ruff strips too: at the ends, and where a line breaks.
    cases.push(['otai-nbsp', '--description', '\u00a0\u3000x\u2002', '--pipe', '']);
    cases.push(['otai-nbsp-wrap', '--description', `${'wörd\u00a0 '.repeat(30)}end\u00a0`, '--pipe', '']);
    // Characters ruff's PLE251x rules refuse raw in source (a zero-width space; the controls are
    // refused as input), beside others it lets through.
    cases.push(['otai-invisible', '--description', 'zero\u200bwidth, \u201cquotes\u201d, \u{1F3AB}, back\\slash', '--pipe', '']);
    const drawn = fc.sample(fc.tuple(words(6), words(6), words(6)), { numRuns: 40, seed: 42 });
    for (const [plugin, pipe, service] of drawn) cases.push([`otai-${plugin.join('-')}`, '--pipe', pipe.join('-'), '--service', service.join('-')]);
    const root = tempDir('otai-ruff-');
    let written = 0;
    for (const [i, argv] of cases.entries()) {
      const { files } = await generate(argv);
      if (!files) continue;
      // Each plugin with its own pyproject.toml (the ruff settings create-otai-plugin writes).
      for (const [file, content] of files) {
        const path = join(root, String(i), file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      written++;
    }
    expect(written).toBeGreaterThan(80);
    for (const args of [['format', '--check', '--no-cache', '.'], ['check', '--no-cache', '.']]) {
      const r = spawnSync(ruff!, args, { cwd: root, encoding: 'utf8' });
      expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  }, 60_000);
});

describe('pyLayout', () => {
  const layout = pyLayout(40);
  it('lays out as ruff format does: one line, else wrapped', () => {
    expect(layout.fromImport('a.b', 'C')).toBe('from a.b import C');
    expect(layout.fromImport('a'.repeat(30), 'Cc')).toBe(`from ${'a'.repeat(30)} import (\n    Cc,\n)`);
    expect(layout.classLine('A', 'B[C]')).toBe('class A(B[C]):');
    expect(layout.classLine('A'.repeat(20), `B[${'C'.repeat(20)}]`)).toBe(`class ${'A'.repeat(20)}(\n    B[${'C'.repeat(20)}]\n):`);
    expect(layout.call(4, 'x = f', ['a=1', 'b=2'])).toBe('x = f(a=1, b=2)');
    expect(layout.call(4, 'x = f', ['a=1'.repeat(9), 'b=2'])).toBe(`x = f(\n        ${'a=1'.repeat(9)}, b=2\n    )`);
    expect(layout.call(4, 'x = f', ['a=1'.repeat(10), 'b=2'.repeat(3)])).toBe(`x = f(\n        ${'a=1'.repeat(10)},\n        ${'b=2'.repeat(3)},\n    )`);
    expect(layout.assign(4, 'x: T', 'A'.repeat(29))).toBe(`x: T = ${'A'.repeat(29)}`);
    expect(layout.assign(4, 'x: T', 'A'.repeat(30))).toBe(`x: T = (\n        ${'A'.repeat(30)}\n    )`);
    expect(layout.defLine('f', 'p: int', 'A'.repeat(22))).toBe(`def f(p: int) -> ${'A'.repeat(22)}:`);
    expect(layout.defLine('f', '**p: str', 'A'.repeat(24))).toBe(`def f(\n    **p: str,\n) -> ${'A'.repeat(24)}:`);
  });

  it('wraps docstrings at spaces, never leaving a space at a line end, and keeps a long word whole', () => {
    expect(layout.docstring(0, 'short')).toBe('"""short"""');
    // Outer spaces go (ruff strips them); text that fits but for the closing quotes keeps two
    // lines of text (ruff joins quotes below a single line back on); one word stays whole.
    expect(layout.docstring(0, '  short  ')).toBe('"""short"""');
    expect(layout.docstring(0, `${'a'.repeat(20)} ${'b'.repeat(15)}`)).toBe(`"""${'a'.repeat(20)}\n${'b'.repeat(15)}\n"""`);
    expect(layout.docstring(0, 'c'.repeat(36))).toBe(`"""${'c'.repeat(36)}"""`);
    const text = `one two  three ${'x'.repeat(50)} four five six seven eight nine ten eleven`;
    const doc = layout.docstring(4, text);
    const lines = doc.split('\n');
    expect(lines.at(-1)).toBe('    """');
    for (const line of lines) expect(line).not.toMatch(/ $/);
    for (const line of lines.slice(1)) expect(line.startsWith('    ')).toBe(true);
    // The words, in order, with the spaces between words on a line kept.
    expect(doc.slice(3, -3).split('\n').map((l) => l.trim()).filter(Boolean).join(' ')).toBe(text);
    // The first line starts at column 4 (the template indents it); the others carry their indent.
    lines.forEach((line, i) => { if (!line.includes('x'.repeat(50))) expect((i === 0 ? 4 : 0) + line.length).toBeLessThanOrEqual(40); });
  });
});
