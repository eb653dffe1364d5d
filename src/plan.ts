// Options → plan: every name, key and file the plugin will have, decided before anything renders.
import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isDigit, isUpper } from './chars.js';
import { usageError } from './errors.js';
import { checkComponentNames, registryKey, type Component, type ComponentKind, type PluginNames } from './naming.js';
import type { CreateOptions } from './options/resolve.js';
import { templatesDir, VERSION } from './paths.js';
import { LINE_LENGTH, longestLine, pyLayout, type PyLayout } from './pylayout.js';
import { BUILD_BACKENDS, DEV_DEPENDENCIES, LICENSES, PYDANTIC_REQUIREMENT } from './tables.js';
import { BUILT_PATH_PIECES, BUILT_TEMPLATES, pathPiecesOf } from './templates.js';
import * as text from './text.js';

export interface PlannedFile {
  /** Template path relative to templates/. */
  template: string;
  /** Output path relative to the plugin directory, POSIX separators. */
  path: string;
  /** Extra template data for per-component files. */
  component?: Component;
}

export interface Plan {
  names: PluginNames;
  directory: string;
  pipes: Component[];
  services: Component[];
  registryKeys: string[];
  files: PlannedFile[];
  /** Everything the templates see. */
  context: TemplateContext;
}

export type TemplateContext = ReturnType<typeof templateContext>;

