import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkComponentName, checkComponentNames, checkPluginName, exampleComponentName, suggestName } from '../src/naming.js';

const ACCEPTED = [
  ['otai-my-plugin', 'otai_my_plugin', 'my-plugin', 'my_plugin'],
  ['otai-2fa-guard', 'otai_2fa_guard', '2fa-guard', '2fa_guard'],
  ['otai-x', 'otai_x', 'x', 'x'],
  ['otai-v2-tools', 'otai_v2_tools', 'v2-tools', 'v2_tools'],
  ['otai-otai', 'otai_otai', 'otai', 'otai'],
  ['otai-my-otai', 'otai_my_otai', 'my-otai', 'my_otai'],
  ['otai-zammad-sync', 'otai_zammad_sync', 'zammad-sync', 'zammad_sync'],
  ['otai-a1-b2-c3', 'otai_a1_b2_c3', 'a1-b2-c3', 'a1_b2_c3'],
] as const;

describe('plugin names that are accepted', () => {
  it.each(ACCEPTED)('%s → module %s, prefix %s, entry point %s', (name, module, prefix, ep) => {
    const check = checkPluginName(name);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.names).toEqual({
      name, module, registryPrefix: prefix, prefixSnake: ep,
      entryPoint: { group: 'open_ticket_ai.plugins', name: ep, value: `${module}.plugin_factory:PluginFactory` },
    });
  });

  it('get the prefix the runtime computes, by its own expression run in Python', () => {
    const modules = ACCEPTED.map(([name]) => { const c = checkPluginName(name); if (!c.ok) throw new Error(name); return c.names.module; });
    // Plugin._plugin_name / _component_name_prefix from open_ticket_ai/core/plugins/plugin.py.
    const script = 'import json,sys\nprint(json.dumps([m.split(".")[0].replace("_", "-").replace("otai-", "") for m in json.load(sys.stdin)]))';
    const runtime = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(modules), encoding: 'utf8' })) as string[];
    expect(runtime).toEqual(ACCEPTED.map(([, , prefix]) => prefix));
  });
});

