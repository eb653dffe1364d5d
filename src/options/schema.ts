// The one option schema. Flag parsing, --help, prompts, the reproduce command and the Options
// type are all derived from this table, so a new option is added in one place.
import { admits, admitsAnyIn, isSpecifier } from '../specifier.js';
import { BUILD_BACKENDS, DEFAULT_OTAI_SPECIFIER, DEFAULT_PYTHON_SPECIFIER, LICENSES, OTAI_INSTALLABLE_VERSIONS, PYTHON_314_NEWEST_KNOWN } from '../tables.js';
import { checkAuthor, checkEmail, checkOneLine } from '../text.js';

type Kind = 'string' | 'list' | 'boolean' | 'choice';
export type Section = 'Plugin' | 'Advanced' | 'Behaviour';

export interface OptionSpec {
  readonly flag: string;
  readonly short?: string;
  readonly kind: Kind;
  readonly choices?: readonly string[];
  /** Placeholder shown in --help, e.g. <text>. */
  readonly value?: string;
  readonly help: string;
  readonly section: Section;
  /** Boolean flags that default to true take --no-<flag>. */
  readonly negatable?: boolean;
  /** Which commands take the option. */
  readonly commands: readonly ('create' | 'add')[];
  /** Checks one value as typed or given as a flag; returns the message to show, or undefined. */
  readonly validate?: (value: string) => string | undefined;
  /** Asked interactively (issue: interactive flow); `advanced` ones only behind one confirm. */
  readonly prompt?: { readonly message: string; readonly placeholder?: string; readonly advanced?: boolean };
}

/** The longest summary (pyproject's description) PyPI takes, in characters (code points, as Python counts). */
const SUMMARY_MAX = 512;
const codePoints = (text: string) => { let n = 0; for (const _ of text) n++; return n; };

const specifier = (what: string, example: string) => (v: string) =>
  isSpecifier(v) ? undefined : `The ${what} "${v}" is not a PEP 440 version specifier; write it like "${example}".`;

/** The patch release after the newest known 3.14: the end of the released ones. */
const PYTHON_314_AFTER_NEWEST = `3.14.${Number(PYTHON_314_NEWEST_KNOWN.split('.')[2]) + 1}`;

/** requires-python must admit 3.14 (the runtime imports only there) and nothing older (uv refuses a wider range). */
function checkPython(v: string): string | undefined {
  const syntax = specifier('Python specifier', DEFAULT_PYTHON_SPECIFIER)(v);
  if (syntax) return syntax;
  if (!admitsAnyIn(v, '3.14', '3.15')) return `The Python specifier "${v}" excludes every Python 3.14, the only version open-ticket-ai imports on; write e.g. "${DEFAULT_PYTHON_SPECIFIER}".`;
  // `==3.14` is 3.14.0 only: uv would look for that old patch release, not the 3.14 installed.
  if (!admits(v, '3.14.999')) return `The Python specifier "${v}" admits only early 3.14 patch releases, so uv would not use a current Python 3.14; write e.g. "${DEFAULT_PYTHON_SPECIFIER}" or "==3.14.*".`;
  if (!admitsAnyIn(v, '3.14', PYTHON_314_AFTER_NEWEST)) return `The Python specifier "${v}" admits no Python 3.14 released so far (3.14.0 to ${PYTHON_314_NEWEST_KNOWN}, the newest known here), so uv would find none to use; write e.g. "${DEFAULT_PYTHON_SPECIFIER}".`;
  // .python-version says 3.14: uv takes the 3.14 installed and stops if requires-python excludes it
  // (QA report: `!=3.14.10` made `uv lock` fail where 3.14.10 was the Python found).
  if (!admits(v, PYTHON_314_NEWEST_KNOWN)) return `The Python specifier "${v}" excludes Python ${PYTHON_314_NEWEST_KNOWN}, the newest 3.14 known here: the plugin's .python-version asks uv for 3.14, and uv stops when the 3.14 it finds is outside requires-python. Admit it, e.g. "${DEFAULT_PYTHON_SPECIFIER}".`;
  if (admitsAnyIn(v, '0', '3.14')) return `The Python specifier "${v}" admits Python older than 3.14, which open-ticket-ai does not support (uv lock would refuse it); write e.g. "${DEFAULT_PYTHON_SPECIFIER}".`;
  return undefined;
}

/**
 * The open-ticket-ai range must admit a proven 1.x release that `uv sync` can install (1.5.x is proven
 * without its dependencies, which do not resolve) and exclude 2.x, which has no plugin system.
 */
