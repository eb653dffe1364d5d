// An existing plugin, as `add` sees it: its names from the answers record in pyproject.toml
// ([tool.create-otai-plugin]) or, without one, from the project metadata; its factory; the classes
// it already has.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { usageError } from '../errors.js';
import { ENTRY_POINT_GROUP, existingPluginNames, registryPrefixOf, type PluginNames } from '../naming.js';
import { isFile, lstatOrUndefined } from '../probe.js';
import { displayPath } from '../report.js';
import { sh } from '../options/reproduce.js';
import { INJECTABLES_METHOD, keyOverride, listedInjectables } from './factory.js';
import { holdsKeysOf, setsExpectedKeys } from './keys.js';
import { asyncioAuto, globMatches, pytestCollection, pytestConfig, type PytestCollection } from './pytest.js';
import { COMPONENT_IMPORTS, pluginImports, ruffSettings, type RuffSettings } from './ruff.js';
import { isTable, readToml, type Table } from './toml.js';
import { asLf, scanPython } from './pysource.js';

export const RECORD_TABLE = 'create-otai-plugin';

export interface PluginProject {
  directory: string;
  names: PluginNames;
  /** Whether [tool.create-otai-plugin] was there; without it the names come from the metadata. */
  recorded: boolean;
  /** The file defining the class the entry point names (relative, POSIX). */
  factory: string;
  /** Where names.registryPrefix comes from, for messages: "derives from the module …" or "reads from the `_plugin_name` in …". */
  prefixFrom: string;
  /**
   * The registration test (relative, POSIX): the one create-otai-plugin generates, or where it was
   * moved (the one test file under tests/, or a folder testpaths names, that sets EXPECTED_KEYS);
   * may be missing.
   */
  registrationTest: string;
  /** Where the tests of new components go: tests/unit, or the folder the registration test was moved to. */
  testsDir: string;
  /** Other test files that set EXPECTED_KEYS at their top level (add updates only the registration test). */
  alsoSetting: string[];
  /** ruff's settings for the plugin's files, as ruff finds them (add/ruff.ts). */
  ruff: RuffSettings;
  /** Whether its pytest runs unmarked async tests (pytest-asyncio's auto mode, add/pytest.ts). */
  asyncioAuto: boolean;
  /** Which test files its pytest collects, and how it imports them (add/pytest.ts). */
  pytest: PytestCollection;
  /** Its test files (testFiles): where the registration test is looked for, and module clashes. */
  testFiles: string[];
  /** A path in the plugin as the user reaches it from where add runs (with --cwd, under that folder). */
  shown: (path: string) => string;
}

const MODULE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY_VALUE = /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*:\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\[[^\]]*\])?\s*$/;
const GROUP_TABLE = `[project.entry-points."${ENTRY_POINT_GROUP}"]`;

/**
 * The plugin folder: the nearest folder with a pyproject.toml, from --cwd (relative to where the
 * command runs) or the current folder upwards, as uv finds its project; links resolved.
 */
export function pluginDirectory(cwdFlag: string | undefined, cwd: string): string {
  const dir = cwdFlag === undefined ? cwd : resolve(cwd, cwdFlag);
  let stat;
  try { stat = statSync(dir); } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError('cwd_missing', `The folder ${dir} does not exist; pass the plugin's folder with --cwd <dir>.`);
    // There but not reachable (a folder above it closed to this user, QA report): not "missing".
    throw usageError('cwd_unreadable', `The folder ${dir} cannot be read (${code ?? 'error'}${code === 'EACCES' ? ': permission denied' : ''}); run as a user who can read it, or pass the plugin's folder with --cwd <dir>.`);
  }
  if (!stat.isDirectory()) throw usageError('cwd_not_directory', `${dir} is a file, not a folder; pass the plugin's folder with --cwd <dir>.`);
  const start = realpathSync(dir);
  for (let at = start; ; at = dirname(at)) {
    if (isFile(join(at, 'pyproject.toml'))) return at;
    if (dirname(at) === at) return start;
  }
}

