// Register new components in plugin_factory.py: one import each, sorted as ruff's isort sorts
// them, and one entry each in the list `_get_all_injectables` returns, formatted as `ruff format`
// writes it. Only the shape create-otai-plugin generates (and hand-formatted variants of it) is
// edited; anything else is refused with the reason.
import { NAME_PREFIX } from '../naming.js';
import { naturalCompare } from '../plan.js';
import { pyLayout } from '../pylayout.js';
import { asLf, formatCollection, indentOf, indentUnit, isBlank, itemsOf, matchBracket, parseCollection, scanPython, spliceLines, withLineEnds, type Collection, type Edit, type PySource } from './pysource.js';

export interface Registration {
  className: string;
  /** Dotted module the class is imported from, e.g. otai_x.pipes.route_queue_pipe. */
  from: string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const METHOD = '_get_all_injectables';
/** The factory class's method `_get_all_injectables`, defined in a class body (masked source; any line). */
export const INJECTABLES_METHOD = new RegExp(`^[ \\t]+(?:async[ \\t]+)?def[ \\t]+${METHOD}\\b`, 'm');

export const importLine = (r: Registration) => `from ${r.from} import ${r.className}`;
/** The import as `ruff format` writes it, as the templates write it: pylayout.ts. */
const importLines = (r: Registration, lineLength: number) => pyLayout(lineLength).fromImport(r.from, r.className).split('\n');

/** `lineLength` is ruff's (tool.ruff.line-length; create-otai-plugin writes 120, ruff's default is 88). */
export function registerInFactory(source: string, module: string, registrations: readonly Registration[], lineLength = 88): Edit {
  return withLineEnds(source, (text) => {
    const listed = addToInjectables(text, registrations.map((r) => r.className));
    if (!listed.ok) return listed;
    const imported = insertImports(listed.content, module, registrations, lineLength);
    return imported.ok ? { ok: true, content: blankLinesAfterImports(imported.content) } : imported;
  });
}

/** The lines of `_get_all_injectables`' body: from its first statement to before the next less-indented one. */
function methodBody(src: ReturnType<typeof scanPython>): { first: number; end: number } | string {
  const defs = src.masked.flatMap((m, i) => (src.logical[i] && new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${METHOD}\\b`).test(m) ? [i] : []));
  if (defs.length === 0) return `it has no \`${METHOD}\` method`;
  if (defs.length > 1) return `it defines \`${METHOD}\` ${defs.length} times`;
  const def = defs[0]!;
  const defIndent = indentOf(src.masked[def]!).length;
  let first = def + 1;
  while (first < src.lines.length && !(src.logical[first] && !isBlank(src.masked[first]!))) first++;
  const header = src.masked.slice(def, first).join(' ').trimEnd();
  if (!header.endsWith(':')) return `the body of \`${METHOD}\` is on the same line as its \`def\``;
  if (first >= src.lines.length || indentOf(src.masked[first]!).length <= defIndent) return `\`${METHOD}\` has no body`;
  let end = first;
  while (end < src.lines.length && !(src.logical[end] && !isBlank(src.masked[end]!) && indentOf(src.masked[end]!).length <= defIndent)) end++;
  return { first, end };
}

/** The list `_get_all_injectables` returns: where it is and what it holds, or why add cannot edit it. */
interface Injectables { src: PySource; at: number; close: { line: number; col: number }; indent: string; collection: Collection }

function findInjectables(text: string): Injectables | string {
  const src = scanPython(text);
  const body = methodBody(src);
  if (typeof body === 'string') return body;
  const returns = src.masked.slice(body.first, body.end).flatMap((m, k) => [...m.matchAll(/\breturn\b/g)].map(() => body.first + k));
  if (returns.length !== 1) return `\`${METHOD}\` has ${returns.length || 'no'} return statement${returns.length === 1 ? '' : 's'}; add edits exactly one`;
  const at = returns[0]!;
  const statement = /^([ \t]*)return[ \t]*\[/.exec(src.masked[at]!);
  if (!src.logical[at] || !statement) return `\`${METHOD}\` does not return a plain list literal such as \`return [MyPipe, MyService]\``;
  const close = matchBracket(src.masked, at, statement[0].length - 1);
  if (!close) return `the list \`${METHOD}\` returns is not closed`;
  const after = src.masked[close.line]!.slice(close.col + 1);
  if (!isBlank(after)) return `\`${METHOD}\` returns the list combined with something else (\`${after.trim()}\`); add edits a plain \`return [...]\``;
  const inside = [src.lines[at]!.slice(statement[0].length), ...src.lines.slice(at + 1, close.line + 1)].join('\n');
  const collection = parseCollection(inside.slice(0, inside.length - (src.lines[close.line]!.length - close.col)), NAME, 'a class name');
  if (typeof collection === 'string') return `the list \`${METHOD}\` returns cannot be edited: ${collection}`;
  return { src, at, close, indent: statement[1]!, collection };
}

/** The names the factory's list holds (the last part of a dotted one), or none when add cannot read it. */
export function listedInjectables(source: string): string[] {
  const found = findInjectables(source.replaceAll('\r\n', '\n'));
  return typeof found === 'string' ? [] : itemsOf(found.collection).map((item) => item.split('.').pop()!);
}

function addToInjectables(text: string, classNames: readonly string[]): Edit {
  const found = findInjectables(text);
  if (typeof found === 'string') return { ok: false, reason: found };
  const { src, at, close, indent, collection } = found;
  const present = classNames.filter((c) => itemsOf(collection).some((i) => i.split('.').pop() === c));
  if (present.length) return { ok: false, reason: `its list already holds ${present.join(', ')}` };
  const rest = src.lines[close.line]!.slice(close.col + 1);
  // Entries one level of the file's own indentation further in (ruff's indent-width, or a tab);
  // under a method indented with tabs, a tab: spaces after tabs would be ruff's E101.
  const step = /^\t+$/.test(indent) ? '\t' : indentUnit(src);
  const replacement = `${indent}return ${formatCollection(collection, classNames, indent, '[]', step)}${rest.trimEnd()}`;
  return { ok: true, content: spliceLines(src.lines, at, close.line, replacement).join('\n') };
}

// ---- Imports ------------------------------------------------------------------------------------

interface ImportStatement { first: number; last: number; module: string; isFrom: boolean }

/** The import statements at the top of the file (after its docstring), up to the first other statement. */
export function importBlock(text: string): { statements: ImportStatement[]; next: number; lines: string[]; masked: string[] } {
  const src = scanPython(text);
  const starts = src.masked.flatMap((m, i) => (src.logical[i] && !isBlank(m) ? [i] : []));
  const statements: ImportStatement[] = [];
  let next = src.lines.length;
  for (const [k, line] of starts.entries()) {
    const m = src.masked[line]!;
    const parsed = /^from[ \t]+(\.*[\w.]*)[ \t]+import\b/.exec(m) ?? /^import[ \t]+([\w.]+)/.exec(m);
    if (!parsed) {
      if (k === 0 && /^[rRuU]?"/.test(m)) continue; // the module docstring (its prefix is code to the scanner)
      next = line;
      break;
    }
    let last = (starts[k + 1] ?? src.lines.length) - 1;
    while (last > line && isBlank(src.masked[last]!)) last--;
    statements.push({ first: line, last, module: parsed[1]!, isFrom: m.startsWith('from') });
  }
  return { statements, next, lines: src.lines, masked: src.masked };
}

/**
 * Where an import goes that must come before `statement`: above the comment lines right over it,
 * which belong to it (ruff's isort moves them with it), but below the statement before it.
 */
function above(statement: ImportStatement, statements: readonly ImportStatement[], lines: readonly string[]): number {
  const k = statements.indexOf(statement);
  if (k === 0) return statement.first;
  let at = statement.first;
  while (at - 1 > statements[k - 1]!.last && /^[ \t]*#/.test(lines[at - 1]!)) at--;
  return at;
}

/**
 * Each registration's import, one after another, each placed among the imports already there (the
 * ones inserted before it too). The file is read once: after each insertion the statements below it
 * move down by the lines inserted (reading it again for each one made hundreds of names take
 * seconds: QA report).
 */
function insertImports(text: string, module: string, registrations: readonly Registration[], lineLength: number): Edit {
  const block = importBlock(text);
  const statements = block.statements;
  const lines = [...block.lines];
  if (statements.length === 0) return { ok: false, reason: 'it has no import statements at its top, where the new import would go' };
  for (const r of registrations) {
    const line = importLines(r, lineLength);
    const firstParty = statements.filter((s) => s.module === module || s.module.startsWith(`${module}.`));
    let at: number;
    let insert: string[];
    if (firstParty.length) {
      // Within the section `from` imports follow plain `import`s, sorted by module.
      const before = firstParty.find((s) => s.isFrom && naturalCompare(s.module, r.from) > 0);
      at = before ? before.first : firstParty[firstParty.length - 1]!.last + 1;
      insert = line;
      const top = before && above(before, statements, lines);
      if (before && top !== before.first) {
        // Comment lines over that import belong to it, and ruff keeps a blank line above them: the new
        // import goes right after the import before (the blank line stays between), or opens the
        // section with a blank line of its own.
        const previous = statements[statements.indexOf(before) - 1];
        if (previous && firstParty.includes(previous)) at = previous.last + 1;
        else { at = top!; insert = [...line, '']; }
      }
    } else {
      // A new first-party section: after third-party imports, before relative (local-folder) ones.
      const local = statements.find((s) => s.module.startsWith('.'));
      at = local ? above(local, statements, lines) : statements[statements.length - 1]!.last + 1;
      insert = local ? [...line, ''] : ['', ...line];
    }
    lines.splice(at, 0, ...insert);
    for (const s of statements) if (s.first >= at) { s.first += insert.length; s.last += insert.length; }
    const first = at + insert.indexOf(line[0]!);
    const added = { first, last: first + line.length - 1, module: r.from, isFrom: true };
    const k = statements.findIndex((s) => s.first > first);
    statements.splice(k < 0 ? statements.length : k, 0, added);
  }
  return { ok: true, content: lines.join('\n') };
}

/** `ruff format` puts exactly two blank lines between the imports and a class or function after them. */
function blankLinesAfterImports(text: string): string {
  const { statements, next, lines, masked } = importBlock(text);
  const last = statements[statements.length - 1];
  if (!last || next >= lines.length || !/^(?:class\b|def\b|async[ \t]+def\b|@)/.test(masked[next]!)) return text;
  const gap = lines.slice(last.last + 1, next);
  if (!gap.every(isBlank)) return text; // comments in between: leave the author's layout alone
  return [...lines.slice(0, last.last + 1), '', '', ...lines.slice(next)].join('\n');
}

// ---- Overridden keys ----------------------------------------------------------------------------

/** A string literal alone, as `_plugin_name` may return it: no prefix letters, no escapes. */
const PLAIN_STRING = /^[ \t]*(["'])([^"'\\\n]*)\1[ \t]*(?:#.*)?$/;
/** A member that names the keys: `def _plugin_name`/`def get_registry_name`, or either assigned. */
const KEY_MEMBER = /^[ \t]+(?:(?:async[ \t]+)?def[ \t]+(_plugin_name|_?get_registry_name)\b|(_plugin_name|_?get_registry_name)[ \t]*(?::[^=\n]*)?(\/\/|\*\*|<<|>>|[-+*/%|&^@])?=(?!=))/;

/**
 * How the entry point's class changes the runtime's registry keys (contract: the property
 * `Plugin._plugin_name` gives the prefix, less every "otai-"; `Plugin.get_registry_name` makes the
 * whole key), read from its own members only: `prefix` when `_plugin_name` is, or returns, one
 * plain string literal; `unknown` with what add cannot read; undefined when it overrides neither.
 * What a base class of the plugin's own overrides is not read here (add checks the keys against
 * the registration test's instead).
 */
export function keyOverride(source: string, className: string): { prefix: string } | { unknown: string } | undefined {
  const src = scanPython(asLf(source));
  const classes = src.masked.flatMap((m, i) => (src.logical[i] && m.startsWith('class') ? [i] : []));
  // The class the entry point names; for a function or an alias it names, the class that lists
  // the injectables (add edits that one, and that one the runtime names the keys of).
  let header = classes.find((i) => new RegExp(`^class[ \\t]+${className}\\b`).test(src.masked[i]!));
  if (header === undefined) {
    const method = src.masked.findIndex((m, i) => src.logical[i] && INJECTABLES_METHOD.test(m));
    header = method < 0 ? undefined : classes.filter((i) => i < method).pop();
    if (header !== undefined) className = /^class[ \t]+(\w+)/.exec(src.masked[header]!)![1]!;
  }
  if (header === undefined) return undefined;
  // The class's direct members: its body's statements at the body's own indentation.
  const members: { line: number; indent: number; name: string; def: boolean; augmented: boolean }[] = [];
  let memberIndent: number | undefined;
  for (let i = header + 1; i < src.lines.length; i++) {
    if (!src.logical[i] || isBlank(src.masked[i]!)) continue;
    const indent = indentOf(src.masked[i]!).length;
    if (indent === 0) break;
    memberIndent ??= indent;
    const found = indent === memberIndent ? KEY_MEMBER.exec(src.masked[i]!) : null;
    if (found) members.push({ line: i, indent, name: (found[1] ?? found[2])!, def: found[1] !== undefined, augmented: found[3] !== undefined });
  }
  if (members.length === 0) return undefined;
  // get_registry_name makes each key (_get_registry_name, in open-ticket-ai 1.4).
  const getter = members.find((m) => m.name !== '_plugin_name');
  if (getter) return { unknown: `its ${className} overrides \`${getter.name}\` (line ${getter.line + 1}), which makes the registry keys` };
  if (members.length > 1) return { unknown: `its ${className} sets \`_plugin_name\` ${members.length} times` };
  const [member] = members;
  if (member!.augmented) return { unknown: `its ${className} changes \`_plugin_name\` in place (line ${member!.line + 1}), so add cannot tell the registry prefix` };
  const literal = (line: number, from: number) => PLAIN_STRING.exec(src.lines[line]!.slice(from))?.[2];
  let value: string | undefined;
  if (!member!.def) {
    value = literal(member!.line, src.masked[member!.line]!.indexOf('=') + 1);
  } else {
    // The body's statements, a docstring aside: exactly one, `return "<literal>"`.
    const body: number[] = [];
    for (let i = member!.line + 1; i < src.lines.length; i++) {
      if (!src.logical[i] || isBlank(src.masked[i]!)) continue;
      if (indentOf(src.masked[i]!).length <= member!.indent) break;
      body.push(i);
    }
    const statements = body.filter((i, k) => !(k === 0 && /^[ \t]*[rRuU]?"+[ \t]*$/.test(src.masked[i]!)));
    const ret = statements.length === 1 ? /^[ \t]*return\b/.exec(src.masked[statements[0]!]!) : null;
    if (ret) value = literal(statements[0]!, ret[0].length);
  }
  if (value === undefined) return { unknown: `the \`_plugin_name\` of its ${className} (line ${member!.line + 1}) is not one plain string such as \`return "otai-my-plugin"\`, so add cannot tell the registry prefix` };
  return { prefix: value.replaceAll(NAME_PREFIX, '') };
}
