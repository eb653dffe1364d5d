// Careful edits of Python source without a Python parser. Comments and strings are masked so that
// searches see only code, and an edit either matches an exact, expected shape or is refused with
// the reason: a file is never changed in a way its author would not recognise.

export type Edit = { ok: true; content: string } | { ok: false; reason: string };

export interface PySource {
  /** Physical lines of the source (LF). */
  lines: string[];
  /** The same lines with comments blanked and string literals filled with `"` (same columns). */
  masked: string[];
  /** Per line: it starts a logical line (not inside brackets or a string, not after a backslash). */
  logical: boolean[];
  /** Every bracket is closed, and none closed that was not opened: else a syntax error. */
  balanced: boolean;
}

/**
 * A refusal, with the likely cause added when the file's brackets do not balance as this scanner
 * reads them: an unclosed bracket hides the rest of the file from every search. Only then, and as
 * a question: the scanner is no parser, and a file it cannot balance may still be valid Python.
 */
function withUnbalanced(edit: Edit & { ok: false }, text: string): Edit {
  if (scanPython(text).balanced) return edit;
  return { ok: false, reason: `${edit.reason} (its brackets do not balance as add reads them: a syntax error? \`python -m py_compile\` on it shows one)` };
}

const OPEN = '([{';
const CLOSE = ')]}';

/**
 * Whether the quote at `i` opens an f-string (or a t-string, Python 3.14's template string): its
 * prefix, one or two of the letters r, b, u, f and t, holds an f or a t. Only letters right before
 * the quote and not ending a longer name (`if"x"` has no prefix) count.
 */
function isFormatted(src: string, i: number): boolean {
  let k = i;
  while (k > 0 && i - k < 2 && 'rRbBuUfFtT'.includes(src[k - 1]!)) k--;
  if (k > 0 && /\w/.test(src[k - 1]!)) return false;
  return /[fFtT]/.test(src.slice(k, i));
}

/**
 * Mask one string literal starting at `i`; returns the offset after it. In an f-string a
 * replacement field is code up to its closing brace: since Python 3.12 (PEP 701) it may hold
 * strings in the same quotes, and line breaks.
 */
function maskString(src: string, i: number, out: string[], newline: () => void): number {
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const formatted = isFormatted(src, i);
  let j = i + (triple ? 3 : 1);
  for (; j < src.length; j++) {
    const c = src[j]!;
    if (c === '\\') { j++; if (src[j] === '\n') newline(); continue; }
    if (c === '\n') { if (!triple) break; newline(); continue; }
    if (formatted && c === '{') {
      if (src[j + 1] === '{') j++; // `{{` is a literal brace
      else j = skipField(src, j, out, newline) - 1;
      continue;
    }
    if (triple ? src.startsWith(q.repeat(3), j) : c === q) { j += triple ? 3 : 1; break; }
  }
  for (let k = i; k < j && k < src.length; k++) if (src[k] !== '\n') out[k] = '"';
  return j;
}

/**
 * An f-string's replacement field from its `{` at `i`; returns the offset after its `}`. A `:`
 * directly inside the braces starts the format spec, which is text (a quote there is a fill
 * character: `f"{x:'^20}"`) but for nested fields.
 */
function skipField(src: string, i: number, out: string[], newline: () => void): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j]!;
    if (c === '"' || c === "'") j = maskString(src, j, out, newline) - 1;
    else if (c === '\n') newline();
    else if (c === ':' && depth === 1) return skipSpec(src, j + 1, out, newline);
    else if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth === 0) return j + 1;
  }
  return src.length;
}

/** A format spec from `i` to its field's `}`; returns the offset after that `}`. */
function skipSpec(src: string, i: number, out: string[], newline: () => void): number {
  for (let j = i; j < src.length; j++) {
    const c = src[j]!;
    if (c === '{') j = skipField(src, j, out, newline) - 1;
    else if (c === '}') return j + 1;
    else if (c === '\n') newline();
  }
  return src.length;
}

