// The otai naming rules, in one place. Everything that turns a user's name into a Python module,
// a registry prefix, an entry point or a registry key goes through this module.
import { kebabCase, pascalCase as changeCasePascal, split, type Options } from 'change-case';
import validateNpmName from 'validate-npm-package-name';
import { every, isDigit, isLower, isUpper, oneOf, some } from './chars.js';
import { RESERVED_PLUGIN_NAMES } from './tables.js';

export const ENTRY_POINT_GROUP = 'open_ticket_ai.plugins';
/** AppConfig.PLUGIN_NAME_PREFIX in the runtime. */
export const NAME_PREFIX = 'otai-';
/** AppConfig.REGISTRY_IDENTIFIER_SEPERATOR in the runtime. */
export const REGISTRY_SEPARATOR = ':';

// Names are checked by loops over their characters, not regexes (see src/chars.ts).
/** [a-z0-9] words joined by single hyphens, e.g. my-plugin-2: the part of a name after otai-. */
export const isWords = (text: string) =>
  text !== '' && every(text, (c) => isLower(c) || isDigit(c) || c === 45) && text[0] !== '-' && !text.endsWith('-') && !text.includes('--');
/** otai- and words: a distribution name as the runtime and PyPI take it. */
export const isDistName = (name: string) => name.startsWith(NAME_PREFIX) && isWords(name.slice(NAME_PREFIX.length));

/**
 * change-case's word split with ASCII patterns, for ASCII text (names are ASCII once validated):
 * its own \p{Lu}/\p{Ll}/\p{L} patterns run slowly until V8 has warmed them up, about 13 µs a
 * call (measured), which 200 components pay 400 times. Anything else goes to change-case's split;
 * a property test checks the two agree on ASCII text.
 */
export function asciiSplit(value: string): string[] {
  if (!/^[\x00-\x7f]*$/.test(value)) return split(value);
  const result = value.trim()
    .replace(/([a-z\d])([A-Z])/g, '$1\0$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1\0$2')
    .replace(/[^A-Za-z\d]+/g, '\0');
  let start = 0;
  let end = result.length;
  while (result.charAt(start) === '\0') start++;
  if (start === end) return [];
  while (result.charAt(end - 1) === '\0') end--;
  return result.slice(start, end).split('\0');
}
const ASCII: Options = { split: asciiSplit };
const pascalCase = (text: string) => changeCasePascal(text, ASCII);

/**
 * snake_case of a class name as checkComponentName makes them (ASCII letters and digits, and `_`
 * before a word that starts with a digit): what change-case's snakeCase gives, in one regex pass.
 * The same word breaks as asciiSplit (lower or digit before upper; upper before upper-then-lower)
 * as lookaheads, so nothing is consumed twice; measured on 200 names in a fresh process, 0.2 ms
 * against 2 ms. A property test checks it agrees.
 */
export const classStem = (className: string) => className.replace(CLASS_WORD_END, '$1$2_').toLowerCase();
const CLASS_WORD_END = /([a-z\d])(?=[A-Z])|([A-Z])(?=[A-Z][a-z])/g;

export interface PluginNames {
  /** Distribution name, e.g. otai-my-plugin. */
  name: string;
  /** Top-level Python module, e.g. otai_my_plugin. */
  module: string;
  /** What the runtime puts before ':' in every key, e.g. my-plugin. */
  registryPrefix: string;
  /** The remainder in snake case, e.g. my_plugin: entry-point name and registration test file. */
  prefixSnake: string;
  entryPoint: { group: string; name: string; value: string };
}

export type NameCheck = { ok: true; names: PluginNames } | { ok: false; message: string; suggestion?: string };

/**
 * `text` with its accents dropped (über → uber, ﬁ → fi), or undefined where a letter or digit
 * would still be lost: one with no ASCII form (Æther, straße, 日本) makes no good suggestion.
 * Only asked when a name was refused.
 */
function foldAccents(text: string): string | undefined {
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Asked of ASCII text first: the Unicode classes are built on first use.
  return /[^\x00-\x7f]/.test(folded) && /[\p{L}\p{N}]/u.test(folded.replace(/[\x00-\x7f]/g, '')) ? undefined : folded;
}

