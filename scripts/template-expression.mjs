// Build step: a template EJS compiled, made into one expression where that keeps what it writes.
/**
 * A template of only text and `<%-` of single expressions (names, property reads, calls, string and
 * template literals, arrays), as one expression, `"text" + ((expr) ?? "") + …`, that reads only the
 * locals it uses. EJS's form makes two closures and reads every local on each call, then appends
 * piece by piece; the pipe and service templates render hundreds of times in a big plugin, and
 * this takes about a fifth less time (measured). `?? ""` keeps EJS's rule that null and undefined
 * write nothing. Any other template (code, `<%=`, an expression over lines, with a comma outside
 * brackets, a regex, or a name that is not a local) keeps the function EJS made;
 * test/bundle.test.ts checks the bundle writes what the templates under templates/ render to.
 */
export function asExpression(source, locals) {
  const start = source.indexOf('\n  var __locals = (locals || {}),\n');
  const end = source.lastIndexOf('\n  return __output;\n');
  if (start < 0 || end < start) return undefined;
  const parts = [];
  const used = new Set();
  const body = source.slice(source.indexOf(';\n', start) + 2, end);
  for (const line of body === '' ? [] : body.split('\n')) {
    const text = /^ {4}; __append\(("(?:[^"\\]|\\.)*")\)$/.exec(line);
    if (text) { parts.push(text[1]); continue; }
    const expr = /^ {4}; __append\(\s*(.+?)\s*\)$/.exec(line)?.[1];
    const names = expr === undefined ? undefined : namesIn(expr);
    // Every name read (not after a dot, not inside a string) must be a local: anything else keeps EJS's form.
    if (names === undefined || names.some((name) => !locals.includes(name))) return undefined;
    for (const name of names) used.add(name);
    parts.push(`((${expr}) ?? "")`);
  }
  // A string first, so `+` joins text even when the first pieces are numbers.
  if (!parts[0]?.startsWith('"')) parts.unshift('""');
  const reads = used.size ? `const __locals = locals || {}, ${[...used].map((name) => `${name} = __locals.${name}`).join(', ')};\n` : '';
  return `function (locals) {\n"use strict";\n${reads}return ${parts.join(' + ')};\n}`;
}

/** Is `expr` one argument to EJS's append, as namesIn reads it? */
export const oneExpression = (expr) => namesIn(expr) !== undefined;

/**
 * The names an expression reads, or undefined unless it is one expression this reader follows:
 * brackets that close in order, no comma outside them (EJS appends the first of `a, b`), strings
 * and template literals closed (the names inside `${}` count), no `/` (a regex or a division).
 */
export function namesIn(expr) {
  const names = [];
  let i = 0;
  /** Scan until `stop` (a closing `}` of a template's `${`) at depth 0; false when malformed. */
  const scan = (stop) => {
    const open = [];
    while (i < expr.length) {
      const c = expr[i];
      if (c === '"' || c === "'") {
        for (i++; i < expr.length && expr[i] !== c; i++) if (expr[i] === '\\') i++;
        if (i++ >= expr.length) return false;
      } else if (c === '`') {
        for (i++; i < expr.length && expr[i] !== '`'; i++) {
          if (expr[i] === '\\') i++;
          else if (expr[i] === '$' && expr[i + 1] === '{') { i += 2; if (!scan('}')) return false; i--; }
        }
        if (i++ >= expr.length) return false;
      } else if ('([{'.includes(c)) { open.push(c); i++; }
      else if (')]}'.includes(c)) {
        if (open.length === 0) { if (c === stop) { i++; return true; } return false; }
        if ('([{'.indexOf(open.pop()) !== ')]}'.indexOf(c)) return false;
        i++;
      } else if (c === ',' && open.length === 0) return false;
      else if (c === '/' || c === '\n') return false;
      else if (/[A-Za-z_$]/.test(c)) {
        const name = /^[A-Za-z_$][\w$]*/.exec(expr.slice(i))[0];
        // After one dot a property; after three (a spread) or none, a name that is read.
        if (!/(?<!\.)\.\s*$/.test(expr.slice(0, i))) names.push(name);
        i += name.length;
      } else if (/[0-9]/.test(c)) i += /^[\w.]+/.exec(expr.slice(i))[0].length;
      else i++;
    }
    return stop === undefined && open.length === 0;
  };
  return expr.trim() !== '' && scan(undefined) ? names : undefined;
}
