// Free text from the user (description, author, email) and how it is written safely into each
// file format it reaches. Text that a format cannot hold is refused, never silently altered.
// Checks of a single text are loops, not regexes (see src/chars.ts).
import { domainToUnicode } from 'node:url';
import { every, isDigit, isLower, isUpper, oneOf, some } from './chars.js';

/** No lone UTF-16 surrogate: one cannot be encoded as UTF-8, so no file format can hold it. */
const wellFormed = (value: string) => value.isWellFormed();
// C0 and C1 controls and DEL; TAB is refused too in one-line fields (it breaks metadata headers).
const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);
// CR and LF, and the line and paragraph separators that end a line in Python and some editors.
const isLineBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x85;
// Bidirectional overrides and isolates make code and metadata read differently than they are.
const isBidi = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);

export function checkOneLine(field: string, value: string): string | undefined {
  if (!wellFormed(value)) return `The ${field} contains an unpaired surrogate character, which cannot be written as UTF-8; remove it.`;
  if (some(value, isLineBreak)) return `The ${field} must be a single line; remove the line break.`;
  if (some(value, isControl)) return `The ${field} contains a control character (such as a tab or escape); remove it.`;
  if (some(value, isBidi)) return `The ${field} contains an invisible bidirectional control character (U+202A-U+202E or U+2066-U+2069), which makes text read differently than it is stored; remove it.`;
  return undefined;
}

function parenthesesPair(value: string): boolean {
  let depth = 0;
  for (const c of value) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

export function checkAuthor(value: string): string | undefined {
  const line = checkOneLine('author', value);
  if (line) return line;
  if (value !== '' && value.trim() === '') return 'The author is only spaces; write a name, or leave it empty.';
  // Core metadata writes "Name <email>" into an Author-email header; a comma would split the list.
  if (value.includes(',')) return 'The author may not contain a comma (the package metadata separates authors with commas); write the name without it.';
  // uv_build writes the name unquoted: in a mail header ; : @ [ ] split or end it (Python's
  // email.utils reads "Ada; Bob <a@x.org>" as three entries).
  if (some(value, oneOf('<>";:@[]'))) return 'The author may not contain <, >, ", ;, :, @, [ or ] (they break the package metadata\'s "Name <email>" form); remove them.';
  // In that header (...) is a comment: "Ada (ACME" would swallow the address after it.
  if (!parenthesesPair(value)) return 'The author\'s parentheses do not pair up (the package metadata would read the rest, address and all, as a comment); close them or remove them.';
  return undefined;
}

// The email's checks are loops (src/chars.ts): a run checks one address, git's, once. Each
// replaced a regex, kept as its oracle in test/chars.test.ts.

/** White space as a regex's `\s` reads it. */
const isRegexSpace = (c: number) => (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
  || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const isMailSpecial = oneOf('@<>,"()[];:\\');
const isMailChar = (c: number) => !isRegexSpace(c) && !isMailSpecial(c);

/** name@domain.tld: no spaces or mail-header specials, a dot in the domain and none at either end of it. */
function emailShape(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0 || value.indexOf('@', at + 1) !== -1) return false;
  for (let i = 0; i < at; i++) if (!isMailChar(value.charCodeAt(i))) return false;
  let parts = 1;
  let length = 0;
  for (let i = at + 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (length === 0) return false;
      parts++;
      length = 0;
    } else if (isMailChar(c)) length++;
    else return false;
  }
  return length > 0 && parts >= 2;
}

const isAtextSymbol = oneOf("!#$%&'*+/=?^_`{|}~-");
const isAsciiAlnum = (c: number) => isUpper(c) || isLower(c) || isDigit(c);
const isAtext = (c: number) => isAsciiAlnum(c) || isAtextSymbol(c);
/** An ASCII dot-atom: atext runs with single dots between them. */
const dotAtom = (text: string) => text.split('.').every((part) => part !== '' && every(part, isAtext));
/** An ASCII domain label: letters, digits and inner hyphens. */
const asciiLabel = (label: string) => label !== '' && label[0] !== '-' && !label.endsWith('-') && every(label, (c) => isAsciiAlnum(c) || c === 45);
/** `--` at the third and fourth character (an IDNA-style prefix); `.` of a regex takes no line break. */
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const hyphensAt3 = (label: string) => label.length >= 4 && !isLineTerminator(label.charCodeAt(0)) && !isLineTerminator(label.charCodeAt(1)) && label.charCodeAt(2) === 45 && label.charCodeAt(3) === 45;

