// A plugin's pytest settings as `add` needs them. Whether it runs async tests by itself
// (pytest-asyncio's `asyncio_mode = "auto"`, which create-otai-plugin sets; in its default strict
// mode an unmarked `async def test_` fails, so `add` marks the tests it writes), and which test files
// it collects and how it imports them (two of one module name stop its collection).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { isTable, readToml, type Table } from './toml.js';

/** An INI file's section as key → value (pytest's own format: `key = value` or `key: value`). */
function iniSection(text: string, section: string): Record<string, string> | undefined {
  let inside = false;
  let found: Record<string, string> | undefined;
  let last: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) { inside = header[1]!.trim() === section; last = undefined; if (inside) found ??= {}; continue; }
    if (!inside) continue;
    const value = line.replace(/\s+[#;].*$/, '');
    // An indented line continues the value above (`addopts =` then options on the next lines).
    if (/^\s/.test(raw) && last !== undefined) { found![last] = `${found![last]} ${value}`.trim(); continue; }
    const pair = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(value);
    last = pair?.[1];
    if (pair) found![pair[1]!] = pair[2]!.trim();
  }
  return found;
}

const read = (path: string) => { try { return readFileSync(path, 'utf8'); } catch { return undefined; } };

/**
 * The pytest settings of the folder, as pytest (9) picks its config file: in each folder from
 * `directory` up, the first of pytest.toml and .pytest.toml ([pytest]), pytest.ini and .pytest.ini
 * (any of these counts even when empty), pyproject.toml with [tool.pytest.ini_options] or
 * [tool.pytest], tox.ini with [pytest], setup.cfg with [tool:pytest]; with the folder it is in
 * (pytest's rootdir). Undefined when none is found.
 */