/** The [project] table's entry points in the plugins' group, whatever they are. */
const pluginGroup = (project: unknown): unknown => (isTable(project) && isTable(project['entry-points']) ? project['entry-points'][ENTRY_POINT_GROUP] : undefined);

function notAPlugin(where: string, why: string, directory?: string): Error {
  // A pyproject.toml of something else inside a plugin (a fixture, docs): name the plugin above it.
  let above: string | undefined;
  for (let at = directory && dirname(directory); at && !above; at = dirname(at) === at ? undefined : dirname(at)) {
    const toml = readToml(join(at, 'pyproject.toml'));
    if (typeof toml !== 'string' && isTable(pluginGroup(toml.project))) above = at;
  }
  const fix = above ? `The plugin at ${above} is above it: pass --cwd ${sh(above)}.` : 'Run `create-otai-plugin add` inside a plugin made by create-otai-plugin, or pass its folder with --cwd <dir>.';
  return usageError('not_a_plugin', `${where} is not an Open Ticket AI plugin folder: ${why}. ${fix}`);
}

function readPyproject(directory: string, where: string): Table {
  let text: string;
  try { text = readFileSync(join(directory, 'pyproject.toml'), 'utf8'); } catch {
    throw notAPlugin(where, 'neither it nor a folder above it has a pyproject.toml');
  }
  // TOML has no byte-order mark (Python's tomllib refuses one too): say so, not "invalid statement".
  if (text.startsWith('\uFEFF')) throw usageError('invalid_pyproject', `${where}/pyproject.toml starts with a byte-order mark, which TOML does not allow (Python's tomllib refuses it too); save it as UTF-8 without one and run again.`);
  try { return parse(text) as Table; } catch (error) {
    if (error instanceof TomlError) throw usageError('invalid_pyproject', `${where}/pyproject.toml is not valid TOML: ${error.message.split('\n')[0]}. Fix it and run again.`);
    throw error;
  }
}

interface EntryPoint { name: string; value: string; module: string; target: string; attr: string }

function entryPoints(project: Table, where: string, directory: string): EntryPoint[] {
  const eps = pluginGroup(project);
  if (!isTable(eps) || Object.keys(eps).length === 0) throw notAPlugin(where, `its pyproject.toml declares no entry point in ${GROUP_TABLE}, so Open Ticket AI would never load it`, directory);
  return Object.entries(eps).map(([name, raw]) => {
    const m = typeof raw === 'string' ? ENTRY_VALUE.exec(raw) : null;
    if (!m) throw usageError('unsupported_entry_point', `The entry point ${name} = ${JSON.stringify(raw)} in ${GROUP_TABLE} is not of the form "module.path:ClassName"; add can only change a plugin whose entry point names a class.`);
    return { name, value: raw as string, module: m[1]!.split('.')[0]!, target: m[1]!, attr: m[2]! };
  });
}

/** The module to change: the record's, or the one every entry point points into. */
function chooseEntryPoint(eps: EntryPoint[], record: Table | undefined, where: string): EntryPoint {
  const recorded = record?.module;
  if (recorded !== undefined && (typeof recorded !== 'string' || !MODULE.test(recorded))) {
    throw usageError('invalid_record', `[tool.${RECORD_TABLE}] module = ${JSON.stringify(recorded)} in ${where}/pyproject.toml is not a Python module name; fix it or delete the table.`);
  }
  const modules = [...new Set(eps.map((e) => e.module))];
  if (recorded === undefined && modules.length > 1) {
    throw usageError('ambiguous_plugin', `${where}/pyproject.toml has entry points into several modules (${modules.join(', ')}); say which to change by adding [tool.${RECORD_TABLE}] with module = "<one of them>".`);
  }
  const module = (recorded as string | undefined) ?? modules[0]!;
  const matching = eps.filter((e) => e.module === module);
  if (matching.length === 0) {
    throw usageError('stale_record', `[tool.${RECORD_TABLE}] in ${where}/pyproject.toml names the module ${module}, but no entry point in ${GROUP_TABLE} points into it; fix the record or delete the table.`);
  }
  if (matching.length > 1) throw usageError('ambiguous_plugin', `${where}/pyproject.toml has ${matching.length} entry points into ${module}; add can change a plugin with one.`);
  return matching[0]!;
}