function checkOtaiVersion(v: string): string | undefined {
  const syntax = specifier('open-ticket-ai specifier', DEFAULT_OTAI_SPECIFIER)(v);
  if (syntax) return syntax;
  if (!OTAI_INSTALLABLE_VERSIONS.some((version) => admits(v, version))) {
    return `The open-ticket-ai specifier "${v}" admits none of the versions the templates are proven against that uv can install (${OTAI_INSTALLABLE_VERSIONS.join(', ')}; 1.4.22 to 1.5.x depend on otai-zammad, which is not published); write e.g. "${DEFAULT_OTAI_SPECIFIER}".`;
  }
  // Said as what it admits: "!=2.*,>=1.4.21" excludes 2.x but admits 3.x; it may have an upper bound already.
  if (admitsAnyIn(v, '2')) {
    let major = 2;
    while (major < 100 && !admitsAnyIn(v, `${major}`, `${major + 1}`)) major++;
    const what = major === 2 ? '2.x, which has no plugin system' : `${major < 100 ? `${major}.x` : 'versions past 2.x'}, newer than the 1.x the templates are made for (2.x has no plugin system)`;
    return `The open-ticket-ai specifier "${v}" admits ${what}; keep it below 2.0, e.g. "${DEFAULT_OTAI_SPECIFIER}".`;
  }
  return undefined;
}

const both = ['create', 'add'] as const;
const create = ['create'] as const;

/** A folder flag: not empty, and no `~` left for us to expand. */
function checkFolder(flag: 'dir' | 'cwd', v: string): string | undefined {
  if (v.trim() === '') return `The directory given with --${flag} is empty; give a path.`;
  // Bytes that are not UTF-8 reach us as U+FFFD: the path named would be another one.
  if (v.includes('\uFFFD')) return `The directory given with --${flag} has bytes that are not UTF-8 (shown as \uFFFD), which Node cannot name; rename the folder, or give a path without them.`;
  // A shell expands ~, ~user, ~+ and ~- only at the start of a word: in --dir=~/x it reaches us as
  // it is, and a folder named "~" in the working directory is a trap (rm -rf ~ removes the home
  // folder). A folder whose name really starts with ~ is written ./~x.
  if (v.startsWith('~')) {
    const named = /^~(?:\/|$)/.test(v) ? '' : `, or write ./${v} for a folder of that name`;
    return `The directory "${v}" starts with "~", which is not expanded here; give the full path (as a flag, --${flag} ${v} with a space lets the shell expand it)${named}.`;
  }
  // The folder create makes is printed in the report, the `cd` step and the one-line reproduce
  // command: a line break or an escape sequence would split or rewrite them. (--cwd names a plugin
  // that exists already; it is taken as it is.)
  if (flag === 'dir') return checkOneLine('directory given with --dir', v);
  return undefined;
}

