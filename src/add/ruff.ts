// The ruff settings a plugin's files are formatted with, found as ruff finds them: the closest
// configuration file in the plugin's folder or above it (else the user's own), with the files it
// `extend`s. add lays out what it writes for the line length, and names the settings it does not
// follow.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { globMatches } from './pytest.js';
import { isTable, readToml, type Table } from './toml.js';

/** The isort section of each module the new files import, as their import blocks are laid out. */
export type ImportSections = Readonly<Record<string, 'standard-library' | 'third-party' | 'first-party'>>;

/**
 * The modules the component templates (templates/pipe, templates/service) import, besides
 * the plugin's own; a test reads the templates to keep this list whole.
 */
export const COMPONENT_IMPORTS: ImportSections = {
  logging: 'standard-library',
  typing: 'standard-library',
  pydantic: 'third-party',
  pytest: 'third-party',
  'open_ticket_ai.core.base_model': 'third-party',
  'open_ticket_ai.core.injectables.injectable': 'third-party',
  'open_ticket_ai.core.injectables.injectable_models': 'third-party',
  'open_ticket_ai.core.logging.stdlib_logging_adapter': 'third-party',
  'open_ticket_ai.core.pipes.pipe': 'third-party',
  'open_ticket_ai.core.pipes.pipe_context_model': 'third-party',
  'open_ticket_ai.core.pipes.pipe_models': 'third-party',
};

/** The plugin's own modules the new files import (`.*`: any module below). */
export const pluginImports = (module: string): ImportSections => ({ [`${module}.pipes.*`]: 'first-party', [`${module}.services.*`]: 'first-party' });

/** ruff's own default, used where no configuration sets it. */
export const RUFF_DEFAULT_LINE_LENGTH = 88;

export interface RuffSettings {
  lineLength: number;
  /** Where they come from (a path), or undefined for ruff's defaults. */
  source?: string;
  /** Settings add does not follow, each with what to run after it (`ruff format`, `ruff check --fix`). */
  unfollowed: { setting: string; fix: 'format' | 'check' }[];
  /** A configuration file ruff would use but that is not TOML (ruff stops on it): add used the defaults. */
  unreadable?: string;
}

/** One folder's configuration file, in ruff's order: `.ruff.toml`, `ruff.toml`, then a pyproject.toml with [tool.ruff]. */
function configIn(dir: string, pyproject?: Table): { path: string; table: Table } | { unreadable: string } | undefined {
  for (const file of ['.ruff.toml', 'ruff.toml', 'pyproject.toml']) {
    const path = join(dir, file);
    const parsed = (file === 'pyproject.toml' ? pyproject : undefined) ?? readToml(path);
    if (parsed === 'missing') continue;
    if (parsed === 'invalid') { if (file === 'pyproject.toml') continue; return { unreadable: path }; }
    if (file !== 'pyproject.toml') return { path, table: parsed };
    const tool = isTable(parsed.tool) ? parsed.tool : undefined;
    if (tool && isTable(tool.ruff)) return { path, table: tool.ruff };
  }
  return undefined;
}

/** Child settings over the parent's, table by table (as ruff merges an `extend`ed file). */
function merged(parent: Table, child: Table): Table {
  const out: Table = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    const under = out[key];
    out[key] = isTable(under) && isTable(value) ? merged(under, value) : value;
  }
  return out;
}

/** A configuration with the chain of files it extends (paths relative to the file, `~/` from HOME). */
function withExtends(path: string, table: Table, home: string | undefined, seen = new Set<string>()): Table {
  const extend = table.extend;
  if (typeof extend !== 'string' || seen.size >= 16 || seen.has(path)) return table;
  seen.add(path);
  // As ruff does: environment variables and a leading ~/ expanded, then relative to the file.
  const expanded = extend.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced?: string, bare?: string) => process.env[(braced ?? bare)!] ?? whole);
  const target = expanded.startsWith('~/') && home ? join(home, expanded.slice(2)) : isAbsolute(expanded) ? expanded : resolve(dirname(path), expanded);
  const parsed = readToml(target);
  if (typeof parsed === 'string') return table;
  const base = /(^|[/\\])pyproject\.toml$/.test(target)
    ? (isTable(parsed.tool) && isTable(parsed.tool.ruff) ? parsed.tool.ruff : {})
    : parsed;
  return merged(withExtends(target, base, home, seen), table);
}

/** The isort settings that put modules in a section, and the section. */
const SECTION_LISTS: Readonly<Record<string, string>> = {
  'known-first-party': 'first-party', 'known-third-party': 'third-party', 'known-local-folder': 'local-folder', 'extra-standard-library': 'standard-library',
};