/** src/a/b.py or src/a/b/__init__.py for the dotted module a.b, if one is there. */
function moduleFile(directory: string, dotted: string): string | undefined {
  const base = `src/${dotted.replaceAll('.', '/')}`;
  return [`${base}.py`, `${base}/__init__.py`].find((candidate) => isFile(join(directory, candidate)));
}

/** The file that defines what the entry point names: its module's, or where that module imports it from. */
function factoryFile(directory: string, ep: EntryPoint, where: string): { file: string; source: string } {
  const file = moduleFile(directory, ep.target);
  if (file) return definingFile(directory, file, ep.target, ep);
  const flat = `${ep.target.replaceAll('.', '/')}.py`;
  if (isFile(join(directory, flat))) throw usageError('unsupported_layout', `The plugin's factory is ${flat}, outside src/; add works with the src/ layout create-otai-plugin generates.`);
  throw usageError('factory_missing', `The entry point ${ep.name} = "${ep.value}" points to src/${ep.target.replaceAll('.', '/')}.py, which does not exist in ${where}; restore it (or fix the entry point) and run again.`);
}

/**
 * Where the name the entry point uses is bound: in `file` (a class, a function or an assignment of
 * it at the top level), or, when the file only imports it (`from .plugin_factory import
 * PluginFactory` in a package's __init__.py, or a chain of such), in the file it comes from.
 */
function definingFile(directory: string, file: string, module: string, ep: EntryPoint, seen = new Set<string>()): { file: string; source: string } {
  let source: string;
  // Unreadable: refused, with the reason, when it is edited.
  try { source = readFileSync(join(directory, file), 'utf8'); } catch { return { file, source: '' }; }
  const code = scanPython(asLf(source)).masked.join('\n').replace(/\\\n/g, ' ');
  const name = ep.attr.split('.')[0]!;
  // Defined here: a class of that name, or a function or an alias of it beside the factory class
  // (the one with `_get_all_injectables`); an alias in a file without it is not followed.
  if (new RegExp(`^[ \\t]*class[ \\t]+${name}\\b`, 'm').test(code)) return { file, source };
  if (new RegExp(`^(?:(?:async[ \\t]+)?def[ \\t]+${name}\\b|${name}[ \\t]*(?::[^=\\n]*)?=(?!=))`, 'm').test(code) && INJECTABLES_METHOD.test(code)) return { file, source };
  seen.add(file);
  for (const m of code.matchAll(/^from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm)) {
    const names = m[3]!.replace(/[()]/g, ' ').split(',').map((part) => part.trim().split(/\s+as\s+/));
    if (!names.some(([imported, bound = imported]) => imported === name && bound === name)) continue;
    // Relative to the package the file is in (its own, for an __init__.py), one level up per extra dot.
    const parts = module.split('.');
    if (!file.endsWith('/__init__.py')) parts.pop();
    const up = m[1]!.length;
    if (up > parts.length) break;
    const from = up ? [...parts.slice(0, parts.length - (up - 1)), ...(m[2] ? m[2].split('.') : [])] : m[2]!.split('.');
    const next = from.length ? moduleFile(directory, from.join('.')) : undefined;
    if (next && !seen.has(next)) return definingFile(directory, next, from.join('.'), ep, seen);
    break;
  }
  const hint = file.endsWith('/__init__.py') ? ` (e.g. "${module}.plugin_factory:${ep.attr}")` : '';
  throw usageError('factory_not_found', `${file} does not define ${name}, and add follows only \`from <module> import ${name}\` to the file that does; point the entry point ${ep.name} in pyproject.toml at the module that defines ${name}${hint} and run again.`);
}

