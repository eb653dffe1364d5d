// The character checks that replaced regexes (src/chars.ts says why) must accept and refuse exactly
// what those regexes did. Each regex is kept here as the oracle, and random text is drawn from the
// characters at the edges of its classes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as changeCase from 'change-case';
import { isDistName, isWords, wordsPascal } from '../src/naming.js';
import { checkOneLine, md } from '../src/text.js';

const RUNS = { numRuns: 3000 };
const textOf = (chars: string, maxLength = 16) => fc.string({ unit: fc.constantFrom(...chars), maxLength });
/** ASCII and the non-ASCII code units each check cares about, lone surrogates included. */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u0085', '\u009f', '\u00a0', '\u00e9', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ud83d', '\ude00', '\ud83d\ude00', '\ufeff'),
);
const anyText = fc.string({ unit: anyUnit, maxLength: 16 });

describe('character checks agree with the regexes they replaced', () => {
  it('checkOneLine gives the message the regexes gave', () => {
    const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const oracle = (value: string) => {
      if (LONE_SURROGATE.test(value)) return 'surrogate';
      if (/[\r\n]/.test(value) || /[\u2028\u2029\u0085]/.test(value)) return 'single line';
      if (/[\u0000-\u001F\u007F-\u009F]/.test(value)) return 'control character';
      if (/[\u202A-\u202E\u2066-\u2069]/.test(value)) return 'bidirectional';
      return undefined;
    };
    fc.assert(fc.property(anyText, (value) => {
      const expected = oracle(value);
      const message = checkOneLine('author', value);
      if (expected === undefined) expect(message).toBeUndefined();
      else expect(message).toContain(expected);
    }), RUNS);
  });

  it('md writes what the four replacements wrote', () => {
    const oracle = (value: string) => value
      .replace(/[\\`*_{}[\]<>()#+!|~&$]/g, (c) => `\\${c}`)
      .replace(/^(\d+)([.)])/, '$1\\$2')
      .replace(/^[-=]/, (c) => `\\${c}`)
      .replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length));
    const wellFormed = anyText.filter((text) => text.isWellFormed());
    for (const arb of [textOf(' 0129.)-=#*_`a\\<&$'), wellFormed]) {
      fc.assert(fc.property(arb, (value) => { expect(md(value)).toBe(oracle(value)); }), RUNS);
    }
  });

  it('plugin name checks are the pattern they replaced', () => {
    const nameText = textOf('otai-azAZ09_ é', 14);
    fc.assert(fc.property(nameText, (name) => {
      expect(isDistName(name)).toBe(/^otai-[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name));
      expect(isWords(name)).toBe(/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name));
    }), { numRuns: 10_000 });
  });

  it('wordsPascal is change-case\'s pascalCase of hyphen-joined words', () => {
    const words = fc.array(textOf('az0919', 5).filter((w) => w !== ''), { minLength: 1, maxLength: 4 }).map((ws) => ws.join('-'));
    fc.assert(fc.property(words, (text) => {
      expect(isWords(text)).toBe(true);
      expect(wordsPascal(text)).toBe(changeCase.pascalCase(text));
    }), RUNS);
  });
});