export function pytestConfig(directory: string, pyproject?: Table): { settings: Record<string, unknown>; rootdir: string } | undefined {
  for (let dir = directory; ; dir = dirname(dir)) {
    const found = (settings: Record<string, unknown>) => ({ settings, rootdir: dir });
    for (const file of ['pytest.toml', '.pytest.toml']) {
      const table = readToml(join(dir, file));
      if (table === 'missing') continue;
      return found(table !== 'invalid' && isTable(table.pytest) ? table.pytest : {});
    }
    for (const file of ['pytest.ini', '.pytest.ini']) {
      const text = read(join(dir, file));
      if (text !== undefined) return found(iniSection(text, 'pytest') ?? {});
    }
    const toml = (dir === directory ? pyproject : undefined) ?? readToml(join(dir, 'pyproject.toml'));
    const pytest = typeof toml !== 'string' && isTable(toml.tool) && isTable(toml.tool.pytest) ? toml.tool.pytest : undefined;
    if (pytest) return found(isTable(pytest.ini_options) ? pytest.ini_options : pytest);
    for (const [file, section] of [['tox.ini', 'pytest'], ['setup.cfg', 'tool:pytest']] as const) {
      const text = read(join(dir, file));
      const settings = text === undefined ? undefined : iniSection(text, section);
      if (settings) return found(settings);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export const pytestSettings = (directory: string, pyproject?: Table) => pytestConfig(directory, pyproject)?.settings;

/** A setting's words: an array's items, or a string split at blanks (as pytest reads ini values). */
const words = (value: unknown) => (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/\s+/)).filter(Boolean);

/** pytest-asyncio runs unmarked async tests: `asyncio_mode = auto` in the config pytest uses. */
export function asyncioAuto(directory: string, pyproject?: Table, settings = pytestSettings(directory, pyproject)): boolean {
  return String(settings?.asyncio_mode ?? '').trim() === 'auto' || /(^|\s)--asyncio-mode[=\s]auto(\s|$)/.test(words(settings?.addopts).join(' '));
}

/**
 * What pytest collects, run in the plugin without arguments: the file names (python_files), the
 * folders it starts from (testpaths; empty: the plugin's folder) and those it does not enter
 * (norecursedirs), each with pytest's defaults; and whether it imports test files by path.
 */
export interface PytestCollection { pythonFiles: string[]; testpaths: string[]; norecursedirs: string[]; importlib: boolean }

const NORECURSE_DEFAULT = ['*.egg', '.*', '_darcs', 'build', 'CVS', 'dist', 'node_modules', 'venv', '{arch}'];

export function pytestCollection(directory: string, pyproject?: Table, config = pytestConfig(directory, pyproject)): PytestCollection {
  const settings = config?.settings;
  // testpaths count only where pytest runs from its rootdir (the folder of its config file), and
  // only when one of them is there: otherwise pytest collects from the folder it runs in.
  // An absolute one (pytest takes those too) as a path in the plugin, or one leading out of it.
  const inPlugin = (p: string) => (isAbsolute(p) ? relative(directory, p).split(sep).join('/') || '.' : p);
  const testpaths = config?.rootdir === directory ? words(settings?.testpaths).map((p) => posix.normalize(inPlugin(p)).replace(/\/+$/, '')) : [];
  const present = testpaths.some((p) => /[*?[]/.test(p) || existsSync(join(directory, p)));
  const pythonFiles = words(settings?.python_files);
  const norecursedirs = words(settings?.norecursedirs);
  return {
    pythonFiles: pythonFiles.length ? pythonFiles : ['test_*.py', '*_test.py'],
    testpaths: present && !testpaths.includes('.') ? testpaths : [],
    norecursedirs: norecursedirs.length ? norecursedirs : NORECURSE_DEFAULT,
    importlib: /(^|\s)--import-mode[=\s]importlib(\s|$)/.test(words(settings?.addopts).join(' ')),
  };
}

/**
 * Whether pytest, run without arguments in the plugin at `directory`, collects the test file at
 * `path` (relative, POSIX): under a testpath (a glob one counts as all), in no folder it does not
 * enter, named as python_files says.
 */
export function collected(settings: PytestCollection, directory: string, path: string): boolean {
  // Each folder on the way and the file itself, relative to the plugin.
  const ancestors = path.split('/').map((_, i, all) => all.slice(0, i + 1).join('/'));
  // A testpath names a folder or a file, or is a glob pytest expands: any of them matches it.
  const within = settings.testpaths.length === 0 || settings.testpaths.some((p) => (/[*?[]/.test(p) ? ancestors.some((a) => globMatches(p, a, true)) : path === p || path.startsWith(`${p}/`)));
  const skipped = (folder: string) => settings.norecursedirs.some((glob) => fnmatchEx(glob, `${directory}/${folder}`, false));
  return within && !ancestors.slice(0, -1).some(skipped) && collects(settings.pythonFiles, `${directory}/${path}`);
}

/**
 * A glob as Python's fnmatch reads it, as a regular expression: a port of fnmatch.translate (3.11),
 * `[!…]` negation, a `]` first in a set, a `[` with no `]` after it literal, a reversed range
 * (`[z-a]`) matching nothing.
 */
export function fnmatchRegExp(glob: string): RegExp {
  let out = '';
  const n = glob.length;
  for (let i = 0; i < n;) {
    const c = glob[i++]!;
    if (c === '*') { if (!out.endsWith('.*')) out += '.*'; continue; }
    if (c === '?') { out += '.'; continue; }
    if (c !== '[') { out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'); continue; }
    let j = i;
    if (glob[j] === '!') j++;
    if (glob[j] === ']') j++;
    while (j < n && glob[j] !== ']') j++;
    if (j >= n) { out += '\\['; continue; }
    let chunks: string[];
    if (!glob.slice(i, j).includes('-')) chunks = [glob.slice(i, j)];
    else {
      chunks = [];
      let from = i;
      for (let k = glob[i] === '!' ? i + 2 : i + 1; ; k += 3) {
        k = glob.indexOf('-', k);
        if (k < 0 || k >= j) break;
        chunks.push(glob.slice(from, k));
        from = k + 1;
      }
      const chunk = glob.slice(from, j);
      if (chunk) chunks.push(chunk); else chunks[chunks.length - 1] += '-';
      // Ranges that run backwards are empty: dropped, as Python drops them.
      for (let k = chunks.length - 1; k > 0; k--) {
        if (chunks[k - 1]!.slice(-1) > chunks[k]![0]!) { chunks[k - 1] = chunks[k - 1]!.slice(0, -1) + chunks[k]!.slice(1); chunks.splice(k, 1); }
      }
    }
    let set = chunks.map((part) => part.replace(/[\\\]\[^-]/g, '\\$&')).join('-');
    i = j + 1;
    if (!set) { out += '(?!)'; continue; }
    if (set === '!') { out += '.'; continue; }
    if (set.startsWith('!')) set = `^${set.slice(1)}`;
    out += `[${set}]`;
  }
  return new RegExp(`^${out}$`, 's');
}

/** fnmatch, or `otherwise` for a glob JavaScript cannot take (none known: a guard, never a crash). */
export function globMatches(glob: string, text: string, otherwise: boolean): boolean {
  try { return fnmatchRegExp(glob).test(text); } catch { return otherwise; }
}

/**
 * pytest's fnmatch_ex on an absolute POSIX path: a glob without a `/` against its last part, one
 * with it against the whole path (a relative one anywhere in it).
 */
function fnmatchEx(glob: string, path: string, otherwise: boolean): boolean {
  if (!glob.includes('/')) return globMatches(glob, path.slice(path.lastIndexOf('/') + 1), otherwise);
  return globMatches(glob.startsWith('/') ? glob : `*/${glob}`, path, otherwise);
}

/** Whether python_files names the test file at `path` (absolute, POSIX). */
export function collects(pythonFiles: readonly string[], path: string): boolean {
  return pythonFiles.some((glob) => fnmatchEx(glob, path, true));
}