export function readPluginProject(directory: string, cwd: string): PluginProject {
  const where = displayPath(directory, cwd);
  const pyproject = readPyproject(directory, where);
  const project = isTable(pyproject.project) ? pyproject.project : undefined;
  if (!project) throw notAPlugin(where, 'its pyproject.toml has no [project] table', directory);
  const eps = entryPoints(project, where, directory);
  const tool = isTable(pyproject.tool) ? pyproject.tool : undefined;
  const record = tool && isTable(tool[RECORD_TABLE]) ? tool[RECORD_TABLE] : undefined;
  const ep = chooseEntryPoint(eps, record, where);
  const name = typeof project.name === 'string' ? project.name : ep.module.replaceAll('_', '-');
  const derived = existingPluginNames(name, ep.module, { name: ep.name, value: ep.value });
  if (!MODULE.test(derived.module)) throw usageError('invalid_module', `The entry point's module ${derived.module} is not a Python module name.`);
  const { file: factory, source } = factoryFile(directory, ep, where);
  const shown = shownFrom(where);
  // The factory may name its keys itself (contract: `_plugin_name`); new keys must be the ones it gives.
  const className = ep.attr.split('.')[0]!;
  const override = keyOverride(source, className);
  if (override && 'unknown' in override) {
    const fix = override.unknown.includes('_plugin_name') ? ', or make `_plugin_name` return one plain string and run again' : '';
    throw usageError('keys_unknown', `${shown(factory)} cannot be read for its registry keys: ${override.unknown}. Nothing was written. Add new pipes and services by hand (a module, its import in ${shown(factory)} and its place in the list \`_get_all_injectables\` returns)${fix}.`);
  }
  // The runtime's prefix comes from the top-level package of the module defining the class: the
  // entry point's, unless its module re-exports a class from another package.
  const definingPackage = factory.split('/')[1]!.replace(/\.py$/, '');
  const names = override ? { ...derived, registryPrefix: override.prefix }
    : definingPackage !== derived.module ? { ...derived, registryPrefix: registryPrefixOf(definingPackage) } : derived;
  const prefixFrom = override ? `reads from the \`_plugin_name\` in ${shown(factory)}` : `derives from the module ${definingPackage} (as the runtime does)`;
  const prefix = record?.['registry-prefix'];
  if (prefix !== undefined && prefix !== names.registryPrefix) {
    throw usageError('stale_record', `[tool.${RECORD_TABLE}] in ${where}/pyproject.toml says registry-prefix = ${JSON.stringify(prefix)}, but the plugin's keys start with "${names.registryPrefix}", the prefix add ${prefixFrom}; fix the record or delete the table.`);
  }
  // pytest's settings, as pytest finds them: read once for the asyncio mode and what it collects.
  const pytest = pytestConfig(directory, pyproject);
  const collection = pytestCollection(directory, pyproject, pytest);
  const tests = testFiles(directory, collection);
  return {
    directory,
    names,
    recorded: record !== undefined,
    factory,
    prefixFrom,
    ...registrationTestOf(directory, `tests/unit/test_${names.prefixSnake}.py`, where, names.registryPrefix, tests),
    shown,
    ruff: ruffSettings(directory, pyproject, { ...COMPONENT_IMPORTS, ...pluginImports(names.module) }),
    asyncioAuto: asyncioAuto(directory, pyproject, pytest?.settings),
    pytest: collection,
    testFiles: tests,
  };
}

/**
 * The plugin's test files: those under tests/, and under the folders (or the files) its pytest starts
 * from (testpaths: `test`, say, where the tests were moved), a glob expanded as pytest expands it
 * from the plugin's folder (`**` any depth of folders, none hidden).
 */
function testFiles(directory: string, collection: PytestCollection): string[] {
  const files = new Set(pyFiles(directory, 'tests'));
  for (const path of collection.testpaths.flatMap((p) => expandGlob(directory, p))) {
    if (path === '' || path === '.' || path === '..' || path.startsWith('../')) continue;
    const stat = lstatOrUndefined(join(directory, path));
    if (stat?.isDirectory()) for (const file of pyFiles(directory, path)) files.add(file);
    else if (stat?.isFile() && path.endsWith('.py')) files.add(path);
  }
  return [...files];
}