const listing = new Map<string, string[]>();
/** Template files of one group, read from disk once per process. */
export function templatesOf(dir: string): string[] {
  let files = listing.get(dir);
  if (!files && BUILT_TEMPLATES) {
    // The bundle knows its templates: no directory walk.
    files = Object.keys(BUILT_TEMPLATES).filter((t) => t.startsWith(`${dir}/`)).map((t) => t.slice(dir.length + 1)).sort();
    listing.set(dir, files);
  }
  if (!files) {
    const root = templatesDir();
    // A group that does not exist has no templates (a build backend without files of its own).
    if (!existsSync(join(root, dir))) return [];
    files = (readdirSync(join(root, dir), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((e) => e.isFile() && e.name.endsWith('.ejs'))
      .map((e) => posix.join(posix.relative(posix.join(root, dir).replaceAll('\\', '/'), (e.parentPath ?? e.path).replaceAll('\\', '/')), e.name))
      .sort();
    listing.set(dir, files);
  }
  return files;
}

/** A template path cut into text and placeholder names, once per template (odd indexes are names). */
const pathPieces = new Map<string, readonly string[]>();

/** `src/{{module}}/dot-x.py.ejs` → `src/otai_x/.x.py`. */
export function outputPath(template: string, values: Record<string, string>): string {
  let pieces = pathPieces.get(template);
  if (!pieces) {
    // The bundle has them cut at build time (about 0.2 ms a run, measured); from src/, cut here.
    pieces = (BUILT_PATH_PIECES && Object.hasOwn(BUILT_PATH_PIECES, template) ? BUILT_PATH_PIECES[template] : undefined) ?? pathPiecesOf(template);
    pathPieces.set(template, pieces);
  }
  let out = pieces[0]!;
  for (let i = 1; i < pieces.length; i += 2) {
    const value = values[pieces[i]!];
    if (value === undefined) throw new Error(`template path ${template} uses unknown placeholder ${pieces[i]}`);
    out += value + pieces[i + 1]!;
  }
  return out;
}

/**
 * Components of one kind for a plugin: each name valid (naming.ts), and each short enough, with the
 * plugin's names, for every line of its code to fit ruff's line length as `layout` wraps it.
 */
export function checkComponents(kind: ComponentKind, raws: readonly string[], names: PluginNames, layout: PyLayout = pyLayout(LINE_LENGTH)): ReturnType<typeof checkComponentNames> {
  const checked = checkComponentNames(kind, raws);
  if (!checked.ok) return checked;
  for (const component of checked.components) {
    // Its test would be the plugin's registration test (otai-x-pipe with the pipe X): said here, so
    // that the prompt refuses the name as it is typed, not after every other question.
    if (component.stem === names.prefixSnake) return { ok: false, message: collision(`tests/unit/test_${component.stem}.py`) };
    const problem = lineBudgetProblem(names, component, layout);
    if (problem) return { ok: false, message: problem };
  }
  return checked;
}

export function componentsOf(kind: ComponentKind, raws: readonly string[], names: PluginNames, layout?: PyLayout): Component[] {
  const checked = checkComponents(kind, raws, names, layout);
  if (!checked.ok) throw usageError(`invalid_${kind}`, checked.message);
  return checked.components;
}

/**
 * The lines a component's names lengthen that wrapping cannot always bring under the line length:
 * the import of its module (tests, factory) and its config in its test, laid out as the templates
 * under templates/pipe and templates/service lay them out. Lines with the class name alone are
 * bounded by MAX_CLASS_NAME; test/line-length.test.ts renders plugins at these limits.
 */
function lineBudgetProblem(names: PluginNames, c: Component, layout: PyLayout): string | undefined {
  const config = c.kind === 'pipe' ? 'PipeConfig' : 'InjectableConfig';
  // Both on one line, `from <module>.services.<stem> import <Class>` and `    config =
  // InjectableConfig(id="<stem>", use="<prefix>:<Class>", params=params)`, fit: nothing to lay out.
  const m = names.module.length;
  const key = names.registryPrefix.length + 1 + c.className.length;
  if (Math.max(23 + m + c.stem.length + c.className.length, 59 + c.stem.length + key) <= layout.lineLength) return undefined;
  const longest = Math.max(
    longestLine(layout.fromImport(componentModule(names.module, c), c.className)),
    longestLine(layout.call(4, `config = ${config}`, [`id="${c.stem}"`, `use=${text.py(registryKey(names, c.className))}`, 'params=params'])),
  );
  if (longest <= layout.lineLength) return undefined;
  return `The ${c.kind} ${c.className} of ${names.name} would make a line of ${longest} characters in the generated code, more than ruff's line length (${layout.lineLength}) even wrapped; shorten the ${c.kind} name or the plugin name by at least ${longest - layout.lineLength} characters.`;
}

const collision = (path: string) => `Two generated files would both be ${path}; rename the pipe or service whose test file collides with the plugin's registration test.`;

/**
 * Module order as ruff's isort sorts it (natord's compare, as ruff uses it): case-insensitive
 * first, then case-sensitive to break a tie. Character by character, except where both sides are
 * at a digit: runs without a leading zero compare as numbers (the longer run is larger), runs
 * with one digit by digit (`step02` < `step1`). So `.` (before the digits) puts `route.core`
 * before `route2`.
 */
export function naturalCompare(a: string, b: string): number {
  return natord(a.toLowerCase(), b.toLowerCase()) || natord(a, b);
}

function natord(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    if (i >= a.length || j >= b.length) return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
    const p = a.charCodeAt(i);
    const q = b.charCodeAt(j);
    if (isDigit(p) && isDigit(q)) {
      // Both runs walked in step; they end together unless one decides the order.
      const fractional = p === 48 || q === 48;
      let bias = 0;
      for (;;) {
        const x = i < a.length && isDigit(a.charCodeAt(i));
        const y = j < b.length && isDigit(b.charCodeAt(j));
        if (!x || !y) {
          if (x !== y) return x ? 1 : -1;
          break;
        }
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d && fractional) return d;
        bias ||= d;
        i++;
        j++;
      }
      if (bias) return bias;
      continue;
    }
    if (p !== q) return p - q;
    i++;
    j++;
  }
}

// The order String#localeCompare gives these paths in English (ICU root collation: punctuation
// `_ - . /`, then digits, then letters ignoring case; lower case first on a tie), without loading
// ICU's collator, which costs more than the rest of a default run, and the same in every locale.
const PATH_ORDER = '_-./0123456789abcdefghijklmnopqrstuvwxyz';
/** Primary weight by UTF-16 code unit: the table above, case folded; anything else after it. */
const weight = (code: number) => {
  const i = code < 128 ? PATH_ORDER.indexOf(String.fromCharCode(code).toLowerCase()) : -1;
  return i < 0 ? PATH_ORDER.length + code : i;
};
const ASCII_WEIGHTS = Array.from({ length: 128 }, (_, code) => weight(code));

/**
 * Paths of only the table's characters (every path the generator makes) have a quick sort key. A
 * regex, not a loop (src/chars.ts): it runs for every file, and V8's compiled pattern soon beats
 * a loop that has not been compiled yet.
 */
const TABLE_PATH = /^[A-Za-z0-9_./-]*$/;

