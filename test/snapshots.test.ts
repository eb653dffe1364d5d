import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../src/options/parse.js';
import { resolveCreateOptions } from '../src/options/resolve.js';
import { planCreate } from '../src/plan.js';
import { renderPlan } from '../src/render.js';
import { OPTION_SETS } from './helpers/sets.js';

beforeAll(() => { vi.useFakeTimers({ toFake: ['Date'] }); vi.setSystemTime(new Date('2026-01-15T12:00:00Z')); });
afterAll(() => { vi.useRealTimers(); });

async function render(argv: string[]) {
  const { flags, positionals } = parseArgs(argv);
  const opts = resolveCreateOptions(flags, positionals, { cwd: '/work', gitConfig: () => undefined });
  return renderPlan(planCreate(opts));
}

describe.each(Object.entries(OPTION_SETS))('templates rendered for option set "%s"', (set, argv) => {
  it('match the snapshot file by file', async () => {
    const files = await render(argv);
    expect(files.map((f) => f.path)).toMatchSnapshot();
    for (const file of files) {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/${set}/${file.path}.snap`);
    }
  });
});

describe('licenses', () => {
  it.each([
    ['MIT', /^MIT License\n\nCopyright \(c\) 2026 Ada\n/],
    ['Apache-2.0', /Apache License\s+Version 2\.0, January 2004/],
    ['LGPL-2.1-only', /GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1, February 1999/],
    ['GPL-3.0-only', /GNU GENERAL PUBLIC LICENSE\s+Version 3, 29 June 2007/],
    ['Proprietary', /^Copyright \(c\) 2026 Ada\. All rights reserved\./],
  ])('%s: LICENSE carries the real text', async (id, text) => {
    const files = await render(['otai-x', '--license', id, '--author', 'Ada']);
    const license = files.find((f) => f.path === 'LICENSE')!.content;
    expect(license).toMatch(text);
    expect(license.length).toBeGreaterThan(id === 'MIT' || id === 'Proprietary' ? 250 : 10_000);
  });
});

describe('the names templates see', () => {
  it('are exactly the keys of the context plus `component` (TEMPLATE_LOCALS)', async () => {
    const { TEMPLATE_LOCALS } = await import('../src/templates.js');
    const { flags, positionals } = parseArgs(['otai-x', '--pipe', 'A', '--service', 'B']);
    const plan = planCreate(resolveCreateOptions(flags, positionals, { cwd: '/work', gitConfig: () => undefined }));
    expect(new Set([...Object.keys(plan.context), 'component'])).toEqual(new Set(TEMPLATE_LOCALS));
  });

  it('for pipe and service templates, are exactly what `add` has: componentContext plus `component`', async () => {
    const { COMPONENT_LOCALS } = await import('../src/templates.js');
    const { componentContext } = await import('../src/plan.js');
    const { flags, positionals } = parseArgs(['otai-x']);
    const { names } = resolveCreateOptions(flags, positionals, { cwd: '/work', gitConfig: () => undefined });
    expect(new Set([...Object.keys(componentContext(names, [], [])), 'component'])).toEqual(new Set(COMPONENT_LOCALS));
  });

  it('make a template that uses any other name fail to render; a component template cannot use creation-only names', async () => {
    const ejs = (await import('ejs')).default;
    const { ejsOptions } = await import('../src/templates.js');
    const compile = (text: string, template: string) => ejs.compile(text, ejsOptions(template)) as unknown as (locals: object) => string;
    expect(() => compile('<%- notInTheContext %>', 'project/README.md.ejs')({})).toThrow(/notInTheContext is not defined/);
    expect(compile('<%- year %>', 'project/README.md.ejs')({ year: 2026 })).toBe('2026');
    expect(() => compile('<%- year %>', 'pipe/src/x.py.ejs')({ year: 2026 })).toThrow(/year is not defined/);
  });

  it('write <%= text as it is: no HTML escaping, which is wrong in a Python, TOML or Markdown file', async () => {
    const ejs = (await import('ejs')).default;
    const { ejsOptions } = await import('../src/templates.js');
    const render = ejs.compile('a = "<%= year %>"<%= component %>', ejsOptions('project/pyproject.toml.ejs')) as unknown as (locals: object) => string;
    expect(render({ year: `<&'">`, component: undefined })).toBe(`a = "<&'">"`);
  });
});