/** Whether a list of module patterns (a known-* section) covers one of `modules`. */
function naming(patterns: unknown, modules: readonly string[]): boolean {
  if (!Array.isArray(patterns)) return false;
  return patterns.some((p) => typeof p !== 'string' || modules.some((m) => covers(p, m)));
}

/**
 * Whether a module pattern covers `module`: matches it or a package it is in (`open_ticket_ai` and
 * `open_ticket_ai.core` cover `open_ticket_ai.core.base_model`; `pydantic.v1` does not cover
 * `pydantic`). A module ending in `.*` stands for any module below it, as the plugin's new ones
 * (whose names are not known here): covered by a pattern that could match one, that is, one whose
 * text before its first wildcard agrees with the package's (`*.pipes.*`, `otai_x.*_pipe`).
 */
function covers(pattern: string, module: string): boolean {
  const open = module.endsWith('.*');
  const parts = (open ? module.slice(0, -2) : module).split('.');
  for (let k = 1; k <= parts.length; k++) if (globMatches(pattern, parts.slice(0, k).join('.'), true)) return true;
  if (!open) return false;
  // The package with its dot (`otai_x.pipes.`) against the pattern's text before a wildcard.
  const below = module.slice(0, -1);
  const literal = pattern.slice(0, pattern.search(/[*?[]|$/));
  return below.startsWith(literal) || literal.startsWith(below);
}

const FORMAT_DEFAULTS: Table = { 'quote-style': 'double', 'skip-magic-trailing-comma': false, 'indent-style': 'space' };

/**
 * The settings for the plugin in `directory` (whose pyproject.toml, parsed, is `pyproject`).
 * Unreadable or unset: ruff's defaults, as ruff would fall back to them or stop with an error.
 */
export function ruffSettings(directory: string, pyproject: Table, imports: ImportSections = {}, home = process.env.HOME, configHome = process.env.XDG_CONFIG_HOME): RuffSettings {
  let found: ReturnType<typeof configIn>;
  for (let dir = directory; ; dir = dirname(dir)) {
    found = configIn(dir, dir === directory ? pyproject : undefined);
    if (found !== undefined || dirname(dir) === dir) break;
  }
  // None in the tree: ruff's last resort is the user's own configuration.
  const userDir = configHome || (home ? join(home, '.config') : undefined);
  if (found === undefined && userDir) found = configIn(join(userDir, 'ruff'));
  if (found === undefined) return { lineLength: RUFF_DEFAULT_LINE_LENGTH, unfollowed: [] };
  if ('unreadable' in found) return { lineLength: RUFF_DEFAULT_LINE_LENGTH, unfollowed: [], unreadable: found.unreadable };
  const config = withExtends(found.path, found.table, home);
  const length = config['line-length'];
  const unfollowed: RuffSettings['unfollowed'] = [];
  // The legacy top-level tables too: ruff still reads [isort] and `format` keys there.
  const format = isTable(config.format) ? config.format : {};
  // New modules are written with four spaces; the entries add puts into existing files follow them.
  const width = config['indent-width'];
  if (width !== undefined && width !== 4) unfollowed.push({ setting: `indent-width = ${JSON.stringify(width)}`, fix: 'format' });
  for (const key of ['indent-style', 'quote-style', 'skip-magic-trailing-comma'] as const) {
    const value = format[key];
    // `preserve` keeps each string's quotes: the double quotes add writes stay as they are.
    if (value !== undefined && value !== FORMAT_DEFAULTS[key] && value !== 'preserve') unfollowed.push({ setting: `${key} = ${JSON.stringify(value)}`, fix: 'format' });
  }
  const lint = isTable(config.lint) ? config.lint : {};
  const isort = { ...(isTable(config.isort) ? config.isort : {}), ...(isTable(lint.isort) ? lint.isort : {}) };
  // A section list (known-first-party, ...) changes what add writes only where it puts a module
  // the new files import in another section (open_ticket_ai as first-party goes below pydantic).
  const sorting = Object.keys(isort).filter((key) => {
    const section = SECTION_LISTS[key];
    return section === undefined || naming(isort[key], Object.keys(imports).filter((m) => imports[m] !== section));
  });
  if (sorting.length) unfollowed.push({ setting: `isort ${sorting.join(', ')}`, fix: 'check' });
  // ruff tells first-party modules by the folders `src` lists (default "." and "src"): one without
  // the plugin's src/ makes its own package third-party, sorted among the others.
  const src = config.src;
  if (Array.isArray(src) && !src.some((p) => typeof p === 'string' && globMatches(resolve(dirname(found.path), p), join(directory, 'src'), false))) {
    unfollowed.push({ setting: `src = ${JSON.stringify(src)}`, fix: 'check' });
  }
  return {
    lineLength: typeof length === 'number' && Number.isInteger(length) && length > 0 ? length : RUFF_DEFAULT_LINE_LENGTH,
    source: found.path,
    unfollowed,
  };
}