/**
 * Items in comparePaths' order of their paths (a new array). For paths of table characters only, a
 * key whose plain string order is that order, sorted by the built-in sort with no callback: the
 * lower-cased path with `_` (first in the table) made U+0001, which keeps the table's order. Paths
 * equal but for case tie on that key; only then is the order decided by comparePaths. Measured on
 * 413 paths, a tenth of the time of sorting with comparePaths, whose loop runs on every pair. The
 * keys find their items through a map: keys made unique with an index would each be built twice.
 */
export function sortByPath<T extends { path: string }>(items: readonly T[]): T[] {
  const byComparison = () => [...items].sort((a, b) => comparePaths(a.path, b.path));
  if (!items.every((item) => TABLE_PATH.test(item.path))) return byComparison();
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(item.path.toLowerCase().replaceAll('_', '\u0001'), item);
  if (byKey.size < items.length) return byComparison();
  const keys = [...byKey.keys()].sort();
  return keys.map((key) => byKey.get(key)!);
}

/** Output paths in the order the report and --json list them. */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const d = (x < 128 ? ASCII_WEIGHTS[x]! : weight(x)) - (y < 128 ? ASCII_WEIGHTS[y]! : weight(y));
    if (d) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return isUpper(a.charCodeAt(i)) ? 1 : -1;
  return 0;
}

/** The dotted module a component lives in: otai_x.pipes.route_queue_pipe. */
export const componentModule = (module: string, c: Component) => `${module}.${c.kind === 'pipe' ? 'pipes' : 'services'}.${c.stem}`;

/** `from <module>.pipes.<stem> import <Class>` lines for the factory, in ruff's order. */
export function componentImports(module: string, components: readonly Component[]): { from: string; name: string }[] {
  // The modules are the same up to the kind (`<module>.pipes.` before `<module>.services.`), and
  // its `.` ends any digit run there: pipes come first, and each kind sorts by its stems alone. So
  // no loop walks the shared part of every module: for 100 + 100 V8 compiled that walk with
  // TurboFan, and the sort cost about 1.5 ms of the run (paired runs). One of a kind sorts nothing.
  const imports: { from: string; name: string }[] = [];
  for (const kind of ['pipe', 'service'] as const) {
    const ofKind = components.filter((c) => c.kind === kind);
    for (const c of ofKind.length > 1 ? byStem(ofKind) : ofKind) imports.push({ from: componentModule(module, c), name: c.className });
  }
  return imports;
}

/**
 * Components in naturalCompare's order of their stems. Sorted by keys with no callback (see
 * naturalKey), as sortByPath sorts paths: naturalCompare on every pair, run some thousand times
 * before V8 compiles it, cost 100 + 100 about 1.5 ms.
 */
