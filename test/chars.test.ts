// The character checks that replaced regexes (src/chars.ts says why) must accept and refuse exactly
// what those regexes did. Each regex is kept here as the oracle, and random text is drawn from the
// characters at the edges of its classes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as changeCase from 'change-case';
import { parseConfig } from '../src/gitconfig.js';
import { isDistName, isWords, wordsPascal } from '../src/naming.js';
import { domainToUnicode } from 'node:url';
import { checkAuthor, checkEmail, checkOneLine, md, yaml } from '../src/text.js';

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

  it('checkEmail gives the message its regexes gave (EMAIL, DOT_ATOM, ASCII, ASCII_LABEL, /^..--/, /[a-z]$/)', () => {
    // checkEmail as it was (c6e8a07^ … the session of 2026-11-26 21:49), regexes and all.
    const EMAIL = /^[^\s@<>,"()\[\];:\\]+@[^\s@<>,"()\[\];:\\.]+(?:\.[^\s@<>,"()\[\];:\\.]+)+$/;
    const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    const DOT_ATOM = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
    const ASCII = /^[\x00-\x7f]*$/;
    const ASCII_LABEL = /^(?!-)(?!.*-$)[A-Za-z0-9-]+$/;
    const HOST_LABEL = /^(?!-)(?!.*-$)(?:[A-Za-z0-9-]|(?![\x00-\x7f])[\p{L}\p{N}]|(?<=.)\p{M})+$/u;
    const RESERVED = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];
    const oldCheckEmail = (value: string) => {
      if (value === '') return undefined;
      const line = checkOneLine('email', value);
      if (line) return line;
      if (!EMAIL.test(value)) return `The email "${value}" is not an address of the form name@example.org; fix it or leave it empty.`;
      const at = value.lastIndexOf('@');
      if (!DOT_ATOM.test(value.slice(0, at))) return `The email "${value}" has a part before the @ that package metadata cannot hold (only ASCII letters, digits and ${"!#$%&'*+/=?^_`{|}~-"}, with single dots between them); fix it or leave it empty.`;
      const domain = value.slice(at + 1);
      const ascii = ASCII.test(domain);
      const notHost = domain.split('.').find((label) => !(ascii ? ASCII_LABEL : HOST_LABEL).test(label));
      if (notHost !== undefined) return `The email "${value}" has a domain part "${notHost}" that is not a host name (ASCII letters, digits and "-", not at either end; or letters of another script); fix it or leave it empty.`;
      let dns = domain.toLowerCase();
      if (!ascii || dns.includes('xn--')) {
        try { dns = new URL(`http://${domain}`).hostname; } catch { dns = ''; }
        const decoded = dns && domainToUnicode(dns).split('.').find((label) => !HOST_LABEL.test(label));
        if (decoded !== undefined && decoded !== '') return `The email "${value}" has a domain part that stands for "${decoded}", which is not a host name (letters, digits and "-"); fix it or leave it empty.`;
      }
      const labels = dns.split('.');
      if (!dns || labels.some((label) => label.length > 63 || (/^..--/.test(label) && !label.startsWith('xn--'))) || dns.length > 253 || at + 1 + dns.length > 254) return `The email "${value}" has a domain that is no valid host name (too long, or a part that is not valid in DNS); fix it or leave it empty.`;
      const top = labels[labels.length - 1]!;
      if (RESERVED.includes(top) || !/[a-z]$/.test(top)) return `The email "${value}" ends in .${top}, which is no domain on the internet: PyPI refuses such an address when the plugin is published. Use a public address, or leave it empty.`;
      return undefined;
    };
    // Addresses near the rules' edges: every special, white space inside and beyond ASCII, dots,
    // hyphens at the ends of labels and third and fourth, xn--, reserved and numeric tops.
    const pieces = ['a', 'Z', '0', '9', '-', '--', '.', '..', '@', ' ', '\u00a0', '\u3000', '\ufeff', '\u2000', '"', ',', '(', ')', '<', '[', ';', ':', '\\', '!', '~', '_',
      'é', '\uff54', '\u200b', 'xn--', 'ab--', 'test', 'com', 'local', '1', 'x'.repeat(64)];
    const address = fc.array(fc.constantFrom(...pieces), { maxLength: 9 }).map((parts) => parts.join(''));
    const shaped = fc.tuple(address, address, address).map(([local, host, top]) => `${local}@${host}.${top}`);
    for (const arb of [address, shaped]) fc.assert(fc.property(arb, (value) => { expect(checkEmail(value)).toBe(oldCheckEmail(value)); }), RUNS);
  });

  it('yaml writes what it wrote before plain ASCII took a short way (JSON, then its escapes)', () => {
    const oracle = (value: string) => JSON.stringify(value).replace(/[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    const wellFormed = anyText.filter((text) => text.isWellFormed());
    for (const arb of [textOf(' !"#-[\\]~:a\x7f\u0085'), wellFormed]) {
      fc.assert(fc.property(arb, (value) => { expect(yaml(value)).toBe(oracle(value)); }), RUNS);
    }
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
