import { VERSION } from '../paths.js';
import { run, which } from './run.js';

export interface StepResult { status: 'done' | 'skipped' | 'failed'; message: string; output?: string }
/** A step's result, tagged with the step, so callers test the step and status, not the wording. */
export interface StepOutcome extends StepResult { step: 'git' | 'install' }

export const installFailure = (steps: readonly StepOutcome[]) => steps.find((s) => s.step === 'install' && s.status === 'failed');
export const installed = (steps: readonly StepOutcome[]) => steps.some((s) => s.step === 'install' && s.status === 'done');

/**
 * `git init` and a first commit, unless git is missing or the folder is already in a repository.
 * `only`: the files to commit (paths in the folder); without it, everything in the folder.
 */
export function gitStep(directory: string, enabled: boolean, author?: { name: string; email: string }, only?: readonly string[]): StepResult {
  if (!enabled) return { status: 'skipped', message: 'git skipped' };
  if (!which('git')) return { status: 'skipped', message: 'git skipped: git is not installed' };
  const inside = run('git', ['rev-parse', '--show-toplevel'], directory);
  if (inside.ok) return { status: 'skipped', message: `git skipped: ${directory} is already inside the repository ${inside.output}` };
  const init = run('git', ['init', '-q'], directory);
  if (!init.ok) return { status: 'failed', message: 'git init failed', output: init.output };
  // git's messages in English (LC_ALL=C), so the reasons below can be told apart.
  const english = { ...process.env, LC_ALL: 'C' };
  // Named paths that a .gitignore (a global one, say) ignores make `git add` exit 1 after adding
  // the rest; `-A` skips them silently. Either way the commit holds what git would track.
  const add = only
    ? run('git', ['-c', 'advice.addIgnoredFile=false', 'add', '--', ...only], directory, english)
    : run('git', ['add', '-A'], directory);
  const added = add.ok || (only !== undefined && /ignored by one of your \.gitignore files/.test(add.output));
  const message = ['commit', '-q', '--no-verify', '-m', `Initial commit from create-otai-plugin ${VERSION}`];
  if (!added) return { status: 'failed', message: 'git init done, but git add failed', output: add.output };
  let commit = run('git', message, directory, english);
  // Without a git identity, commit as the plugin's author rather than leave the repository empty.
  if (!commit.ok && author?.name && author.email) {
    commit = run('git', ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`, ...message], directory, english);
  }
  if (!commit.ok) {
    const identity = /Please tell me who you are|unable to auto-detect email/.test(commit.output);
    return { status: 'failed', message: `git init done, but the first commit failed${identity ? ' (set git config user.name and user.email, then commit)' : ''}`, output: commit.output };
  }
  return { status: 'done', message: 'git repository initialized with a first commit' };
}
