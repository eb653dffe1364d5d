// Free text from the user (description, author, email) and how it is written safely into each
// file format it reaches. Text that a format cannot hold is refused, never silently altered.

/** A lone UTF-16 surrogate cannot be encoded as UTF-8, so no file format can hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 controls and DEL; TAB is refused too in one-line fields (it breaks metadata headers).
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// Line and paragraph separators end a line in Python and some editors.
const LINE_BREAK = /[\u2028\u2029\u0085]/;
// Bidirectional overrides and isolates make code and metadata read differently than they are.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

export function checkOneLine(field: string, value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return `The ${field} contains an unpaired surrogate character, which cannot be written as UTF-8; remove it.`;
  if (/[\r\n]/.test(value) || LINE_BREAK.test(value)) return `The ${field} must be a single line; remove the line break.`;
  if (CONTROL.test(value)) return `The ${field} contains a control character (such as a tab or escape); remove it.`;
  if (BIDI.test(value)) return `The ${field} contains an invisible bidirectional control character (U+202A-U+202E or U+2066-U+2069), which makes text read differently than it is stored; remove it.`;
  return undefined;
}

export function checkAuthor(value: string): string | undefined {
  const line = checkOneLine('author', value);
  if (line) return line;
  // Core metadata writes "Name <email>" into an Author-email header; a comma would split the list.
  if (value.includes(',')) return 'The author may not contain a comma (the package metadata separates authors with commas); write the name without it.';
  if (/[<>"]/.test(value)) return 'The author may not contain <, > or " (they break the package metadata\'s "Name <email>" form); remove them.';
  return undefined;
}

export function checkEmail(value: string): string | undefined {
  if (value === '') return undefined;
  const line = checkOneLine('email', value);
  if (line) return line;
  if (!/^[^\s@<>,"()\[\];:\\]+@[^\s@<>,"()\[\];:\\]+\.[^\s@<>,"()\[\];:\\]+$/.test(value)) {
    return `The email "${value}" is not an address of the form name@example.org; fix it or leave it empty.`;
  }
  return undefined;
}

// ---- Encoders: one per context the text reaches ---------------------------------------

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');
const TOML_ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/** Encoders refuse what no UTF-8 file can hold; the validators above make this unreachable. */
function encodable(value: string, context: string): void {
  if (LONE_SURROGATE.test(value)) throw new Error(`an unpaired surrogate cannot be written into ${context}`);
}

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
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) out += `\\u${hex4(code)}`;
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
  return value
    .replace(/[\\`*_{}[\]<>()#+!|~&$]/g, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^[-=]/, (c) => `\\${c}`)
    .replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length));
}

/**
 * A YAML double-quoted scalar. A JSON string is one, but JSON leaves DEL, C1 controls, U+FFFE/FFFF
 * raw (YAML forbids them) and NEL, U+2028/2029 raw (YAML folds them as line breaks): escape those.
 */
export function yaml(value: string): string {
  encodable(value, 'YAML');
  return JSON.stringify(value).replace(/[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g, (c) => `\\u${hex4(c.charCodeAt(0))}`);
}