const REFUSED: [string, RegExp, string | undefined][] = [
  ['', /required/, undefined],
  ['my-plugin', /must start with "otai-"/, 'otai-my-plugin'],
  ['otai_My_Plugin', /must start with "otai-"/, 'otai-my-plugin'],
  ['My Plugin', /must start with "otai-"/, 'otai-my-plugin'],
  ['otai-My-Plugin', /lower case/, 'otai-my-plugin'],
  ['otai-my_plugin', /single hyphens/, 'otai-my-plugin'],
  ['otai-my--plugin', /single hyphens/, 'otai-my-plugin'],
  ['otai-my-plugin-', /single hyphens/, 'otai-my-plugin'],
  ['otai-', /only the "otai-" prefix; add a word after it/, undefined],
  // The prefix alone, however typed (QA report and review: it said "must start with otai-").
  ...(['otai', 'OTAI_', 'otai--', 'otai-_', 'otai .', ' otai - '] as const).map((raw) => [raw, /only the "otai-" prefix; add a word after it/, undefined] as [string, RegExp, undefined]),
  ['otai-foo-otai-bar', /removes every "otai-".*"foo-bar"/, 'otai-foo-bar'],
  ['otai-xotai-y', /removes every "otai-".*"xy"/, 'otai-xy'],
  ['otai-über', /lower-case letters a-z/, 'otai-uber'],
  // A word after the prefix in other letters is a word (review: "only the prefix"); no suggestion
  // drops a letter with no ASCII form (review: otai-æther offered otai-ther).
  ['otai-é', /lower-case letters a-z/, 'otai-e'],
  ['otai-日本', /lower-case letters a-z/, undefined],
  ['otai-æther', /lower-case letters a-z/, undefined],
  ['otai-straße', /lower-case letters a-z/, undefined],
  ['otai-a/b', /looks like a path.*--dir/, undefined],
  ['/tmp/otai-x', /looks like a path.*--dir/, undefined],
  ['otai-base', /Open Ticket AI's own package/, undefined],
  ['otai-hf-local', /Open Ticket AI's own package/, undefined],
  // Never a suggestion that is refused in turn: these normalize to Open Ticket AI's own packages.
  ['base', /must start with "otai-"/, undefined],
  ['Zammad', /must start with "otai-"/, undefined],
  ['hf_local', /must start with "otai-"/, undefined],
  ['otai-..', /only the "otai-" prefix/, undefined],
  ['otai-.x', /lower-case letters a-z/, 'otai-x'],
  [`otai-${'a'.repeat(220)}`, /has 225 characters; shorten it to at most 80/, undefined],
];

describe('plugin names that are refused', () => {
  it.each(REFUSED)('%j is refused with the rule that failed', (name, rule, suggestion) => {
    const check = checkPluginName(name);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toMatch(rule);
    expect(check.suggestion).toBe(suggestion);
    if (suggestion) {
      expect(check.message).toContain(`Did you mean "${suggestion}"?`);
      expect(checkPluginName(suggestion).ok).toBe(true);
    }
  });

  it('suggests nothing when the name is already normalized', () => {
    expect(suggestName('otai-my-plugin')).toBeUndefined();
  });
});

describe('pipe and service names', () => {
  it.each(['classify-priority', 'classify priority', 'ClassifyPriority', 'ClassifyPriorityPipe', 'classify_priority'])('%j → ClassifyPriorityPipe', (raw) => {
    expect(checkComponentName('pipe', raw)).toEqual({
      ok: true,
      component: { kind: 'pipe', className: 'ClassifyPriorityPipe', paramsClass: 'ClassifyPriorityPipeParams', stem: 'classify_priority_pipe' },
    });
  });

  it.each([['getHTTPResponse', 'GetHTTPResponsePipe'], ['GetHTTPResponse', 'GetHTTPResponsePipe'], ['parseXML', 'ParseXMLPipe'], ['iPhoneSync', 'IPhoneSyncPipe'], ['lookup', 'LookupPipe'], ['get-http-response', 'GetHttpResponsePipe']])('%j keeps the capitals typed in one word: %s', (raw, className) => {
    const check = checkComponentName('pipe', raw);
    expect(check.ok && check.component.className).toBe(className);
  });

  it('services get the Service suffix', () => {
    const check = checkComponentName('service', 'ticket-lookup');
    expect(check.ok && check.component.className).toBe('TicketLookupService');
    expect(check.ok && check.component.stem).toBe('ticket_lookup_service');
  });

  it.each([
    ['pipe', 'Pipe', /shadow a base class/],
    ['pipe', 'pipe', /shadow a base class/],
    ['service', 'TicketSystem', /shadow a base class/],
    ['service', 'service', /shadow a base class/],
    ['pipe', '2fa', /start with a letter/],
    ['pipe', 'my/pipe', /may only contain.*Did you mean "my-pipe"\?$/],
    ['pipe', '../x', /Did you mean "x"\?$/],
    ['service', '   ', /empty/],
    // A suggestion as plugin names get one, only where it passes (QA report: none for components).
    ['pipe', 'Ünicode', /may only contain.*Did you mean "Unicode"\?$/],
    ['pipe', 'café', /Did you mean "cafe"\?$/],
    ['pipe', 'route.queue', /Did you mean "route-queue"\?$/],
    ['pipe', 'Æther', /starting with a letter\.$/],
    ['pipe', '日本Router', /starting with a letter\.$/],
    ['service', 'straße', /starting with a letter\.$/],
    ['pipe', '.2fa', /starting with a letter\.$/],
    ['pipe', '日本', /starting with a letter\.$/],
  ] as const)('%s %j is refused', (kind, raw, rule) => {
    const check = checkComponentName(kind, raw);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(rule);
  });

  it('refuses duplicates after normalization', () => {
    const check = checkComponentNames('pipe', ['classify-priority', 'ClassifyPriorityPipe']);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/both give ClassifyPriorityPipe/);
    // Different classes, one module file: the message names both classes and the file.
    const caseOnly = checkComponentNames('pipe', ['Abc', 'ABC']);
    expect(caseOnly.ok ? '' : caseOnly.message).toBe('The pipe names "Abc" and "ABC" both give the module abc_pipe.py (AbcPipe and ABCPipe); give each pipe a distinct name.');
  });

  it('names the example components after the plugin, a class name even when the prefix starts with a digit', () => {
    const example = (name: string) => {
      const check = checkPluginName(name);
      if (!check.ok) throw new Error(check.message);
      return [exampleComponentName(check.names, 'pipe'), exampleComponentName(check.names, 'service')];
    };
    expect(example('otai-x')).toEqual(['XPipe', 'XService']);
    expect(example('otai-my-plugin')).toEqual(['MyPluginPipe', 'MyPluginService']);
    expect(example('otai-foo-pipe')).toEqual(['FooPipePipe', 'FooPipeService']);
    expect(example('otai-2fa-guard')).toEqual(['Otai2faGuardPipe', 'Otai2faGuardService']);
    expect(example('otai-my-2fa')).toEqual(['My_2faPipe', 'My_2faService']);
    for (const name of ['otai-x', 'otai-2fa-guard', 'otai-my-2fa']) {
      for (const className of example(name)) expect(checkComponentName('pipe', className).ok, className).toBe(true);
    }
  });
});

describe('asciiSplit (the fast word split)', () => {
  it('splits ASCII text exactly as change-case does, and the cases built on it agree', async () => {
    const { default: fc } = await import('fast-check');
    const changeCase = await import('change-case');
    const { asciiSplit } = await import('../src/naming.js');
    // Letters of both cases, digits, separators and the characters at the edges of the classes.
    const ascii = fc.string({ unit: fc.constantFrom(...'aAbBzZyY09_- .@[`{\t\n\u0000\u007f'.split('')), maxLength: 24 });
    const anyAscii = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 24 });
    for (const arb of [ascii, anyAscii]) {
      fc.assert(fc.property(arb, (text) => {
        expect(asciiSplit(text)).toEqual(changeCase.split(text));
        expect(changeCase.pascalCase(text, { split: asciiSplit })).toBe(changeCase.pascalCase(text));
        expect(changeCase.snakeCase(text, { split: asciiSplit })).toBe(changeCase.snakeCase(text));
      }), { numRuns: 2000 });
    }
  });

  it('classStem is change-case\'s snakeCase for every class name checkComponentName can make', async () => {
    const { default: fc } = await import('fast-check');
    const changeCase = await import('change-case');
    const { checkComponentName, classStem } = await import('../src/naming.js');
    // Typed names through checkComponentName: one word kept as typed (its first letter raised), or made by pascalCase, which
    // joins a word that starts with a digit with `_` (fetch 2fa → Fetch_2faPipe).
    const typed = fc.string({ unit: fc.constantFrom(...'aAbBzZyY0919 -_'.split('')), minLength: 1, maxLength: 24 });
    const className = typed.map((raw) => checkComponentName('pipe', raw)).filter((c) => c.ok).map((c) => (c.ok ? c.component.className : ''));
    fc.assert(fc.property(className, (name) => { expect(classStem(name)).toBe(changeCase.snakeCase(name)); }), { numRuns: 5000 });
    for (const [name, stem] of <[string, string][]>[['HTTPFetchPipe', 'http_fetch_pipe'], ['Step12Pipe', 'step12_pipe'], ['ABCService', 'abc_service'], ['X2YPipe', 'x2_y_pipe'], ['Fetch_2faPipe', 'fetch_2fa_pipe'], ['X_9YPipe', 'x_9_y_pipe']]) {
      expect(classStem(name)).toBe(stem);
    }
  });

  it('leaves non-ASCII text to change-case', async () => {
    const { split } = await import('change-case');
    const { asciiSplit } = await import('../src/naming.js');
    for (const text of ['ÄpfelBaum', 'straßeName', 'ΑλφαBeta', 'caféAuLait']) expect(asciiSplit(text)).toEqual(split(text));
  });
});
