// Property tests: arbitrary names and text either produce a correct plugin or are refused with
// exit 2 and nothing written. Python-side facts (identifiers, the runtime's prefix expression,
// ast.parse, tomllib) are checked by the machine's python3, one process per batch.
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkComponentNames, checkPluginName, splitList } from '../src/naming.js';
import { insideNormalized } from '../src/report.js';
import { md, py, pyDoc, toml, yaml } from '../src/text.js';
import { runCli, runMain } from './helpers/cli.js';
import { assertBuilt, expectCleanError, python, QUIET, sandbox, snapshot } from './helpers/sandbox.js';

/** Generated cases per property, reported at the end (the closing note quotes them). */
const counts: Record<string, number> = {};
// A fresh seed each run (FC_SEED=<n> replays one); printed with the counts.
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number) => fc.sample(arb, { numRuns, seed: seed + numRuns });
const count = (key: string, n = 1) => { counts[key] = (counts[key] ?? 0) + n; };

afterAll(() => {
  console.log(`property case counts (FC_SEED=${seed}): ${JSON.stringify(counts)}`);
});

// Text that has broken other generators' files: quotes, escapes, template and markup syntax,
// line and bidi controls, lone surrogates, astral and non-characters.
const HAZARDS = [
  '"', "'", '\\', '"""', "'''", '\\u0041', '\\N{BULLET}', '\n', '\r\n', '\t', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085',
  '\u2028', '\u2029', '\u202e', '\u2066', '\ud800', '\udfff', '\ufeff', '\ufffe', '\uffff', '\u{10ffff}', '😀', '👩‍👩‍👧', 'é', 'e\u0301',
  '<%', '%>', '<%- x %>', '${x}', '{{module}}', '#', '# ', '- ', '1. ', '> ', '    ', ' ', '[a](b)', '<b>', '&amp;', '&#32;', '$x$',
  '*', '_', '`', '|', '~', ',', '<', '>', '@', ':', '=', 'x = 1', '[project]', '/', '..', '../', '/etc/passwd', 'otai-', '-',
];
const hazard = fc.constantFrom(...HAZARDS);
const joined = (part: fc.Arbitrary<string>, max: number) => fc.array(part, { maxLength: max }).map((parts) => parts.join(''));
/** Arbitrary Unicode: every code point, real text, and hazards mixed into plain words. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  joined(fc.oneof(hazard, fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), 8),
);

describe('plugin names', () => {
  // Words around "otai" probe the runtime's replace-every-"otai-" rule.
  const word = fc.oneof(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.constantFrom('otai', 'otai2', 'ootai', 'ai', 'ot', 'tai', 'o'));
  const wellFormed = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => `otai-${w.join('-')}`);
  const nearMiss = fc
    .tuple(fc.constantFrom('otai-', 'otai', 'OTAI-', 'otai_', '', '../otai-', '/tmp/otai-', 'otai-x/', './otai-'), fc.string({ unit: fc.constantFrom(...'abotai-_.09/ A\\\0'.split('')), maxLength: 14 }))
    .map(([a, b]) => a + b);
  const candidate = fc.oneof({ arbitrary: wellFormed, weight: 3 }, { arbitrary: nearMiss, weight: 3 }, { arbitrary: anyText, weight: 2 });

  const accepted = new Map<string, { module: string; registryPrefix: string; prefixSnake: string }>();
  const refused = new Set<string>();
  beforeAll(() => {
    for (const name of sample(candidate, 3000)) {
      const check = checkPluginName(name);
      if (check.ok) accepted.set(name, check.names);
      else refused.add(name);
    }
    for (const name of ['otai-a/../../x', '/etc/otai-x', '../otai-x', 'otai-x\0', 'otai-..', 'otai-', 'otai-otai-x', 'otai-a-otai-b', 'otai-' + 'a'.repeat(215)]) refused.add(name);
    count('plugin names generated', accepted.size + refused.size);
    count('plugin names accepted', accepted.size);
    count('plugin names refused', refused.size);
  });

  it('every accepted name gives a Python identifier module and the runtime prefix', () => {
    expect(accepted.size).toBeGreaterThan(500);
    const modules = [...accepted.values()].map((n) => n.module);
    const results = python(
      `import json, keyword, sys
out = []
for m in json.load(sys.stdin):
    out.append([m.isidentifier(), keyword.iskeyword(m), m.split(".")[0].replace("_", "-").replace("otai-", "")])
json.dump(out, sys.stdout)`,
      modules,
    ) as [boolean, boolean, string][];
    [...accepted].forEach(([name, names], i) => {
      const [identifier, isKeyword, prefix] = results[i]!;
      expect({ name, identifier, isKeyword, prefix }).toEqual({ name, identifier: true, isKeyword: false, prefix: names.registryPrefix });
      expect(names.prefixSnake).toMatch(/^[a-z0-9_]+$/);
    });
  });

  it('every refused name exits 2 and writes nothing (in-process main)', async () => {
    const root = sandbox('refused');
    const cwd = join(root, 'work');
    mkdirSync(cwd);
    const before = snapshot(root);
    for (const name of refused) {
      // --name=<value> keeps a name like "-h" from being read as a flag.
      const result = await runMain([`--name=${name}`, ...QUIET, '--author', 'A', '--email', ''], cwd);
      expect(result.code, `name ${JSON.stringify(name)}: ${result.stderr}`).toBe(2);
      expectCleanError(result.stderr);
      expect(readdirSync(cwd)).toEqual([]);
    }
    expect(snapshot(root)).toEqual(before);
    count('refused names run through main()', refused.size);
  });

  it('a sample of refused names exits 2 and writes nothing (built CLI)', () => {
    assertBuilt();
    const root = sandbox('refused-cli');
    const sample = [...refused].filter((n) => !n.includes('\0')).filter((_, i) => i % 40 === 0).slice(0, 15);
    for (const name of sample) {
      const result = runCli([`--name=${name}`, ...QUIET, '--author', 'A', '--email', ''], root);
      expect(result.code, `name ${JSON.stringify(name)}: ${result.stderr}`).toBe(2);
      expectCleanError(result.stderr);
      expect(readdirSync(root)).toEqual([]);
    }
    // Also as the first argument, the way people type it.
    for (const name of ['otai-a/../../x', '/etc/otai-x', '../otai-x', 'Otai-X', 'otai-x y']) {
      const result = runCli([name, ...QUIET], root);
      expect(result.code, result.stderr).toBe(2);
      expect(readdirSync(root)).toEqual([]);
    }
    count('refused names run through the built CLI', sample.length + 5);
  });
});

describe('pipe and service names', () => {
  const words = fc.array(fc.stringMatching(/^[A-Za-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 3 });
  const raw = fc.oneof(
    words.map((w) => w.join(' ')),
    words.map((w) => w.join('-')),
    words.map((w) => w.join('_')),
    anyText,
  );

  it('accepted names are Python identifiers; refused ones exit 2 and write nothing', async () => {
    const raws = sample(raw, 1500);
    const ok: { className: string; stem: string }[] = [];
    const bad: string[] = [];
    for (const r of raws) {
      const checked = checkComponentNames('pipe', splitList([r]));
      if (checked.ok) ok.push(...checked.components);
      else bad.push(r);
    }
    expect(ok.length).toBeGreaterThan(300);
    expect(bad.length).toBeGreaterThan(100);
    const results = python(
      `import json, keyword, sys
json.dump([[c.isidentifier() and not keyword.iskeyword(c), s.isidentifier() and not keyword.iskeyword(s)] for c, s in json.load(sys.stdin)], sys.stdout)`,
      ok.map((c) => [c.className, c.stem]),
    ) as [boolean, boolean][];
    results.forEach((r, i) => expect({ ...ok[i], r }).toEqual({ ...ok[i], r: [true, true] }));

    const cwd = sandbox('bad-pipes');
    for (const r of bad) {
      for (const flag of ['--pipe', '--service']) {
        const result = await runMain(['otai-demo', ...QUIET, '--author', 'A', '--email', '', `${flag}=${r}`], cwd);
        expect(result.code, `${flag} ${JSON.stringify(r)}: ${result.stderr}`).toBe(2);
        expectCleanError(result.stderr);
      }
      expect(readdirSync(cwd)).toEqual([]);
    }
    count('component names generated', raws.length);
    count('component names refused and run through main()', bad.length * 2);
  });
});

/** Unicode White_Space: what ruff strips around a docstring (an oracle written apart from src/pylayout.ts). */
const WHITE_SPACE = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const OUTER_SPACE = new RegExp(`^${WHITE_SPACE}+|${WHITE_SPACE}+$`, 'g');
const SPACE_RUN = new RegExp(`${WHITE_SPACE}+`);