/** The normalized otai- name closest to what was typed, if there is one. */
export function suggestName(raw: string): string | undefined {
  const folded = foldAccents(raw);
  if (folded === undefined) return undefined;
  const slug = kebabCase(folded)
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  let rest = slug;
  while (rest === 'otai' || rest.startsWith(NAME_PREFIX)) rest = rest === 'otai' ? '' : rest.slice(NAME_PREFIX.length);
  rest = rest.replaceAll(NAME_PREFIX, '').replace(/^-|-$/g, '');
  if (!rest) return undefined;
  const suggestion = NAME_PREFIX + rest;
  // Only a name that would pass: not one of Open Ticket AI's own packages, nor too long.
  return suggestion !== raw && isDistName(suggestion) && checkPluginName(suggestion).ok ? suggestion : undefined;
}

function refuse(raw: string, rule: string): NameCheck {
  const suggestion = suggestName(raw);
  const message = suggestion ? `${rule} Did you mean "${suggestion}"?` : rule;
  return suggestion ? { ok: false, message, suggestion } : { ok: false, message };
}

/** Separators a name may be typed with: space, tab, `.`, `_`, `-`. */
const isSeparator = oneOf(' \t._-');

/** Whether `raw` without its separators is `otai` in any case (`otai`, `OTAI_`, `otai--`, `otai .`; not `otai-é`). */
function onlyPrefix(raw: string): boolean {
  let rest = '';
  for (let i = 0; i < raw.length && rest.length <= 4; i++) if (!isSeparator(raw.charCodeAt(i))) rest += raw[i];
  return rest.toLowerCase() === 'otai';
}

/** Check a distribution name against the otai rules; derive every other name from it. */
export function checkPluginName(raw: string): NameCheck {
  if (raw.trim() === '') return { ok: false, message: 'The plugin name is required, e.g. "otai-my-plugin".' };
  if (raw.includes('/') || raw.includes('\\')) {
    return { ok: false, message: `The plugin name "${raw}" looks like a path; give the name alone (e.g. "otai-my-plugin") and the folder with --dir.` };
  }
  // The prefix alone, however typed: what is missing is the word after it.
  if (onlyPrefix(raw)) return { ok: false, message: `The plugin name "${raw}" is only the "otai-" prefix; add a word after it, e.g. "otai-my-plugin".` };
  if (!raw.startsWith(NAME_PREFIX)) {
    return refuse(raw, `The plugin name "${raw}" must start with "otai-" (the runtime strips it to form the registry prefix).`);
  }
  if (some(raw, isUpper)) return refuse(raw, `The plugin name "${raw}" must be lower case.`);
  if (!isDistName(raw)) {
    return refuse(
      raw,
      `The plugin name "${raw}" may only contain lower-case letters a-z and digits 0-9, in words joined by single hyphens.`,
    );
  }
  const rest = raw.slice(NAME_PREFIX.length);
  if (rest.includes(NAME_PREFIX)) {
    return refuse(
      raw,
      `The plugin name "${raw}" contains "otai-" after its prefix; the runtime removes every "otai-", so its registry prefix would be "${registryPrefixOf(moduleOf(raw))}", not "${rest}".`,
    );
  }
  if ((RESERVED_PLUGIN_NAMES as readonly string[]).includes(raw)) {
    return { ok: false, message: `The plugin name "${raw}" is Open Ticket AI's own package; yours would replace it and share its registry prefix "${rest}". Choose another name, e.g. "${raw}-extras".` };
  }
  // The generated tests import `<module>.plugin_factory`: a longer name cannot fit ruff's 120 columns.
  if (raw.length > MAX_PLUGIN_NAME) {
    return { ok: false, message: `The plugin name "${raw.slice(0, 40)}…" has ${raw.length} characters; shorten it to at most ${MAX_PLUGIN_NAME}, so the generated imports fit ruff's 120-character lines.` };
  }
  // validate-npm-package-name as a second layer: reserved names and what npm forbids.
  const npm = validateNpmName(raw);
  if (!npm.validForNewPackages) {
    const why = [...(npm.errors ?? []), ...(npm.warnings ?? [])].join('; ');
    return { ok: false, message: `The plugin name "${raw}" is not usable: ${why}. Choose another name.` };
  }
  return { ok: true, names: deriveNames(raw) };
}