/** Split Python source (LF line ends) into lines, masked lines and logical-line starts. */
export function scanPython(src: string): PySource {
  const out = src.split('');
  const logical: boolean[] = [];
  let depth = 0;
  let stray = false;
  let continued = false;
  const startLine = (inString: boolean) => { logical.push(!inString && depth === 0 && !continued); continued = false; };
  startLine(false);
  for (let i = 0; i < src.length;) {
    const c = src[i]!;
    if (c === '\n') { i++; startLine(false); }
    else if (c === '#') { while (i < src.length && src[i] !== '\n') out[i++] = ' '; }
    else if (c === '\\' && src[i + 1] === '\n') { continued = true; i++; }
    else if (c === '"' || c === "'") { i = maskString(src, i, out, () => startLine(true)); }
    else {
      if (OPEN.includes(c)) depth++;
      else if (CLOSE.includes(c)) { stray ||= depth === 0; depth = Math.max(0, depth - 1); }
      i++;
    }
  }
  return { lines: src.split('\n'), masked: out.join('').split('\n'), logical, balanced: depth === 0 && !stray };
}

/** The position of the bracket closing the one at (line, col), in masked lines; undefined if unbalanced. */
export function matchBracket(masked: readonly string[], line: number, col: number): { line: number; col: number } | undefined {
  let depth = 0;
  for (let l = line; l < masked.length; l++) {
    const text = masked[l]!;
    for (let c = l === line ? col : 0; c < text.length; c++) {
      if (OPEN.includes(text[c]!)) depth++;
      else if (CLOSE.includes(text[c]!) && --depth === 0) return { line: l, col: c };
    }
  }
  return undefined;
}

export const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
export const isBlank = (line: string) => line.trim() === '';

/**
 * One level of the file's indentation: that of its first indented block (a class or function
 * body under a line at column 0), as the author's formatter wrote it (ruff's indent-width or
 * indent-style); four spaces when the file has no such block.
 */
export function indentUnit(src: PySource): string {
  let previous: string | undefined;
  for (let i = 0; i < src.masked.length; i++) {
    const line = src.masked[i]!;
    if (!src.logical[i] || isBlank(line)) continue;
    const indent = indentOf(line);
    if (indent && previous === '') return indent;
    previous = indent;
  }
  return '    ';
}

// ---- Bracketed literals: `[A, B]`, `{"a", "b"}` ------------------------------------------------

interface Entry { kind: 'item' | 'comment'; text: string; trailing?: string }
export interface Collection { entries: Entry[]; openComment?: string }

/**
 * Read the inside of a bracketed literal whose entries each match `item` (a sticky RegExp), with
 * commas, line breaks and comments between them. Anything else is a reason to refuse.
 */
export function parseCollection(body: string, item: RegExp, what: string): Collection | string {
  const entries: Entry[] = [];
  let openComment: string | undefined;
  let needComma = false;
  let lastOnLine: Entry | undefined;
  let firstLine = true;
  for (let pos = 0; pos < body.length;) {
    const c = body[pos]!;
    if (c === ' ' || c === '\t') { pos++; continue; }
    if (c === '\n') { lastOnLine = undefined; firstLine = false; pos++; continue; }
    if (c === ',') {
      if (!needComma) return 'it has an empty entry (a comma with nothing before it)';
      needComma = false; pos++; continue;
    }
    if (c === '#') {
      const end = body.indexOf('\n', pos) === -1 ? body.length : body.indexOf('\n', pos);
      const text = body.slice(pos, end).trimEnd();
      if (lastOnLine) lastOnLine.trailing = text;
      else if (firstLine && entries.length === 0) openComment = text;
      else entries.push({ kind: 'comment', text });
      pos = end;
      continue;
    }
    item.lastIndex = pos;
    const m = item.exec(body);
    if (!m) return `it holds \`${body.slice(pos).split('\n')[0]!.trim().slice(0, 40)}\`, which is not ${what}`;
    if (needComma) return 'two of its entries have no comma between them';
    const entry: Entry = { kind: 'item', text: m[0] };
    entries.push(entry);
    lastOnLine = entry;
    needComma = true;
    pos += m[0].length;
  }
  return openComment === undefined ? { entries } : { entries, openComment };
}

