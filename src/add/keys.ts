// Keep the registration test in step with the factory: add the new keys to its EXPECTED_KEYS set,
// formatted as `ruff format` writes it, at the top level or indented (in a test function or class).
// A test that no longer holds EXPECTED_KEYS is left alone; one that holds it in a form this cannot
// edit is a reason to refuse (a stale test would fail).
import { py } from '../text.js';
import { asLf, formatCollection, indentUnit, isBlank, matchBracket, parseCollection, scanPython, spliceLines, withLineEnds, type Edit } from './pysource.js';

const KEY = /"[^"\\\n]*"|'[^'\\\n]*'/y;
const ASSIGNMENT = /^([ \t]*)EXPECTED_KEYS[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*/;
/** A statement that starts with the name: an assignment, or anything else done to it. */
const USE = /^[ \t]*EXPECTED_KEYS\b/;
/** An annotation alone (`EXPECTED_KEYS: set[str]`): it declares, and does nothing to the set. */
const ANNOTATION = /^[ \t]*EXPECTED_KEYS[ \t]*:[^=\n]*$/;

/**
 * Where a test file assigns EXPECTED_KEYS in its code (not in a string or comment): 'top' at the
 * top level of the file, 'indented' only inside a function or class, or undefined.
 */
export function setsExpectedKeys(source: string): 'top' | 'indented' | undefined {
  if (!source.includes('EXPECTED_KEYS')) return undefined;
  const src = scanPython(asLf(source));
  const at = src.masked.filter((m, i) => src.logical[i] && ASSIGNMENT.test(m));
  if (at.length === 0) return undefined;
  return at.some((m) => m.startsWith('EXPECTED_KEYS')) ? 'top' : 'indented';
}

/** Whether an EXPECTED_KEYS the file assigns in its code holds a key with this prefix (`"prefix:Class"`). */
export function holdsKeysOf(source: string, prefix: string): boolean {
  if (!source.includes('EXPECTED_KEYS')) return false;
  const src = scanPython(asLf(source));
  return src.masked.some((m, at) => {
    const head = src.logical[at] ? ASSIGNMENT.exec(m) : null;
    if (!head) return false;
    const close = m.slice(head[0].length).startsWith('{') ? matchBracket(src.masked, at, head[0].length) : undefined;
    const value = [src.lines[at]!.slice(head[0].length), ...src.lines.slice(at + 1, close ? close.line + 1 : at + 1)].join('\n');
    return value.includes(`"${prefix}:`) || value.includes(`'${prefix}:`);
  });
}

/** `EXPECTED_KEYS =` with one space before the value, as ruff writes it. */
const lead = (line: string, head: string) => `${line.slice(0, head.length).trimEnd()} `;

/**
 * `absent`: no EXPECTED_KEYS; `foreign`: its keys all start with other prefixes than `prefix`
 * (the runtime names the plugin's keys in a way add did not read: adding would fail the test).
 */
export type KeysEdit = Edit | { ok: 'absent' } | { ok: 'foreign'; prefixes: string[] };

export function addExpectedKeys(source: string, keys: readonly string[], prefix?: string): KeysEdit {
  let absent = false;
  let foreign: string[] | undefined;
  const edit = withLineEnds(source, (text) => {
    const src = scanPython(text);
    const uses = src.masked.flatMap((m, i) => (src.logical[i] && USE.test(m) && !ANNOTATION.test(m) ? [i] : []));
    if (uses.length === 0) { absent = true; return { ok: true, content: text }; }
    const assignments = uses.filter((i) => ASSIGNMENT.test(src.masked[i]!));
    if (assignments.length > 1) return { ok: false, reason: 'EXPECTED_KEYS is assigned more than once' };
    if (uses.length > 1) return { ok: false, reason: 'EXPECTED_KEYS is changed by a statement of its own besides its assignment (`EXPECTED_KEYS = {...}`)' };
    const at = uses[0]!;
    const head = ASSIGNMENT.exec(src.masked[at]!);
    if (!head) return { ok: false, reason: 'EXPECTED_KEYS is not a plain assignment (`EXPECTED_KEYS = {...}`)' };
    const indent = head[1]!;
    // Entries one level of the file's own indentation further in (a tab under tabs: see factory.ts).
    const step = /^\t+$/.test(indent) ? '\t' : indentUnit(src);
    const value = src.masked[at]!.slice(head[0].length);
    // An empty set is written set(); `{}` (an empty dict) is what an empty literal would have been.
    if (/^set\(\)[ \t]*$/.test(value) || /^\{[ \t]*\}[ \t]*$/.test(value)) {
      return { ok: true, content: spliceLines(src.lines, at, at, `${lead(src.lines[at]!, head[0])}${formatCollection({ entries: [] }, keys.map(py), indent, '{}', step)}${src.lines[at]!.slice(head[0].length + value.trimEnd().length).trimEnd()}`).join('\n') };
    }
    if (!value.startsWith('{')) return { ok: false, reason: 'EXPECTED_KEYS is not a set literal (`{"prefix:Class", ...}`)' };
    const close = matchBracket(src.masked, at, head[0].length);
    if (!close) return { ok: false, reason: 'the EXPECTED_KEYS set is not closed' };
    if (!isBlank(src.masked[close.line]!.slice(close.col + 1))) return { ok: false, reason: 'EXPECTED_KEYS is the set combined with something else' };
    const inside = [src.lines[at]!.slice(head[0].length + 1), ...src.lines.slice(at + 1, close.line + 1)].join('\n');
    const collection = parseCollection(inside.slice(0, inside.length - (src.lines[close.line]!.length - close.col)), KEY, 'a registry key in quotes');
    if (typeof collection === 'string') return { ok: false, reason: `the EXPECTED_KEYS set cannot be edited: ${collection}` };
    const present = new Set(collection.entries.filter((e) => e.kind === 'item').map((e) => e.text.slice(1, -1)));
    if (prefix !== undefined && present.size > 0 && ![...present].some((k) => k.startsWith(`${prefix}:`))) {
      foreign = [...new Set([...present].map((k) => k.slice(0, k.indexOf(':') + 1 || undefined)))];
      return { ok: true, content: text };
    }
    const added = keys.filter((k) => !present.has(k)).map(py);
    if (added.length === 0) return { ok: true, content: text };
    const rest = src.lines[close.line]!.slice(close.col + 1).trimEnd();
    const replacement = `${lead(src.lines[at]!, head[0])}${formatCollection(collection, added, indent, '{}', step)}${rest}`;
    return { ok: true, content: spliceLines(src.lines, at, close.line, replacement).join('\n') };
  });
  return absent ? { ok: 'absent' } : foreign ? { ok: 'foreign', prefixes: foreign } : edit;
}
