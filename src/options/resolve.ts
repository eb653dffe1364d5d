// Flags (and, interactively, answers) → complete, validated CreateOptions. The validators are the
// schema's, so a prompt and a flag refuse the same text with the same message.
import { isAbsolute, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { checkPluginName, COMPONENT_SUFFIX, exampleComponentName, isReservedClass, splitList, type ComponentKind, type PluginNames } from '../naming.js';
import { checkComponents } from '../plan.js';
import { DEFAULT_OTAI_SPECIFIER, DEFAULT_PYTHON_SPECIFIER, type BuildBackendId, type LicenseId } from '../tables.js';
import { OPTIONS, optionSpec, type Flags, type OptionKey } from './schema.js';

export interface CreateOptions {
  names: PluginNames;
  /** Absolute target directory. */
  directory: string;
  /** --dir as given (for the reproduce command), or undefined. */
  dirArg: string | undefined;
  description: string;
  author: string;
  email: string;
  license: LicenseId;
  /** Raw pipe and service names; checked and normalized by the plan. */
  pipes: string[];
  services: string[];
  python: string;
  otaiVersion: string;
  buildBackend: BuildBackendId;
  git: boolean;
  install: boolean;
  force: boolean;
  dryRun: boolean;
  json: boolean;
}

/** Where defaults that need the outside world come from; injected so tests and prompts control it. */
export interface Environment {
  cwd: string;
  /** `git config user.name` / `user.email`, asked only when the flag is missing. */
  gitConfig: (key: 'user.name' | 'user.email') => string | undefined;
}

export function checkFlag(key: OptionKey, value: string): string | undefined {
  const spec = optionSpec(key);
  if (spec.choices && !spec.choices.includes(value)) {
    return `--${spec.flag} "${value}" is not one of: ${spec.choices.join(', ')}.`;
  }
  return spec.validate?.(value);
}

/** A flag's value, or the usage error (exit 2) with the schema's message. */
export function valid<K extends OptionKey>(key: K, value: string): string {
  const message = checkFlag(key, value);
  if (message) throw usageError(`invalid_${OPTIONS[key].flag.replaceAll('-', '_')}`, message);
  return value;
}

/** A flag's value checked, or the default when it was not given: defaults are checked by a test, not on every run. */
function validOr<K extends OptionKey>(key: K, value: string | undefined, fallback: string): string {
  return value === undefined ? fallback : valid(key, value);
}

export const DEFAULT_DESCRIPTION = 'An Open Ticket AI plugin';
/** Defaults of the options a prompt may offer; shared so a prompt's default is the flag's. */
export const DEFAULTS = {
  description: DEFAULT_DESCRIPTION,
  license: 'MIT',
  python: DEFAULT_PYTHON_SPECIFIER,
  otaiVersion: DEFAULT_OTAI_SPECIFIER,
  buildBackend: 'uv',
} as const satisfies Partial<Record<OptionKey, string>>;

/** The name given as the first argument or --name (undefined if neither); two names are refused. */
export function givenName(flags: Flags, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) {
    throw usageError('too_many_arguments', `Expected one plugin name, got ${positionals.length}: ${positionals.join(' ')}. Quote text that contains spaces.`);
  }
  if (positionals.length === 1 && flags.name !== undefined && flags.name !== positionals[0]) {
    throw usageError('conflicting_name', `The name was given twice ("${positionals[0]}" and --name "${flags.name}"); give it once.`);
  }
  return flags.name ?? positionals[0];
}

/** --dir, or ./<name>, made absolute against the working directory. */
export function targetDirectory(dirArg: string | undefined, name: string, cwd: string): string {
  const base = dirArg ?? name;
  return isAbsolute(base) ? resolve(base) : resolve(cwd, base);
}

/**
 * The example pipe and service are named after the plugin: a long plugin name makes them too long,
 * and otai-ticket-system's service would take a base class's name. Said about the plugin name the
 * user gave, not about a pipe they never named.
 */
function checkExamples(names: PluginNames): void {
  for (const kind of ['pipe', 'service'] as const) {
    const example = exampleComponentName(names, kind);
    const refusal = exampleRefusal(names, kind, example);
    if (refusal === 'reserved') {
      // Both flags in the example: either one alone leaves out both examples.
      const other = kind === 'pipe' ? 'service' : 'pipe';
      const instead = { [kind]: `${example.slice(0, -COMPONENT_SUFFIX[kind].length)}Client`, [other]: exampleComponentName(names, other) };
      throw usageError('example_name_reserved', `The plugin name "${names.name}" names its example ${kind} ${example}, which would shadow Open Ticket AI's base class of that name. Choose another plugin name, or name the components yourself, e.g. --pipe ${instead.pipe} --service ${instead.service}.`);
    }
    if (refusal === 'too_long') {
      throw usageError('name_too_long', `The plugin name "${names.name}" is too long for the example ${kind} named after it, ${example}: its code would not fit ruff's 120-character lines. Shorten the plugin name, or name the components yourself with --pipe and --service (--pipe '' for none).`);
    }
  }
}

