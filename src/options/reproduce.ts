// The one-line non-interactive command that reproduces a run, derived from the schema's flag names.
import { VERSION } from '../paths.js';
import type { Plan } from '../plan.js';
import { DEFAULT_OTAI_SPECIFIER, DEFAULT_PYTHON_SPECIFIER } from '../tables.js';
import type { CreateOptions } from './resolve.js';
import { OPTIONS } from './schema.js';

/**
 * A word for a POSIX shell: as it is when it holds only characters no shell treats specially (and
 * does not start with `=`, which zsh expands to a command's path), else in single quotes (a quote
 * inside closed, escaped and reopened). For the commands the report prints.
 */
export const sh = (value: string) => (/^[A-Za-z0-9_.,/:@+-][A-Za-z0-9_.,/:=@+-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

export function reproduceCommand(opts: CreateOptions, plan: Plan): string {
  // This version's: another one may render other files or default to other specifiers.
  const parts = ['npx', `create-otai-plugin@${VERSION}`, opts.names.name];
  // A value that starts with `-` would read as a flag: the `=` form takes it as it is.
  const add = (key: keyof typeof OPTIONS, value: string) => parts.push(`--${OPTIONS[key].flag}${value.startsWith('-') ? '=' : ' '}${sh(value)}`);
  if (opts.dirArg !== undefined) add('dir', opts.dirArg);
  add('description', opts.description);
  // Always, even empty: left out, they would come from the git config of whoever runs the line.
  add('author', opts.author);
  add('email', opts.email);
  add('license', opts.license);
  // An explicit empty list keeps "no pipes" from turning into the default example.
  if (plan.pipes.length === 0) add('pipe', '');
  for (const c of plan.pipes) add('pipe', c.className);
  if (plan.services.length === 0) add('service', '');
  for (const c of plan.services) add('service', c.className);
  if (opts.python !== DEFAULT_PYTHON_SPECIFIER) add('python', opts.python);
  if (opts.otaiVersion !== DEFAULT_OTAI_SPECIFIER) add('otaiVersion', opts.otaiVersion);
  if (opts.buildBackend !== 'uv') add('buildBackend', opts.buildBackend);
  if (!opts.git) parts.push('--no-git');
  if (!opts.install) parts.push('--no-install');
  if (opts.force) parts.push('--force');
  // This run, not a real one: a dry run's line stays dry (an interactive dry run asks nothing about
  // git and uv, so without it the line would init git and run uv sync).
  if (opts.dryRun) parts.push('--dry-run');
  parts.push('--yes');
  return parts.join(' ');
}