export function checkEmail(value: string): string | undefined {
  if (value === '') return undefined;
  const line = checkOneLine('email', value);
  if (line) return line;
  if (!emailShape(value)) {
    return `The email "${value}" is not an address of the form name@example.org; fix it or leave it empty.`;
  }
  // hatchling and setuptools read it with Python's email parser, which wants an ASCII dot-atom
  // before the @ (no leading, trailing or double dot); uv_build would take it, the others not.
  const at = value.lastIndexOf('@');
  if (!dotAtom(value.slice(0, at))) {
    return `The email "${value}" has a part before the @ that package metadata cannot hold (only ASCII letters, digits and ${"!#$%&'*+/=?^_`{|}~-"}, with single dots between them); fix it or leave it empty.`;
  }
  // What PyPI checks on upload (email-validator): every part of the domain a host name, and not a
  // name reserved for local or test use. Accepted here, the plugin would build and fail to publish.
  const domain = value.slice(at + 1);
  // An ASCII domain (the usual one) is checked as it is; another goes through IDNA first (the URL
  // parser's: full-width letters folded, punycode checked). The Unicode classes and the parser are
  // only used then: measured, they cost a run 0.5 ms.
  const ascii = every(domain, (c) => c < 0x80);
  const notHost = domain.split('.').find((label) => !(ascii ? asciiLabel(label) : hostLabel().test(label)));
  if (notHost !== undefined) {
    return `The email "${value}" has a domain part "${notHost}" that is not a host name (ASCII letters, digits and "-", not at either end; or letters of another script); fix it or leave it empty.`;
  }
  let dns = domain.toLowerCase();
  // Punycode ("xn--") is checked by the parser too, and what it decodes to as a label typed so.
  if (!ascii || dns.includes('xn--')) {
    try { dns = new URL(`http://${domain}`).hostname; } catch { dns = ''; }
    const decoded = dns && domainToUnicode(dns).split('.').find((label) => !hostLabel().test(label));
    if (decoded !== undefined && decoded !== '') {
      return `The email "${value}" has a domain part that stands for "${decoded}", which is not a host name (letters, digits and "-"); fix it or leave it empty.`;
    }
  }
  const labels = dns.split('.');
  if (!dns || labels.some((label) => label.length > 63 || (hyphensAt3(label) && !label.startsWith('xn--'))) || dns.length > 253 || at + 1 + dns.length > 254) {
    return `The email "${value}" has a domain that is no valid host name (too long, or a part that is not valid in DNS); fix it or leave it empty.`;
  }
  const top = labels[labels.length - 1]!;
  if (RESERVED_TOP_LEVEL.includes(top) || !isLower(top.charCodeAt(top.length - 1))) {
    return `The email "${value}" ends in .${top}, which is no domain on the internet: PyPI refuses such an address when the plugin is published. Use a public address, or leave it empty.`;
  }
  return undefined;
}

let HOST_LABEL: RegExp | undefined;
/**
 * A domain label as typed: ASCII letters, digits and inner hyphens, or letters, digits and (not
 * first) marks of another script; no invisible or symbol characters, which IDNA refuses.
 */
const hostLabel = () => (HOST_LABEL ??= new RegExp('^(?!-)(?!.*-$)(?:[A-Za-z0-9-]|(?![\\x00-\\x7f])[\\p{L}\\p{N}]|(?<=.)\\p{M})+$', 'u'));
/** Special-use top-level names that email-validator (PyPI's check) refuses. */
const RESERVED_TOP_LEVEL = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];

// ---- Encoders: one per context the text reaches ---------------------------------------

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');
const TOML_ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/** Encoders refuse what no UTF-8 file can hold; the validators above make this unreachable. */
function encodable(value: string, context: string): void {
  if (!wellFormed(value)) throw new Error(`an unpaired surrogate cannot be written into ${context}`);
}

// Printable ASCII without `"` or `\\`. A regex, not a loop (src/chars.ts): templates ask it for
// every component.
const PLAIN_ASCII = /^[ !#-[\]-~]*$/;

/** A TOML 1.0 basic string, quotes included. */
export function toml(value: string): string {
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  encodable(value, 'TOML');
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += TOML_ESCAPES[ch] ?? (code < 0x20 || code === 0x7f ? `\\u${hex4(code)}` : ch);
  }
  return `${out}"`;
}

/** A Python string literal in double quotes (also safe inside f-strings' surroundings). */
export function py(value: string): string {
  // Printable ASCII without `"` or `\\` (every name and key) needs no escape: one test, no loop.
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  encodable(value, 'Python');
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // U+200B too: ruff's PLE2515 refuses a raw zero-width space in source. Lower-case hex digits,
    // as ruff format writes them.
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0x200b) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Text inside a """docstring""": backslashes and quotes escaped so it can neither end nor escape it. */
export const pyDoc = (value: string) => py(value).slice(1, -1);

/**
 * Markdown inline text that renders as exactly the text given: characters that could start markup,
 * an entity (&) or math ($) are backslash-escaped (CommonMark allows it before any ASCII
 * punctuation); a line that would start a list, quote or heading has its marker escaped; leading
 * spaces become &#32; so they neither vanish nor start a code block.
 */
export function md(value: string): string {
  encodable(value, 'Markdown');
  let out = '';
  for (let i = 0; i < value.length; i++) out += isMarkup(value.charCodeAt(i)) ? `\\${value[i]}` : value[i];
  // At the start: digits then `.` (an ordered list; `)` is escaped above), or `-`/`=` (a list or a
  // heading underline), or spaces.
  let digits = 0;
  while (digits < out.length && isDigit(out.charCodeAt(digits))) digits++;
  if (digits > 0 && out[digits] === '.') return `${out.slice(0, digits)}\\${out.slice(digits)}`;
  if (out[0] === '-' || out[0] === '=') return `\\${out}`;
  let spaces = 0;
  while (out[spaces] === ' ') spaces++;
  return spaces ? '&#32;'.repeat(spaces) + out.slice(spaces) : out;
}
const isMarkup = oneOf('\\`*_{}[]<>()#+!|~&$');

/**
 * A YAML double-quoted scalar. A JSON string is one, but JSON leaves DEL, C1 controls, U+FFFE/FFFF
 * raw (YAML forbids them) and NEL, U+2028/2029 raw (YAML folds them as line breaks): escape those.
 */
export function yaml(value: string): string {
  // Printable ASCII without `"` or `\\` (every registry key): JSON's quotes, nothing to escape.
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  encodable(value, 'YAML');
  return JSON.stringify(value).replace(/[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g, (c) => `\\u${hex4(c.charCodeAt(0))}`);
}
