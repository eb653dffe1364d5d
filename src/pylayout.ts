// Python statements laid out as `ruff format` writes them, at any length of the names in them: a
// plugin must pass its own `ruff format --check` and `ruff check` (E501) as generated, and names
// (module, class, registry key) can make a line longer than ruff's limit. Templates call these
// through their context; `add` lays out with the line length the plugin's pyproject.toml sets.

/** The line length create-otai-plugin writes into pyproject.toml ([tool.ruff] line-length). */
export const LINE_LENGTH = 120;

/** Layouts for code of ASCII names (fromImport, classLine, call) and for docstrings of any text. */
export interface PyLayout {
  lineLength: number;
  /** `from module import Name`, or parenthesized with the name on a line of its own. */
  fromImport(module: string, name: string): string;
  /** `class Name(Base):`, or with the base on a line of its own. */
  classLine(name: string, base: string): string;
  /**
   * A call that starts at column `indent`, e.g. `config = PipeConfig(id="x", params=p)`: on one line;
   * else its arguments together on the next line; else one per line with a trailing comma.
   */
  call(indent: number, head: string, args: readonly string[]): string;
  /** A docstring at column `indent`: one line, or its words wrapped with the closing quotes below. */
  docstring(indent: number, text: string): string;
  /** `target = value` at column `indent`, or the value in parentheses on a line of its own. */
  assign(indent: number, target: string, value: string): string;
  /** `def name(params) -> returns:`, or the parameters on a line of their own with a trailing comma. */
  defLine(name: string, params: string, returns: string): string;
}

/**
 * Columns a text takes, counted high: ruff counts East Asian wide characters as two, and a line
 * broken early is still a line ruff leaves as it is (it never joins docstring lines).
 */
function width(text: string): number {
  // As many UTF-8 bytes as characters: all ASCII, one column each. Native, where a loop over the
  // characters, mostly not compiled yet in a run, costs about a millisecond over 200 components.
  if (Buffer.byteLength(text) === text.length) return text.length;
  let columns = text.length;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) columns++;
  return columns;
}

export function pyLayout(lineLength: number): PyLayout {
  // Code lines hold names only, which are ASCII (naming.ts): a character is a column. Docstrings
  // hold free text (the description), whose width is counted.
  const fits = (column: number, text: string) => column + text.length <= lineLength;
  const textFits = (column: number, text: string) => column + 2 * text.length <= lineLength || column + width(text) <= lineLength;
  return {
    lineLength,
    fromImport: (module, name) => {
      const line = `from ${module} import ${name}`;
      return fits(0, line) ? line : `from ${module} import (\n    ${name},\n)`;
    },
    classLine: (name, base) => {
      const line = `class ${name}(${base}):`;
      return fits(0, line) ? line : `class ${name}(\n    ${base}\n):`;
    },
    assign: (indent, target, value) => {
      const line = `${target} = ${value}`;
      const pad = ' '.repeat(indent);
      return fits(indent, line) ? line : `${target} = (\n${pad}    ${value}\n${pad})`;
    },
    defLine: (name, params, returns) => {
      const line = `def ${name}(${params}) -> ${returns}:`;
      return fits(0, line) ? line : `def ${name}(\n    ${params},\n) -> ${returns}:`;
    },
    call: (indent, head, args) => {
      const together = args.join(', ');
      const line = `${head}(${together})`;
      if (fits(indent, line)) return line;
      const pad = ' '.repeat(indent);
      if (fits(indent + 4, together)) return `${head}(\n${pad}    ${together}\n${pad})`;
      return `${head}(\n${args.map((arg) => `${pad}    ${arg},`).join('\n')}\n${pad})`;
    },
    docstring: (indent, raw) => {
      // ruff strips a docstring's outer white space, and each line's trailing white space: so
      // does this, or `ruff format --check` would differ.
      let start = 0;
      let end = raw.length;
      while (start < end && isSpace(raw.charCodeAt(start))) start++;
      while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
      const text = raw.slice(start, end);
      if (textFits(indent, `"""${text}"""`)) return `"""${text}"""`;
      // Broken at runs of white space, which the break drops. A word longer than a line stays
      // whole (E501 allows a line of one word).
      const pad = ' '.repeat(indent);
      const parts = text.split(SPACE_RUN);
      const lines: string[] = [];
      let line = `"""${parts[0]}`;
      for (let i = 1; i < parts.length; i += 2) {
        const space = parts[i]!;
        const word = parts[i + 1]!;
        if (line !== '"""' && !textFits(indent, line + space + word)) {
          lines.push(line);
          line = word;
        } else line += space + word;
      }
      if (lines.length === 0) {
        // One line of text with the quotes below it: ruff joins the quotes back on. Its last word
        // goes to a line of its own; a single word stays on one line (E501 allows it).
        if (parts.length < 3) return `"""${text}"""`;
        lines.push(`"""${parts.slice(0, -2).join('')}`);
        line = parts.at(-1)!;
      }
      lines.push(line, '"""');
      return lines.join(`\n${pad}`);
    },
  };
}

/**
 * Unicode White_Space, what ruff trims from docstrings (not U+FEFF or U+200B: measured with ruff).
 * A function for the ends of every docstring, a regex for the rare one that is wrapped.
 */
const isSpace = (c: number) => (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680
  || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
const SPACE_RUN = /([\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+)/;

/** The length of the longest line of a text. */
export const longestLine = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