describe('descriptions and authors', () => {
  const email = fc.oneof(fc.constant(''), fc.emailAddress(), anyText);
  const pipes = fc.array(fc.stringMatching(/^[A-Z][a-z]{1,5}( [a-z]{1,5})?$/), { maxLength: 3 });

  // Half the descriptions start with a hazard, where Markdown block syntax lives.
  const description = fc.oneof(anyText, fc.tuple(hazard, anyText).map(([a, b]) => a + b));

  it('round-trip exactly through pyproject.toml and the package docstring, or exit 2 with nothing written', async () => {
    const root = sandbox('text');
    const cases = sample(fc.record({ description, author: anyText, email, pipes, services: pipes }), 250);
    const generated: { dir: string; description: string; author: string; email: string }[] = [];
    let refusedCount = 0;
    for (const [i, c] of cases.entries()) {
      const dir = join(root, `p${i}`);
      // --flag=value: a text starting with "-" is still a value, not a flag.
      const args = ['otai-text-case', ...QUIET, '--dir', dir, `--description=${c.description}`, `--author=${c.author}`, `--email=${c.email}`, `--pipe=${c.pipes.join(',')}`, `--service=${c.services.join(',')}`];
      const result = await runMain(args, root);
      if (result.code === 2) {
        expectCleanError(result.stderr);
        expect(snapshot(dir), `refused ${JSON.stringify(c)} but wrote files`).toBeNull();
        refusedCount++;
        continue;
      }
      expect(result.code, `${JSON.stringify(c)}: ${result.stderr}`).toBe(0);
      const project = (parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as { project: { description: string; authors?: { name?: string; email?: string }[] } }).project;
      expect(project.description).toBe(c.description);
      const author = Object.fromEntries(Object.entries({ name: c.author, email: c.email }).filter(([, v]) => v !== ''));
      expect(project.authors ?? [{}]).toEqual([author]);
      // README: undoing the Markdown escapes gives the text back (nothing dropped or reinterpreted).
      const readmeLines = readFileSync(join(dir, 'README.md'), 'utf8').split('\n');
      // No description, no paragraph for it (and no empty docstring, below).
      if (c.description === '') {
        expect(readmeLines.slice(1, 3)).toEqual(['', '[Open Ticket AI](https://open-ticket-ai.com) finds this plugin through the']);
        generated.push({ dir, ...c });
        continue;
      }
      const readmeLine = readmeLines[2]!;
      // ... and it stays one plain paragraph: no block marker or indentation, no unescaped markup.
      expect(readmeLine).not.toMatch(/^(?: |\t|[-+*>#=]|\d+[.)])/);
      expect(readmeLine.replace(/^(&#32;)+/, '').replace(/\\[!-/:-@[-`{-~]/g, '')).not.toMatch(/[\\`*_{}[\]<>()#!|~$&]/);
      expect(readmeLine.replace(/^(&#32;)+/, (m) => ' '.repeat(m.length / 5)).replace(/\\([!-/:-@[-`{-~])/g, '$1')).toBe(c.description);
      generated.push({ dir, ...c });
    }
    expect(generated.length).toBeGreaterThan(cases.length / 4);
    expect(refusedCount).toBeGreaterThan(10);
    count('description/author/email cases generated', cases.length);
    count('description/author/email cases written and round-tripped', generated.length);
    count('description/author/email cases refused with exit 2', refusedCount);

    // The real consumers: Python's tomllib (what build backends use) and ast for every .py file.
    const pyFiles = generated.flatMap((g) => listFiles(g.dir).filter((f) => f.endsWith('.py')));
    const checked = python(
      `import ast, json, sys, tomllib
req = json.load(sys.stdin)
files = []
for path in req["py"]:
    try:
        tree = ast.parse(open(path, "rb").read(), path)
        files.append([True, ast.get_docstring(tree, clean=False) if path.endswith("/__init__.py") else None])
    except SyntaxError as error:
        files.append([False, f"{path}: {error}"])
tomls = []
for path in req["toml"]:
    project = tomllib.load(open(path, "rb"))["project"]
    tomls.append([project["description"], project.get("authors", [{}])])
json.dump({"files": files, "toml": tomls}, sys.stdout)`,
      { py: pyFiles, toml: generated.map((g) => join(g.dir, 'pyproject.toml')) },
    ) as { files: [boolean, string | null][]; toml: [string, object[]][] };
    pyFiles.forEach((path, i) => {
      const [parsed, detail] = checked.files[i]!;
      expect(parsed, String(detail)).toBe(true);
    });
    for (const [i, g] of generated.entries()) {
      const init = pyFiles.indexOf(join(g.dir, 'src/otai_text_case/__init__.py'));
      // The docstring: the text without its outer white space (which ruff strips), and where it is
      // wrapped, the same words with line breaks for the white space between some of them.
      const docstring = checked.files[init]![1]!;
      const expected = g.description.replace(OUTER_SPACE, '');
      if (g.description === '') {
        expect(docstring).toBeNull();
        expect(checked.toml[i]![0]).toBe('');
        continue;
      }
      if (docstring.includes('\n')) expect(docstring.split(SPACE_RUN).filter(Boolean)).toEqual(expected.split(SPACE_RUN).filter(Boolean));
      else expect(docstring).toBe(expected);
      expect(checked.toml[i]![0]).toBe(g.description);
    }
    count('generated Python files parsed with ast', pyFiles.length);
  });
});

describe('encoders, on any text a validator could ever let through', () => {
  // Validators refuse line breaks and controls before any encoder sees them; the encoders must be
  // right on their own anyway (defence in depth), checked here by the real parsers.
  const noLoneSurrogate = (v: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v);
  const raw = fc.oneof(anyText, joined(fc.oneof(hazard, fc.string({ unit: 'binary', maxLength: 4 })), 10)).filter(noLoneSurrogate);

  it('toml, py, pyDoc and yaml values parse back to the same text', () => {
    const values = sample(raw, 1500);
    for (const v of values) expect((parseToml(`k = ${toml(v)}`) as { k: string }).k).toBe(v);
    const results = python(
      `import ast, json, sys, tomllib
try:
    import yaml
except ImportError:
    yaml = None
out = []
for item in json.load(sys.stdin):
    out.append([
        ast.literal_eval(item["py"]),
        ast.literal_eval('"""' + item["doc"] + '"""'),
        tomllib.loads("k = " + item["toml"])["k"],
        yaml.safe_load("k: " + item["yaml"])["k"] if yaml else None,
    ])
json.dump({"yaml": yaml is not None, "out": out}, sys.stdout)`,
      values.map((v) => ({ py: py(v), doc: pyDoc(v), toml: toml(v), yaml: yaml(v) })),
    ) as { yaml: boolean; out: (string | null)[][] };
    values.forEach((v, i) => expect(results.out[i]).toEqual([v, v, v, results.yaml ? v : null]));
    count('encoder values round-tripped (toml via smol-toml and tomllib, py, pyDoc)', values.length);
    if (results.yaml) count('encoder values round-tripped through PyYAML', values.length);
  });

  it('refuse lone surrogates instead of writing U+FFFD', () => {
    for (const encode of [toml, py, pyDoc, yaml, md]) expect(() => encode('a\uD800b')).toThrow(/surrogate/);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

describe('report paths', () => {
  it('insideNormalized agrees with path.relative wherever it answers, and answers for plain folders inside', () => {
    const segment = fc.stringMatching(/^[a-z.\-_]{1,6}$/);
    const pathOf = fc.array(fc.oneof(segment, fc.constantFrom('.', '..', '')), { minLength: 0, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(fc.property(pathOf, pathOf, (cwd, rest) => {
      const base = posix.normalize(cwd).replace(/\/$/, '') || '/';
      for (const path of [`${base}${rest}`, `${base}/${rest}`, rest]) {
        const fast = insideNormalized(path, base);
        if (fast !== undefined) expect(fast).toBe(posix.relative(base, path));
      }
    }), { numRuns: 3000 });
    expect(insideNormalized('/home/u/work/otai-x', '/home/u/work')).toBe('otai-x');
    expect(insideNormalized('/home/u/work/a/otai-x', '/home/u/work')).toBe('a/otai-x');
  });
});