export const OPTIONS = {
  name: {
    flag: 'name', kind: 'string', value: '<name>', section: 'Plugin', commands: create,
    help: 'distribution name, e.g. otai-my-plugin (also the first argument)',
    prompt: { message: 'Plugin name', placeholder: 'otai-my-plugin' },
  },
  dir: {
    flag: 'dir', kind: 'string', value: '<path>', section: 'Plugin', commands: create,
    help: 'create the plugin in <path> instead of ./<name>',
    validate: (v) => checkFolder('dir', v),
    // Asked only when the target exists and is not empty.
    prompt: { message: 'Directory for the plugin' },
  },
  description: {
    flag: 'description', kind: 'string', value: '<text>', section: 'Plugin', commands: create,
    help: 'one-line description for pyproject.toml and the README',
    // Only white space would read as a description in pyproject.toml and as none in the docstring.
    validate: (v) => checkOneLine('description', v) ?? (v !== '' && v.trim() === '' ? 'The description is only spaces; write a sentence, or pass --description \'\' for none.' : undefined)
      // PyPI refuses a longer summary on upload.
      ?? (codePoints(v) > SUMMARY_MAX ? `The description has ${codePoints(v)} characters; PyPI takes at most ${SUMMARY_MAX} for a package's summary. Shorten it (the README can say more).` : undefined),
    prompt: { message: 'Description', placeholder: 'An Open Ticket AI plugin' },
  },
  author: {
    flag: 'author', kind: 'string', value: '<name>', section: 'Plugin', commands: create,
    help: 'author name (default: git config user.name)', validate: checkAuthor,
    prompt: { message: 'Author' },
  },
  email: {
    flag: 'email', kind: 'string', value: '<address>', section: 'Plugin', commands: create,
    help: 'author email (default: git config user.email)', validate: checkEmail,
    prompt: { message: 'Author email' },
  },
  license: {
    flag: 'license', kind: 'choice', choices: Object.keys(LICENSES), value: '<SPDX id>', section: 'Plugin', commands: create,
    help: 'license (default: MIT)', prompt: { message: 'License' },
  },
  pipe: {
    flag: 'pipe', kind: 'list', value: '<Name>', section: 'Plugin', commands: create,
    help: 'a pipe to generate; repeatable or comma-separated (with neither --pipe nor --service: one example pipe and one example service)',
    prompt: { message: 'Pipes (comma-separated; clear the field for none)', placeholder: 'ClassifyPriority, RouteQueue' },
  },
  service: {
    flag: 'service', kind: 'list', value: '<Name>', section: 'Plugin', commands: create,
    help: 'a service to generate; repeatable or comma-separated (see --pipe for the default)',
    prompt: { message: 'Services (comma-separated; clear the field for none)', placeholder: 'TicketLookup' },
  },
  python: {
    flag: 'python', kind: 'string', value: '<specifier>', section: 'Advanced', commands: create,
    help: `requires-python (default: ${DEFAULT_PYTHON_SPECIFIER}; the runtime imports on 3.14 only)`,
    validate: checkPython,
    prompt: { message: 'Python version specifier', placeholder: DEFAULT_PYTHON_SPECIFIER, advanced: true },
  },
  otaiVersion: {
    flag: 'otai-version', kind: 'string', value: '<specifier>', section: 'Advanced', commands: create,
    help: `open-ticket-ai dependency (default: ${DEFAULT_OTAI_SPECIFIER})`,
    validate: checkOtaiVersion,
    prompt: { message: 'open-ticket-ai version specifier', placeholder: DEFAULT_OTAI_SPECIFIER, advanced: true },
  },
  buildBackend: {
    flag: 'build-backend', kind: 'choice', choices: Object.keys(BUILD_BACKENDS), value: '<backend>', section: 'Advanced', commands: create,
    help: 'build backend: uv (uv_build), hatchling or setuptools (default: uv)',
    prompt: { message: 'Build backend', advanced: true },
  },
  yes: { flag: 'yes', short: 'y', kind: 'boolean', section: 'Behaviour', commands: create, help: 'accept defaults for everything not given' },
  git: { flag: 'git', kind: 'boolean', negatable: true, section: 'Behaviour', commands: create, help: 'git init and a first commit (--no-git to skip)', prompt: { message: 'Initialize a git repository?' } },
  install: { flag: 'install', kind: 'boolean', negatable: true, section: 'Behaviour', commands: create, help: 'run uv sync when uv is on PATH (--no-install to skip)', prompt: { message: 'Install dependencies with uv sync?' } },
  force: { flag: 'force', kind: 'boolean', section: 'Behaviour', commands: create, help: 'write into a non-empty directory (replaces files the plugin produces; never deletes)' },
  dryRun: { flag: 'dry-run', kind: 'boolean', section: 'Behaviour', commands: both, help: 'print what would be written; write no file in the plugin or its folder' },
  json: { flag: 'json', kind: 'boolean', section: 'Behaviour', commands: both, help: 'print one JSON object on stdout and nothing else there' },
  interactive: { flag: 'interactive', kind: 'boolean', negatable: true, section: 'Behaviour', commands: create, help: 'force prompts on, or off with --no-interactive (default: on in a terminal, outside CI, without --yes or --json)' },
  cwd: {
    flag: 'cwd', kind: 'string', value: '<dir>', section: 'Behaviour', commands: ['add'], help: 'the plugin folder, or a folder inside it (default: the current folder)',
    validate: (v) => checkFolder('cwd', v),
  },
  help: { flag: 'help', short: 'h', kind: 'boolean', section: 'Behaviour', commands: both, help: 'show this help' },
  version: { flag: 'version', short: 'v', kind: 'boolean', section: 'Behaviour', commands: both, help: 'print the version' },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<S> = S extends { kind: 'list' } ? string[] : S extends { kind: 'boolean' } ? boolean : string;
/** Flag values as parsed: only what was given. */
export type Flags = { -readonly [K in OptionKey]?: ValueOf<(typeof OPTIONS)[K]> };
export const optionSpec = (key: OptionKey): OptionSpec => OPTIONS[key];
export const optionKeys = Object.keys(OPTIONS) as OptionKey[];