const moduleOf = (name: string) => name.replaceAll('-', '_');
/** The runtime's own rule: module.replace("_", "-").replace("otai-", "") (every occurrence). */
export const registryPrefixOf = (module: string) => module.replaceAll('_', '-').replaceAll(NAME_PREFIX, '');

function deriveNames(name: string): PluginNames {
  const module = moduleOf(name);
  const registryPrefix = name.slice(NAME_PREFIX.length);
  const prefixSnake = registryPrefix.replaceAll('-', '_');
  return {
    name,
    module,
    registryPrefix,
    prefixSnake,
    entryPoint: { group: ENTRY_POINT_GROUP, name: prefixSnake, value: `${module}.plugin_factory:PluginFactory` },
  };
}

/**
 * Names of an existing plugin, as the runtime sees it: the prefix comes from the top-level module
 * (not the distribution name), so a plugin not made by this tool gets the keys it really has.
 */
export function existingPluginNames(name: string, module: string, entryPoint: { name: string; value: string }): PluginNames {
  const registryPrefix = registryPrefixOf(module);
  return { name, module, registryPrefix, prefixSnake: registryPrefix.replaceAll('-', '_'), entryPoint: { group: ENTRY_POINT_GROUP, ...entryPoint } };
}

export const registryKey = (names: PluginNames, className: string) =>
  `${names.registryPrefix}${REGISTRY_SEPARATOR}${className}`;

// ---- Pipes and services -------------------------------------------------------------------

export type ComponentKind = 'pipe' | 'service';
export const COMPONENT_SUFFIX: Record<ComponentKind, string> = { pipe: 'Pipe', service: 'Service' };

export interface Component {
  kind: ComponentKind;
  /** Python class, e.g. ClassifyPriorityPipe. */
  className: string;
  /** Its params model, e.g. ClassifyPriorityPipeParams. */
  paramsClass: string;
  /** Module file stem, e.g. classify_priority_pipe. */
  stem: string;
}

/** Names a generated class must not take: the bases and helpers the generated code imports. */
const RESERVED_CLASSES = new Set([
  'Pipe', 'Injectable', 'Plugin', 'PluginFactory', 'StrictBaseModel', 'BaseModel', 'PipeResult', 'PipeContext',
  'PipeConfig', 'InjectableConfig', 'AppConfig', 'ComponentRegistry', 'LoggerFactory', 'StdlibLoggerFactory',
  'Service', 'TicketSystemService', 'Any', 'ClassVar',
]);
/** A class name the generated code reserves (see RESERVED_CLASSES). */
export const isReservedClass = (className: string) => RESERVED_CLASSES.has(className);
const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Longest plugin name: its module and `.plugin_factory` must fit one import line of 120 columns. */
export const MAX_PLUGIN_NAME = 80;
/**
 * Longest class name: `ParamsModel: ClassVar[type[BaseModel]] = <Class>Params` must fit ruff's 120
 * columns (ruff format cannot wrap it), and test_<stem>.py a file name.
 */
export const MAX_CLASS_NAME = 60;

export type ComponentCheck = { ok: true; component: Component } | { ok: false; message: string };


/**
 * A component name of the allowed characters, as a plugin name gets one (suggestName): accents
 * dropped (café → cafe), other characters made `-` (route.queue → route-queue); only one that passes.
 */
function suggestComponentName(kind: ComponentKind, text: string): string | undefined {
  const folded = foldAccents(text)?.replace(/[^A-Za-z0-9 _-]+/g, '-').replace(/^[-_ ]+|[-_ ]+$/g, '');
  return folded && folded !== text && checkComponentName(kind, folded).ok ? folded : undefined;
}