/**
 * Why the example component of a kind, named after the plugin, is refused: a base class's name
 * (otai-ticket-system's service), else a length its code cannot fit (its suffix keeps it from every
 * other rule); undefined when it passes. The flags' check and the prompts' note share it.
 */
export function exampleRefusal(names: PluginNames, kind: ComponentKind, example = exampleComponentName(names, kind)): 'reserved' | 'too_long' | undefined {
  if (checkComponents(kind, [example], names).ok) return undefined;
  return isReservedClass(example) ? 'reserved' : 'too_long';
}

/**
 * Author or email from git config, for a flag not given (and a prompt's default). One the flag would
 * refuse (a name with `"` or `,`, an email that is no address) is left out: the person did not type
 * it, and refusing would stop every run until they pass the flag.
 */
export function gitDefault(env: Environment, field: 'author' | 'email'): string {
  const value = env.gitConfig(field === 'author' ? 'user.name' : 'user.email') ?? '';
  return gitProblem(field, value) ? '' : value;
}

/**
 * Why a git config value cannot be the default: what the flag would refuse, or bytes that are not
 * UTF-8 (read as U+FFFD, which would be written into the plugin in their place).
 */
function gitProblem(field: 'author' | 'email', value: string): string | undefined {
  // Asked twice a run for each field (the default, then the note): answered once (a pure check).
  const key = `${field}\0${value}`;
  if (!gitProblems.has(key)) gitProblems.set(key, value.includes('\uFFFD') ? 'it is not UTF-8 (git keeps bytes; save the config file as UTF-8).' : checkFlag(field, value));
  return gitProblems.get(key);
}
const gitProblems = new Map<string, string | undefined>();

/** What a run without the flags says of git config values it left out (the person did not type them). */
export function leftOutGitDefaults(flags: Flags, env: Environment): string[] {
  return (['author', 'email'] as const).flatMap((field) => {
    if (flags[field] !== undefined) return [];
    const key = field === 'author' ? 'user.name' : 'user.email';
    const value = env.gitConfig(key) ?? '';
    const problem = gitProblem(field, value);
    return problem ? [`git config ${key} was left out of the plugin: ${problem} Pass --${field} to set it.`] : [];
  });
}

export function resolveCreateOptions(flags: Flags, positionals: readonly string[], env: Environment): CreateOptions {
  const rawName = givenName(flags, positionals);
  if (rawName === undefined) {
    throw usageError('missing_name', 'The plugin name is required: pass it as the first argument, e.g. `create-otai-plugin otai-my-plugin --yes` (or --name otai-my-plugin).');
  }
  const check = checkPluginName(rawName);
  if (!check.ok) throw usageError('invalid_name', check.message);

  const dirArg = flags.dir === undefined ? undefined : valid('dir', flags.dir);
  const directory = targetDirectory(dirArg, check.names.name, env.cwd);

  const author = flags.author === undefined ? gitDefault(env, 'author') : valid('author', flags.author);
  const email = flags.email === undefined ? gitDefault(env, 'email') : valid('email', flags.email);

  const listGiven = flags.pipe !== undefined || flags.service !== undefined;
  if (!listGiven) checkExamples(check.names);
  return {
    names: check.names,
    directory,
    dirArg,
    description: validOr('description', flags.description, DEFAULTS.description),
    author,
    email,
    license: validOr('license', flags.license, DEFAULTS.license) as LicenseId,
    // With neither list given: one example pipe and one example service named after the plugin.
    pipes: listGiven ? splitList(flags.pipe ?? []) : [exampleComponentName(check.names, 'pipe')],
    services: listGiven ? splitList(flags.service ?? []) : [exampleComponentName(check.names, 'service')],
    python: validOr('python', flags.python, DEFAULTS.python),
    otaiVersion: validOr('otaiVersion', flags.otaiVersion, DEFAULTS.otaiVersion),
    buildBackend: validOr('buildBackend', flags.buildBackend, DEFAULTS.buildBackend) as BuildBackendId,
    git: flags.git ?? true,
    install: flags.install ?? true,
    force: flags.force ?? false,
    dryRun: flags.dryRun ?? false,
    json: flags.json ?? false,
  };
}
