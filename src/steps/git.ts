import { identityFrom, IDENTITY_QUERY } from '../gitconfig.js';
import { VERSION } from '../paths.js';
import { runAsync, which } from './run.js';

export interface StepResult {
  status: 'done' | 'skipped' | 'failed';
  message: string;
  output?: string;
  /** git: the `-c user.name=…`/`-c user.email=…` the first commit took from the author (git had none), for a later commit the next steps suggest. Not in --json. */
  identity?: readonly string[];
  /** git: whether the first commit holds a uv.lock (the plugin's CI needs one). Not in --json. */
  lockCommitted?: boolean;
}
/** A step's result, tagged with the step, so callers test the step and status, not the wording. */
export interface StepOutcome extends StepResult { step: 'git' | 'install' }

export const installFailure = (steps: readonly StepOutcome[]) => steps.find((s) => s.step === 'install' && s.status === 'failed');
export const installed = (steps: readonly StepOutcome[]) => steps.some((s) => s.step === 'install' && s.status === 'done');

/** Variables that would point git at another repository, index or object store than the plugin's. */
const ELSEWHERE = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE'];

/** git's first `error:` or `fatal:` line: why a command failed, for a one-line message. */
const causeOf = (output: string) => /^(?:error|fatal): (.*)$/m.exec(output)?.[1]?.trim();
/** A step that failed: what failed, git's reason after a colon when it gave one, and its output. */
const failedWith = (what: string, output: string): StepResult => {
  const cause = causeOf(output);
  return { status: 'failed', message: cause ? `${what}: ${cause}` : what, output };
};

/**
 * `git init` and a first commit, unless git is missing or the folder is already in a repository.
 * `only`: the files to commit (paths in the folder); without it, everything in the folder. Each git
 * command runs without blocking, so Ctrl-C or SIGTERM meanwhile cancels the run (commands/create.ts).
 * The commit is git's own identity's, as configured for the new repository; without one, the
 * plugin's author's, never one git guesses from the host name or $EMAIL.
 */
export async function gitStep(directory: string, enabled: boolean, author?: { name: string; email: string }, only?: readonly string[]): Promise<StepResult> {
  if (!enabled) return { status: 'skipped', message: 'git skipped' };
  if (!which('git')) return { status: 'skipped', message: 'git skipped: git is not installed' };
  // git's messages in English (LC_ALL=C), so the reasons below can be told apart; and git working
  // on the new folder's own repository, whatever GIT_DIR and the like say.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const name of ELSEWHERE) delete env[name];
  const git = (args: readonly string[]) => runAsync('git', args, directory, env);
  const inside = await git(['rev-parse', '--show-toplevel']);
  if (inside.ok) return { status: 'skipped', message: `git skipped: ${directory} is already inside the repository ${inside.output}` };
  // In a repository of another user, git refuses to work: a new one nested in it would be wrong too.
  if (/dubious ownership/.test(inside.output)) {
    return { status: 'skipped', message: `git skipped: ${directory} is inside a repository owned by another user, which git will not use (${causeOf(inside.output) ?? 'dubious ownership'})`, output: inside.output };
  }
  const init = await git(['init', '-q']);
  if (!init.ok) return failedWith('git init failed', init.output);
  // Named paths that a .gitignore (a global one, say) ignores make `git add` exit 1 after adding
  // the rest; `-A` skips them silently. Either way the commit holds what git would track.
  const add = await git(only ? ['-c', 'advice.addIgnoredFile=false', 'add', '--', ...only] : ['add', '-A']);
  const added = add.ok || (only !== undefined && /ignored by one of your \.gitignore files/.test(add.output));
  if (!added) return failedWith('git init done, but git add failed', add.output);
  // What git's config lacks, the plugin's author fills in, part by part; useConfigOnly makes git
  // refuse, not guess from $EMAIL or the host name, what neither gives (GIT_AUTHOR_* still count).
  const configured = identityFrom((await git(['config', ...IDENTITY_QUERY])).output);
  const identity: string[] = [];
  if (!configured.has('user.name') && author?.name) identity.push('-c', `user.name=${author.name}`);
  if (!configured.has('user.email') && author?.email) identity.push('-c', `user.email=${author.email}`);
  const commit = await git(['-c', 'user.useConfigOnly=true', ...identity, 'commit', '-q', '--no-verify', '-m', `Initial commit from create-otai-plugin ${VERSION}`]);
  if (!commit.ok) {
    const cause = /Please tell me who you are|unable to auto-detect email|auto-detection is disabled/.test(commit.output)
      ? 'set git config user.name and user.email, then commit'
      : `${causeOf(commit.output) ?? 'see git\'s output'}; the files are staged: fix that, then commit`;
    return { status: 'failed', message: `git init done, but the first commit failed (${cause})`, output: commit.output };
  }
  // Asked of git: a uv.lock on disk may be the user's, left out on purpose, or ignored.
  const lock = await git(['ls-files', '--', 'uv.lock']);
  return { status: 'done', message: 'git repository initialized with a first commit', identity, lockCommitted: lock.ok && lock.output.trim() === 'uv.lock' };
}