export const itemsOf = (collection: Collection) => collection.entries.filter((e) => e.kind === 'item').map((e) => e.text);

/**
 * The literal as `ruff format` writes a collection with a magic trailing comma: one entry per
 * line, one `step` further in than the statement, each followed by a comma, the closing bracket at
 * the statement's indentation. New items go after the last existing item, so comments after it
 * stay last.
 */
export function formatCollection(collection: Collection, added: readonly string[], indent: string, brackets: '[]' | '{}', step = '    '): string {
  const entries = [...collection.entries];
  const lastItem = entries.map((e) => e.kind).lastIndexOf('item');
  entries.splice(lastItem === -1 ? entries.length : lastItem + 1, 0, ...added.map((text): Entry => ({ kind: 'item', text })));
  const inner = `${indent}${step}`;
  const lines = entries.map((e) => (e.kind === 'comment' ? `${inner}${e.text}` : `${inner}${e.text},${e.trailing ? `  ${e.trailing}` : ''}`));
  const open = `${brackets[0]}${collection.openComment ? `  ${collection.openComment}` : ''}`;
  return [open, ...lines, `${indent}${brackets[1]}`].join('\n');
}

/** Replace lines [from, to] (inclusive) of `lines` with `replacement` (which may hold line breaks). */
export function spliceLines(lines: readonly string[], from: number, to: number, replacement: string): string[] {
  return [...lines.slice(0, from), ...replacement.split('\n'), ...lines.slice(to + 1)];
}

// ---- Line ends ----------------------------------------------------------------------------------

/** Source as the scanner reads it: no byte-order mark, LF line ends. */
export const asLf = (source: string) => (source.startsWith('\uFEFF') ? source.slice(1) : source).replaceAll('\r\n', '\n');

/**
 * Edit text as LF without a byte-order mark, and give it back in the file's own convention. A
 * refusal gets its likely cause when the file's brackets do not balance (withUnbalanced).
 */
export function withLineEnds(source: string, edit: (text: string) => Edit): Edit {
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const original = source.slice(bom.length);
  const text = original.replaceAll('\r\n', '\n');
  const result = edit(text);
  if (!result.ok) return withUnbalanced(result, text);
  return { ok: true, content: bom + (original === text ? result.content : restoreLineEnds(original, text, result.content)) };
}

/**
 * The edited text with the original's line ends: each line the edit kept (matched in order, a
 * longest common subsequence of lines) keeps its own, so a file that mixes CRLF and LF is not
 * rewritten whole; added or changed lines take the ending most of the file's lines have.
 */
function restoreLineEnds(original: string, text: string, edited: string): string {
  const ends = original.split('\n');
  const before = text.split('\n');
  const after = edited.split('\n');
  const crlf = ends.filter((line) => line.endsWith('\r')).length * 2 >= ends.length - 1;
  const kept = keptLines(before, after);
  // The last piece has no line end of its own (it follows the file's last line break).
  return after.map((line, j) => {
    const i = kept[j]!;
    if (i >= 0) return ends[i]!;
    return crlf && j < after.length - 1 ? `${line}\r` : line;
  }).join('\n');
}

/**
 * For each line of `after`, the line of `before` it is (-1: added or changed): the common head
 * and tail, and a longest common subsequence of the lines between (a factory is short; past a
 * million pairs, the lines between count as changed).
 */
function keptLines(before: readonly string[], after: readonly string[]): number[] {
  const kept = after.map(() => -1);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) { kept[head] = head; head++; }
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) {
    kept[after.length - 1 - tail] = before.length - 1 - tail;
    tail++;
  }
  const n = before.length - head - tail;
  const m = after.length - head - tail;
  if (n === 0 || m === 0 || n * m > 1_000_000) return kept;
  // lengths[i][j]: the longest common subsequence of before[head + i..] and after[head + j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i]![j] = before[head + i] === after[head + j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m;) {
    if (before[head + i] === after[head + j]) { kept[head + j] = head + i; i++; j++; }
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}
