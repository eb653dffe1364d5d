// The build turns templates of only text and `<%-` expressions into one expression
// (scripts/template-expression.mjs). It must write exactly what EJS's own function writes, and
// refuse every template it cannot turn so.
import ejs from 'ejs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript without types
import { asExpression, oneExpression } from '../scripts/template-expression.mjs';
import { parseArgs } from '../src/options/parse.js';
import { resolveCreateOptions } from '../src/options/resolve.js';
import { planCreate, templatesOf } from '../src/plan.js';
import { templatesDir } from '../src/paths.js';
import { ejsOptions } from '../src/templates.js';
import { OPTION_SETS } from './helpers/sets.js';

type Render = (locals: object) => string;
const LOCALS = ['a', 'b', 'f'];

/** EJS's function for a template text, compiled as the build compiles it, and the expression made of it, if any. */
function compileBoth(text: string, options: Omit<ReturnType<typeof ejsOptions>, 'destructuredLocals'> & { destructuredLocals: string[] }): { ejs: Render; expression?: Render } {
  const reference = ejs.compile(text, { ...options, compileDebug: false });
  const made = asExpression(reference.toString(), options.destructuredLocals) as string | undefined;
  return { ejs: reference as unknown as Render, expression: made === undefined ? undefined : (new Function(`return ${made}`)() as Render) };
}

/** compileBoth for a template text that sees the given names (a, b, f unless told). */
const both = (text: string, locals: readonly string[] = LOCALS) =>
  compileBoth(text, { ...ejsOptions('project/test.ejs'), destructuredLocals: [...locals] });

describe('asExpression', () => {
  it('writes what EJS writes, for text, names, property reads and calls', () => {
    const { ejs: reference, expression } = both('x "q" \\ <%- a %>\n<%- b.c %>\t<%- f(a, b.c) %>\u2028é ✓\r\n');
    expect(expression).toBeDefined();
    for (const locals of [
      { a: 'A', b: { c: 'C' }, f: (x: string, y: string) => `${x}+${y}` },
      { a: null, b: { c: undefined }, f: () => null },
      { a: 0, b: { c: 1.5 }, f: () => false },
    ]) {
      expect(expression!(locals)).toBe(reference(locals));
    }
  });

  it('joins numbers as text even when they come first, and null and undefined write nothing', () => {
    const { ejs: reference, expression } = both('<%- a %><%- b %>');
    expect(expression!({ a: 1, b: 2 })).toBe('12');
    expect(expression!({ a: 1, b: 2 })).toBe(reference({ a: 1, b: 2 }));
    expect(expression!({ a: null, b: undefined })).toBe('');
  });

  it('makes an empty template or one of only text', () => {
    expect(both('').expression!({})).toBe('');
    expect(both('just text\n').expression!({})).toBe('just text\n');
  });

  it.each([
    ['code', '<% if (a) { %>x<% } %>'],
    ['an escaped output tag', '<%= a %>'],
    ['a regex (or a division)', '<%- f(/x/) %>'],
    ['a comma after a string', '<%- "x", a %>'],
    ['a name read inside a template literal that is not a local', '<%- `${process.pid}` %>'],
    ['a spread of a name that is not a local', '<%- [...process.argv].length %>'],
    ['parentheses that close the append early', '<%- a), (b %>'],
    ['two arguments to the append (EJS writes the first)', '<%- a, b %>'],
    ['a trailing comma', '<%- a, %>'],
    ['an empty tag', '<%- %>'],
    ['a name that is not a local', '<%- process.exit() %>'],
    ['a property read through a non-local name', '<%- globalThis.a %>'],
    ['an expression over two lines', '<%- f(a,\nb) %>'],
  ])('keeps EJS\'s function for %s', (_what, text) => {
    expect(both(text).expression).toBeUndefined();
  });

  it('oneExpression() accepts brackets that close in order, commas inside them only, and closed strings', () => {
    expect(oneExpression('f(g(a), b)')).toBe(true);
    expect(oneExpression('(a, b)')).toBe(true);
    expect(oneExpression('a), (b')).toBe(false);
    expect(oneExpression('f(a')).toBe(false);
    expect(oneExpression('a, b')).toBe(false);
    expect(oneExpression(' ')).toBe(false);
    // EJS refuses these itself; the reader must not take them as one expression either.
    expect(oneExpression('f("x)')).toBe(false);
    expect(oneExpression('f(`x${a})')).toBe(false);
    expect(oneExpression('f(`x${a`)')).toBe(false);
    expect(oneExpression('f(a]')).toBe(false);
  });

  it('writes what EJS writes for operators, strings, template literals and arrays', () => {
    for (const text of ['<%- [...a].length %>', '<%- f(...[a, b]) %>', '<%- a + b %>', '<%- a ? b : f() %>', '<%- a || f() %>', '<%- f("x, y", \'(\') %>', '<%- `${a}: \\`${f(b)}\\`` %>', '<%- [a, b].join("-") %>']) {
      const { ejs: reference, expression } = both(text);
      expect(expression, text).toBeDefined();
      for (const locals of [{ a: 'A', b: 'B', f: (...x: unknown[]) => x.join('|') }, { a: '', b: null, f: () => undefined }]) {
        expect(expression!(locals), text).toBe(reference(locals));
      }
    }
  });

  it('writes what EJS writes for a comma inside parentheses', () => {
    const { ejs: reference, expression } = both('<%- (a, b) %>');
    expect(expression!({ a: 'A', b: 'B' })).toBe(reference({ a: 'A', b: 'B' }));
  });
});

describe('the templates under templates/', () => {
  // Every group of templates there is (project/, pipe/, licenses/, backend-<id>/, …).
  const groups = readdirSync(templatesDir(), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const all = groups.flatMap((group) => templatesOf(group).map((t) => `${group}/${t}`));
  const made = new Map(all.map((template) => [template, compileBoth(readFileSync(join(templatesDir(), template), 'utf8'), ejsOptions(template))]));

  it('pipe and service templates, rendered for every component, are each one expression', () => {
    for (const template of all.filter((t) => /^(pipe|service)\//.test(t))) expect(made.get(template)!.expression, template).toBeDefined();
  });

  it.each(Object.entries(OPTION_SETS))('each one-expression template writes what EJS writes, option set "%s"', (_set, argv) => {
    const { flags, positionals } = parseArgs(argv);
    const plan = planCreate(resolveCreateOptions(flags, positionals, { cwd: '/work', gitConfig: () => undefined }));
    let checked = 0;
    for (const file of plan.files) {
      const { ejs: reference, expression } = made.get(file.template)!;
      if (!expression) continue;
      const locals = Object.assign(Object.create(plan.context) as object, { component: file.component });
      expect(expression(locals), file.path).toBe(reference(locals));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
