// user.name and user.email read from git's config files directly: spawning `git config` costs a
// fork of this process and git's own start-up, the largest cost left in a default run. Whatever
// this reader is not sure to read as git does (includes, unusual environments or repositories,
// syntax it does not know), it declines, and the caller asks git itself.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isFile, lstatOrUndefined } from './probe.js';
import { childProcess } from './steps/run.js';

type Entries = [key: string, value: string][];

/** Environment variables that change which files git reads or what they hold. */
const UNSURE_ENV = ['GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_CONFIG', 'GIT_CONFIG_SYSTEM', 'GIT_DIR', 'GIT_COMMON_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'];

/** The config files `git config` reads, lowest priority first; undefined when unsure. */
function configFiles(cwd: string, env: NodeJS.ProcessEnv): string[] | undefined {
  // Only Linux: elsewhere (and for a git built under /usr/local) the system file lives elsewhere.
  if (process.platform !== 'linux' || UNSURE_ENV.some((name) => env[name] !== undefined) || isFile('/usr/local/etc/gitconfig')) return undefined;
  const files: string[] = [];
  // git reads this as a boolean, numbers included (`00`, `0x0`): anything but the plain words, unsure.
  const noSystem = env.GIT_CONFIG_NOSYSTEM;
  if (noSystem && !/^(0|1|false|true|no|yes|off|on)$/i.test(noSystem)) return undefined;
  if (!noSystem || /^(0|false|no|off)$/i.test(noSystem)) files.push('/etc/gitconfig');
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else {
    if (!env.HOME) return undefined;
    files.push(join(env.XDG_CONFIG_HOME || join(env.HOME, '.config'), 'git', 'config'), join(env.HOME, '.gitconfig'));
  }
  // The repository around cwd: a plain `.git` folder owned by us, or decline.
  for (let dir = cwd; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const stat = lstatOrUndefined(dotGit);
    if (stat) {
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) return undefined;
      // Not a repository to git without HEAD (it looks further up); per-worktree config, unsure.
      if (!isFile(join(dotGit, 'HEAD')) || lstatOrUndefined(join(dotGit, 'config.worktree'))) return undefined;
      files.push(join(dotGit, 'config'));
      break;
    }
    // A bare repository (HEAD and objects/ right here) is found by git too.
    if (isFile(join(dir, 'HEAD')) && lstatOrUndefined(join(dir, 'objects'))?.isDirectory()) return undefined;
    if (dirname(dir) === dir) break;
  }
  return files;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };

/** One value as git's parser reads it, from `text[start]`; returns the value and the index after it. */
function parseValue(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let quoted = false;
  let spaces = 0;
  let comment = false;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') { if (quoted) return undefined; break; }
    if (comment) continue;
    // git's blanks are space, tab, CR and LF only (its own isspace): a form feed or \v is text.
    if ((c === ' ' || c === '\t' || c === '\r') && !quoted) { if (value) spaces++; continue; }
    if (!quoted && (c === ';' || c === '#')) { comment = true; continue; }
    value += ' '.repeat(spaces);
    spaces = 0;
    if (c === '\\') {
      const next = text[++i];
      if (next === '\n') continue; // a line continuation
      const escaped = next === undefined ? undefined : ESCAPES[next];
      if (escaped === undefined) return undefined;
      value += escaped;
    } else if (c === '"') quoted = !quoted;
    else value += c;
  }
  return quoted ? undefined : { value, end: i };
}

/** The user.name and user.email entries of one file, in order; undefined when unsure. */
export function parseConfig(text: string): Entries | undefined {
  const entries: Entries = [];
  let section = '';
  let i = 0;
  while (i < text.length) {
    // Skip blank space and comment lines.
    const c = text[i]!;
    // git skips only its own blanks here, and a byte-order mark at the very start: a no-break
    // space, a form feed or a later mark makes it refuse the file ("bad config line").
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || (i === 0 && c === '\uFEFF')) { i++; continue; }
    if (c === '#' || c === ';') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '[') {
      const header = /^\[([A-Za-z0-9.-]+)(?:[ \t]+"((?:[^"\\\n]|\\.)*)")?\]/.exec(text.slice(i, text.indexOf('\n', i) === -1 ? undefined : text.indexOf('\n', i)));
      if (!header) return undefined;
      const name = header[1]!.toLowerCase();
      if (name === 'include' || name === 'includeif') return undefined;
      section = header[2] === undefined && !name.includes('.') ? name : `${name}\0sub`;
      i += header[0].length;
      continue;
    }
    const key = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*/.exec(text.slice(i, i + 256));
    if (!key) return undefined;
    i += key[0].length;
    // A key without "=" has no value (git reads it as the boolean true).
    let value: string | undefined;
    if (text[i] === '=') {
      const parsed = parseValue(text, i + 1);
      if (!parsed) return undefined;
      value = parsed.value;
      i = parsed.end;
    } else if (i < text.length && text[i] !== '\n' && !text.startsWith('\r\n', i)) return undefined; // git allows only the end of the line
    const name = key[1]!.toLowerCase();
    // A user.name or user.email without a value is a boolean to git, which then has no identity.
    if (value === undefined && section === 'user' && (name === 'name' || name === 'email')) return undefined;
    // A repository format git may refuse (a newer version, extensions): unsure which files it reads.
    if ((section === 'extensions' || section.startsWith('extensions\0')) || (section === 'core' && name === 'repositoryformatversion' && value?.trim() !== '0' && value?.trim() !== '1')) return undefined;
    if (value !== undefined && section === 'user' && (name === 'name' || name === 'email')) entries.push([`user.${name}`, value]);
  }
  return entries;
}

/** user.name and user.email as `git config` would report them (the last one wins); undefined when unsure. */
export function readGitIdentityFromFiles(cwd: string, env: NodeJS.ProcessEnv = process.env): Map<string, string> | undefined {
  const files = configFiles(cwd, env);
  if (!files) return undefined;
  const identity = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      // Some of these files do not exist: asking first (ENOENT only) spares building an exception.
      if (!statSync(file, { throwIfNoEntry: false })) continue;
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return undefined;
    }
    const entries = parseConfig(text);
    if (!entries) return undefined;
    for (const [key, value] of entries) identity.set(key, value);
  }
  return identity;
}

/** The same from one `git config` run: the fallback when the files cannot be read with certainty. */
export function readGitIdentity(cwd: string, env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const result = childProcess().spawnSync('git', ['config', ...IDENTITY_QUERY], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? identityFrom(result.stdout) : new Map();
}

/** The arguments after `git config` that list user.name and user.email (read with identityFrom). */
export const IDENTITY_QUERY = ['-z', '--get-regexp', '^user\\.(name|email)$'] as const;

/**
 * user.name and user.email from the output of `git config` with IDENTITY_QUERY. -z: "key\nvalue\0"
 * per entry, or "key\0" for a key without a value, which leaves git without that value; a later
 * entry wins, as with `git config --get`.
 */
export function identityFrom(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of output.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline > 0) values.set(entry.slice(0, newline), entry.slice(newline + 1));
    else if (entry) values.delete(entry);
  }
  return values;
}
