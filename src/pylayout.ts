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
    call: (indent, head, args) => {
      const together = args.join(', ');
      const line = `${head}(${together})`;
      if (fits(indent, line)) return line;
      const pad = ' '.repeat(indent);
      if (fits(indent + 4, together)) return `${head}(\n${pad}    ${together}\n${pad})`;
      return `${head}(\n${args.map((arg) => `${pad}    ${arg},`).join('\n')}\n${pad})`;
    },
    docstring: (indent, text) => {
      if (textFits(indent, `"""${text}"""`)) return `"""${text}"""`;
      // Broken at spaces only, which the break drops: a line never ends in a space (ruff would
      // strip it). A word longer than a line stays whole (E501 allows a line of one word).
      const pad = ' '.repeat(indent);
      const parts = text.split(/( +)/);
      const lines: string[] = [];
      let line = `"""${parts[0]}`;
      for (let i = 1; i < parts.length; i += 2) {
        const space = parts[i]!;
        const word = parts[i + 1]!;
        if (line.trim() !== '"""' && !textFits(indent, line + space + word)) {
          lines.push(line);
          line = word;
        } else line += space + word;
      }
      lines.push(line, '"""');
      return lines.join(`\n${pad}`);
    },
  };
}

/** The length of the longest line of a text. */
export const longestLine = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