/** Every folder below `folder` (relative, POSIX), none hidden and none through a link. */
function foldersBelow(directory: string, folder: string): string[] {
  let entries: import('node:fs').Dirent[];
  try { entries = readdirSync(join(directory, folder), { withFileTypes: true }); } catch { return []; }
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).flatMap((e) => {
    const path = posix.join(folder, e.name);
    return [path, ...foldersBelow(directory, path)];
  });
}

/** The paths a testpaths entry names, relative to the plugin (POSIX); a glob's matches, sorted. */
function expandGlob(directory: string, pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  let matches = [''];
  for (const part of pattern.split('/')) {
    if (part === '**') { matches = matches.flatMap((m) => [m, ...foldersBelow(directory, m)]); continue; }
    if (!/[*?[]/.test(part)) { matches = matches.map((m) => posix.join(m, part)); continue; }
    matches = matches.flatMap((m) => {
      let names: string[];
      try { names = readdirSync(join(directory, m)); } catch { return []; }
      // As Python's glob: a name that starts with a dot only for a part that does too.
      return names.filter((name) => (!name.startsWith('.') || part.startsWith('.')) && globMatches(part, name, false)).sort().map((name) => posix.join(m, name));
    });
  }
  return matches;
}

/** A path in the plugin as reached from where add runs, the plugin being at `where` (displayPath). */
const shownFrom = (where: string) => (path: string) => (where === '.' ? path : `${where}/${path}`);

/**
 * The registration test where create-otai-plugin puts it; moved (tests flattened into tests/, or
 * renamed, or moved to a folder testpaths names), the one test file there that sets EXPECTED_KEYS,
 * with new tests going beside it: a
 * stale EXPECTED_KEYS would fail the plugin's own tests. Two such files: which to update is unclear.
 */
function registrationTestOf(directory: string, generated: string, where: string, prefix: string, tests: readonly string[]): { registrationTest: string; testsDir: string; alsoSetting: string[] } {
  const found = tests.map((file) => {
    let text = '';
    try { text = readFileSync(join(directory, file), 'utf8'); } catch { /* unreadable: sets nothing */ }
    return { file, sets: setsExpectedKeys(text), keys: holdsKeysOf(text, prefix) };
  });
  // Other tests that set EXPECTED_KEYS at their top level are not updated: add says so.
  const others = (chosen: string) => found.filter((f) => f.sets === 'top' && f.file !== chosen).map((f) => f.file).sort();
  if (exists(directory, generated)) return { registrationTest: generated, testsDir: 'tests/unit', alsoSetting: others(generated) };
  const standard = { registrationTest: generated, testsDir: 'tests/unit', alsoSetting: [] };
  // One file sets it: that one. Several: the one whose EXPECTED_KEYS holds this plugin's keys
  // ("prefix:Class"), as the registration test's does, if only one does (a pipe's test may keep a
  // set of its own in a test function); else which to update is unclear.
  const candidates = found.filter((f) => f.sets !== undefined);
  const withKeys = candidates.filter((f) => f.keys);
  const setting = (candidates.length > 1 && withKeys.length === 1 ? withKeys : candidates).map((f) => f.file);
  if (setting.length === 0) return standard;
  if (setting.length > 1) {
    const shown = shownFrom(where);
    throw usageError('ambiguous_registration_test', `${where === '.' ? 'This plugin' : where} has no ${generated}, and ${setting.length} test files set EXPECTED_KEYS (${setting.sort().map(shown).join(', ')}); add updates one registration test. Keep one EXPECTED_KEYS, or move the registration test back to ${shown(generated)}, and run again.`);
  }
  return { registrationTest: setting[0]!, testsDir: posix.dirname(setting[0]!), alsoSetting: others(setting[0]!) };
}

// ---- What the plugin already has ------------------------------------------------------------------

export const pyFiles = (directory: string, folder: string): string[] => {
  try {
    return (readdirSync(join(directory, folder), { recursive: true }) as string[])
      .filter((p) => p.endsWith('.py'))
      .map((p) => posix.join(folder, p.split('\\').join('/')));
  } catch { return []; }
};

/**
 * Classes a module defines (at any depth) and, with `imports`, the names its imports bind and the
 * functions and variables it defines at its top level (`RoutePipe = DemoPipe` would rebind an
 * imported class); and the name an `X as Y` import imports when Y is in the factory's list
 * (`listed`): the runtime keys a class by its own name, so a second X would silently replace it in
 * the registry. Statements are read as Python reads them: a backslash continues a line, a `;` ends
 * a statement.
 */
export function boundNames(source: string, imports: boolean, listed: readonly string[] = []): string[] {
  const code = scanPython(asLf(source)).masked.join('\n').replace(/\\\n/g, ' ')
    // Each `;`-separated statement on a line of its own, at that line's indentation.
    .replace(/^([ \t]*)([^\n]*;[^\n]*)$/gm, (_line, indent: string, rest: string) => rest.split(';').map((part) => indent + part.trimStart()).join('\n'));
  const classes = [...code.matchAll(/^[ \t]*class[ \t]+([A-Za-z_]\w*)/gm)].map((m) => m[1]!);
  if (!imports) return classes;
  const defined = [...code.matchAll(/^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm)].map((m) => m[1]!);
  // Every target of a chained assignment (`A = B = x`), a type alias, a for loop's names.
  const TARGETS = /^[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*/;
  const assigned = code.split('\n').flatMap((line) => {
    const names: string[] = [];
    for (let rest = line, m = TARGETS.exec(rest); m; rest = rest.slice(m[0].length), m = TARGETS.exec(rest)) {
      names.push(...m[0].replace(/[:=].*$/s, '').split(',').map((n) => n.trim()));
    }
    const other = /^(?:type[ \t]+([A-Za-z_]\w*)|(?:async[ \t]+)?for[ \t]+([\w \t,]+?)[ \t]+in\b)/.exec(line);
    if (other) names.push(...(other[1] ?? other[2]!).split(',').map((n) => n.trim()));
    return names;
  });
  const imported = [...code.matchAll(/^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(\([^)]*\)|[^\n]*)/gm)].flatMap((m) =>
    m[1]!.replace(/[()\\]/g, ' ').split(',').flatMap((part) => {
      const [name, bound = name] = part.trim().split(/\s+as\s+/).map((n) => n.split('.')[0]!.trim());
      if (!bound) return [];
      return name !== bound && listed.includes(bound) ? [bound, name!] : [bound];
    }),
  );
  return [...classes, ...defined, ...assigned, ...imported];
}

/**
 * Class names the plugin already uses → the first file using it: classes defined in its pipes and
 * services, and classes defined, imported or listed in the factory (a second import would shadow
 * the first; a second class of a listed name would take its registry key).
 */
export function existingClasses(project: PluginProject): Map<string, string> {
  const found = new Map<string, string>();
  const module = `src/${project.names.module}`;
  const components = [...pyFiles(project.directory, `${module}/pipes`), ...pyFiles(project.directory, `${module}/services`)];
  // Defining modules first, so a clash names the file that defines the class, not the one importing it.
  for (const file of [...components, project.factory]) {
    let source: string;
    try { source = readFileSync(join(project.directory, file), 'utf8'); } catch { continue; }
    const factory = file === project.factory;
    const listed = factory ? listedInjectables(source) : [];
    // A listed class defined elsewhere (`route.RouteQueuePipe`) holds its key too.
    for (const name of [...boundNames(source, factory, listed), ...listed]) if (!found.has(name)) found.set(name, file);
  }
  return found;
}

/** Whether anything (a file, folder or link) is at `path` inside the plugin. */
export const exists = (directory: string, path: string) => lstatOrUndefined(join(directory, path)) !== undefined;