/** `classify-priority`, `classify priority`, `ClassifyPriority`, `ClassifyPriorityPipe` → ClassifyPriorityPipe. */
export function checkComponentName(kind: ComponentKind, raw: string): ComponentCheck {
  const label = `${kind} name "${raw}"`;
  const text = raw.trim();
  if (text === '') return { ok: false, message: `A ${kind} name is empty; give a name such as "ClassifyPriority".` };
  // Regexes, not loops (src/chars.ts): these run for every component.
  if (!/^[A-Za-z0-9][A-Za-z0-9 _-]*$/.test(text)) {
    const rule = `The ${label} may only contain letters A-Z, digits, spaces, "-" and "_", starting with a letter.`;
    const suggestion = suggestComponentName(kind, text);
    return { ok: false, message: suggestion ? `${rule} Did you mean "${suggestion}"?` : rule };
  }
  if (isDigit(text.charCodeAt(0))) return { ok: false, message: `The ${label} must start with a letter: a Python class name cannot start with a digit.` };
  const suffix = COMPONENT_SUFFIX[kind];
  // One word of letters and digits keeps the user's capitals, its first letter raised: HTTPFetch
  // stays HTTPFetch, and camelCase getHTTPResponse gives GetHTTPResponse, not GetHttpResponse.
  const base = /^[A-Za-z][A-Za-z0-9]*$/.test(text) ? text[0]!.toUpperCase() + text.slice(1) : pascalCase(text);
  const className = base.endsWith(suffix) ? base : base + suffix;
  if (className.length > MAX_CLASS_NAME) {
    return { ok: false, message: `The ${kind} name "${text.slice(0, 40)}…" gives a class name of ${className.length} characters; shorten it to at most ${MAX_CLASS_NAME}.` };
  }
  if (PY_KEYWORDS.has(className)) return { ok: false, message: `The ${label} gives "${className}", a Python keyword; choose another name.` };
  if (RESERVED_CLASSES.has(className) || className === suffix) {
    return { ok: false, message: `The ${label} gives the class "${className}", which would shadow a base class; choose a more specific name.` };
  }
  return { ok: true, component: { kind, className, paramsClass: `${className}Params`, stem: classStem(className) } };
}

/** Check a list of names of one kind: every one valid, no two the same after normalization. */
export function checkComponentNames(kind: ComponentKind, raws: readonly string[]): { ok: true; components: Component[] } | { ok: false; message: string } {
  const components: Component[] = [];
  const seen = new Map<string, { raw: string; className: string }>();
  for (const raw of raws) {
    const check = checkComponentName(kind, raw);
    if (!check.ok) return check;
    const { className, stem } = check.component;
    const earlier = seen.get(stem);
    if (earlier !== undefined) {
      // Names can differ in case only (ABC, Abc): different classes, but one module file.
      const gives = earlier.className === className ? `${className} (${stem}.py)` : `the module ${stem}.py (${earlier.className} and ${className})`;
      return { ok: false, message: `The ${kind} names "${earlier.raw}" and "${raw}" both give ${gives}; give each ${kind} a distinct name.` };
    }
    seen.set(stem, { raw, className });
    components.push(check.component);
  }
  return { ok: true, components };
}

/**
 * The example component of a kind, named after the plugin: otai-my-plugin → MyPluginPipe. The suffix
 * is always added, so otai-foo-pipe gives FooPipePipe, whose test cannot collide with the
 * registration test test_foo_pipe.py.
 */
export function exampleComponentName(names: PluginNames, kind: ComponentKind): string {
  const prefix = names.registryPrefix;
  const base = isWords(prefix) ? wordsPascal(prefix) : pascalCase(prefix);
  // A prefix that starts with a digit (otai-2fa-guard) cannot start a class name.
  return `${isDigit(base.charCodeAt(0)) ? `Otai${base}` : base}${COMPONENT_SUFFIX[kind]}`;
}

/**
 * change-case's pascalCase of hyphen-joined words, without its word-splitting regexes: each word
 * capitalised, and one that starts with a digit, after the first, joined by `_` (my-2fa → My_2fa).
 * A property test checks the two agree.
 */
export const wordsPascal = (text: string) =>
  text.split('-').map((word, i) => (i > 0 && isDigit(word.charCodeAt(0)) ? `_${word}` : word[0]!.toUpperCase() + word.slice(1))).join('');

/** Split `--pipe a,b --pipe c` into [a, b, c]. */
export const splitList = (values: readonly string[]) =>
  values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