function byStem<C extends { stem: string }>(components: readonly C[]): C[] {
  const byKey = new Map<string, C>();
  for (const c of components) {
    const key = naturalKey(c.stem);
    if (key === undefined) break;
    byKey.set(key, c);
  }
  if (byKey.size < components.length) return [...components].sort((a, b) => naturalCompare(a.stem, b.stem));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/**
 * A key whose plain string order is naturalCompare's, for the stems create makes (lower-case
 * letters, digits and `_`; `.` too), else undefined. natord compares a run of digits with no leading
 * zero as a number: such a run gets its length in front, as a character between `0` and `_` (a
 * longer run is larger, and a run still sorts among the other characters as a digit does). A run
 * with a leading zero compares digit by digit, the longer one larger where one begins the other:
 * it stays as it is, with U+0001 after it (below every digit). Runs over 46 digits: undefined.
 * Two native patterns, no loop over the characters in JavaScript (see componentImports).
 */
function naturalKey(stem: string): string | undefined {
  if (!NATURAL_KEYED.test(stem)) return undefined;
  return stem.replace(DIGIT_RUN, (run) => (run.charCodeAt(0) === 48 ? `${run}\u0001` : String.fromCharCode(48 + run.length) + run));
}
const NATURAL_KEYED = /^(?:[a-z_.]|\d{1,46}(?!\d))*$/;
const DIGIT_RUN = /\d+/g;

/**
 * What `templates/pipe` and `templates/service` see (plus `component`). `add` has only the names of
 * an existing plugin, not the answers given at creation, so component templates must not use more.
 */
export function componentContext(names: PluginNames, pipes: Component[], services: Component[], layout: PyLayout = pyLayout(LINE_LENGTH), asyncioMarks = false) {
  return {
    names,
    pipes,
    services,
    components: [...pipes, ...services],
    key: (c: Component) => registryKey(names, c.className),
    generatorVersion: VERSION,
    ...text,
    fromImport: layout.fromImport,
    classLine: layout.classLine,
    assign: layout.assign,
    defLine: layout.defLine,
    call: layout.call,
    docstring: layout.docstring,
    /** Async tests marked for pytest-asyncio: `add` in a plugin whose pytest is not in its auto mode. */
    asyncioMarks,
  };
}
export type ComponentContext = ReturnType<typeof componentContext>;

/** Two days: more than any time zone's distance from UTC (POSIX TZ allows offsets up to 24:59:59). */
const TWO_DAYS_MS = 2 * 86_400_000;

/**
 * The year where the user is, for the license's copyright line. Date#getFullYear asks for the local
 * time zone, and the first such question in a process loads the zone's data (measured: 1 ms in a bare
 * process, 0.5 ms of a run). More than two days from New Year in UTC, every zone is in the UTC year;
 * only near it is the zone asked.
 */
export function localYear(now: Date): number {
  const year = now.getUTCFullYear();
  const time = now.getTime();
  const nearNewYear = time - newYear(year) < TWO_DAYS_MS || newYear(year + 1) - time <= TWO_DAYS_MS;
  return nearNewYear ? now.getFullYear() : year;
}

/** 1 January of a year, 00:00 UTC; not Date.UTC, which reads years 0 to 99 as 1900 to 1999. */
const newYear = (year: number) => new Date(0).setUTCFullYear(year, 0, 1);

function templateContext(opts: CreateOptions, pipes: Component[], services: Component[]) {
  return {
    ...componentContext(opts.names, pipes, services),
    imports: componentImports(opts.names.module, [...pipes, ...services]),
    opts,
    license: { id: opts.license, ...LICENSES[opts.license] },
    backend: { id: opts.buildBackend, ...BUILD_BACKENDS[opts.buildBackend] },
    year: localYear(new Date()),
    dependencies: [`open-ticket-ai${opts.otaiVersion.replaceAll(' ', '')}`, PYDANTIC_REQUIREMENT],
    devDependencies: DEV_DEPENDENCIES,
  };
}

/** The files of each component: `templates/pipe/` per pipe, `templates/service/` per service. */
export function componentFiles(base: { module: string; prefixSnake: string }, components: readonly Component[]): PlannedFile[] {
  const files: PlannedFile[] = [];
  // Per kind once: its templates, by path within the group and by path under templates/.
  const byKind = new Map<ComponentKind, { within: string; template: string }[]>();
  for (const component of components) {
    let templates = byKind.get(component.kind);
    if (!templates) byKind.set(component.kind, templates = templatesOf(component.kind).map((within) => ({ within, template: `${component.kind}/${within}` })));
    const values = { module: base.module, prefixSnake: base.prefixSnake, stem: component.stem };
    for (const { within, template } of templates) files.push({ template, path: outputPath(within, values), component });
  }
  return files;
}

export function planCreate(opts: CreateOptions): Plan {
  const pipes = componentsOf('pipe', opts.pipes, opts.names);
  const services = componentsOf('service', opts.services, opts.names);
  const { names } = opts;
  const base = { module: names.module, prefixSnake: names.prefixSnake };
  const files: PlannedFile[] = [{ template: `licenses/${opts.license}.ejs`, path: 'LICENSE' }];
  // `project/` once, then each component's files.
  for (const template of templatesOf('project')) files.push({ template: `project/${template}`, path: outputPath(template, base) });
  // A build backend's own files (setuptools: MANIFEST.in), where it has any.
  for (const template of templatesOf(`backend-${opts.buildBackend}`)) files.push({ template: `backend-${opts.buildBackend}/${template}`, path: outputPath(template, base) });
  files.push(...componentFiles(base, [...pipes, ...services]));
  // Sorted, two files with one path are neighbours: no set of every path needed to find them.
  const sorted = sortByPath(files);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.path === sorted[i - 1]!.path) {
      throw usageError('path_collision', collision(sorted[i]!.path));
    }
  }
  return {
    names,
    directory: opts.directory,
    pipes,
    services,
    registryKeys: [...pipes, ...services].map((c) => registryKey(names, c.className)),
    files: sorted,
    context: templateContext(opts, pipes, services),
  };
}
