// The character checks that replaced regexes (src/chars.ts says why) must accept and refuse exactly
// what those regexes did. Each regex is kept here as the oracle, and random text is drawn from the
// characters at the edges of its classes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as changeCase from 'change-case';
import { parseConfig } from '../src/gitconfig.js';
import { isDistName, isWords, wordsPascal } from '../src/naming.js';
import { checkAuthor, checkOneLine, md } from '../src/text.js';

const RUNS = { numRuns: 3000 };
const textOf = (chars: string, maxLength = 16) => fc.string({ unit: fc.constantFrom(...chars), maxLength });
/** ASCII and the non-ASCII code units each check cares about, lone surrogates included. */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
  // The edges of each class, on both sides: C1 controls, NEL, the separators, the bidi ranges.
  fc.constantFrom('\u0084', '\u0085', '\u0086', '\u009f', '\u00a0', '\u00e9', '\u2027', '\u2028', '\u2029', '\u202a', '\u202e', '\u202f',
    '\u2065', '\u2066', '\u2069', '\u206a', '\ud83d', '\ude00', '\ud83d\ude00', '\ufeff'),
);
const anyText = fc.string({ unit: anyUnit, maxLength: 16 });

describe('character checks agree with the regexes they replaced', () => {
  it('checkOneLine and checkAuthor give the message the regexes gave', () => {
    // The functions as they were (86a7e3c), messages and all; the author's rules as widened since.
    const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const oldCheckOneLine = (field: string, value: string) => {
      if (LONE_SURROGATE.test(value)) return `The ${field} contains an unpaired surrogate character, which cannot be written as UTF-8; remove it.`;
      if (/[\r\n]/.test(value) || /[\u2028\u2029\u0085]/.test(value)) return `The ${field} must be a single line; remove the line break.`;
      if (/[\u0000-\u001F\u007F-\u009F]/.test(value)) return `The ${field} contains a control character (such as a tab or escape); remove it.`;
      if (/[\u202A-\u202E\u2066-\u2069]/.test(value)) return `The ${field} contains an invisible bidirectional control character (U+202A-U+202E or U+2066-U+2069), which makes text read differently than it is stored; remove it.`;
      return undefined;
    };
    const oldCheckAuthor = (value: string) => {
      const line = oldCheckOneLine('author', value);
      if (line) return line;
      if (value !== '' && value.trim() === '') return 'The author is only spaces; write a name, or leave it empty.';
      if (value.includes(',')) return 'The author may not contain a comma (the package metadata separates authors with commas); write the name without it.';
      if (/[<>";:@[\]]/.test(value)) return 'The author may not contain <, >, ", ;, :, @, [ or ] (they break the package metadata\'s "Name <email>" form); remove them.';
      // Pairs: remove innermost (...) until none is left; any parenthesis then is unpaired.
      let rest = value;
      for (let before = ''; before !== rest;) { before = rest; rest = rest.replace(/\([^()]*\)/g, ''); }
      if (/[()]/.test(rest)) return 'The author\'s parentheses do not pair up (the package metadata would read the rest, address and all, as a comment); close them or remove them.';
      return undefined;
    };
    const authorText = fc.string({ unit: fc.oneof(anyUnit, fc.constantFrom('<', '>', '"', ',', ';', ':', '@', '[', ']', '(', ')', ' ', 'a')), maxLength: 12 });
    fc.assert(fc.property(anyText, (value) => { expect(checkOneLine('description', value)).toBe(oldCheckOneLine('description', value)); }), RUNS);
    fc.assert(fc.property(authorText, (value) => { expect(checkAuthor(value)).toBe(oldCheckAuthor(value)); }), RUNS);
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
    fc.assert(fc.property(fc.oneof(nameText, nameText.map((rest) => `otai-${rest}`)), (name) => {
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

  it('a git config line starts after git\'s own blanks only: space, tab, CR and LF, and a byte-order mark at the start', () => {
    // git refuses the others ("bad config line"), so the reader must not take them for blanks.
    expect(parseConfig('\ufeff[user]\n \t\r\nname = Ada\n')).toEqual([['user.name', 'Ada']]);
    for (const blank of ['\u00a0', '\u2028', '\ufeff', '\v', '\f']) expect(parseConfig(`[user]\n${blank}name = Ada\n`)).toBeUndefined();
  });
});
