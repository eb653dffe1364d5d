// create: argv/answers → options → plan → render → write → uv / git → report.
// The phases (prepare, commit) are shared with the interactive flow in steps/prompts.ts.
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { CANCEL_EXIT, errorJson, EXIT, usageError, workError, type CliError } from '../errors.js';
import type { Flags } from '../options/schema.js';
import { reproduceCommand } from '../options/reproduce.js';
import { leftOutGitDefaults, resolveCreateOptions, type CreateOptions, type Environment } from '../options/resolve.js';
import { planCreate, type Plan } from '../plan.js';
import { renderPlan, renderSizes, type RenderedFile } from '../render.js';
import { createResult, displayPath, humanReport, type CreateResult } from '../report.js';
import { installFailure, type StepOutcome, type StepResult } from '../steps/git.js';
import { stopChildren, which } from '../steps/run.js';
import { isDirectory, lstatOrUndefined } from '../probe.js';
import { inspectTarget, writeFiles, type TargetState } from '../write.js';
import { processIo, type Io } from '../io.js';

/** Everything decided before the disk is touched. */
export interface Prepared {
  opts: CreateOptions;
  plan: Plan;
  files: RenderedFile[];
  state: TargetState;
  /** A dry run's sizes: it renders every file, so it fails where a real run would. */
  sizes?: Map<string, number>;
}

/** Options → plan → rendered files, and a look at the target. Nothing is written. */
export async function prepare(opts: CreateOptions): Promise<Prepared> {
  const plan = planCreate(opts);
  const files = await renderPlan(plan);
  const state = inspectTarget(plan.directory, files);
  return { opts, plan, files, state, sizes: opts.dryRun ? renderSizes(files) : undefined };
}

/** A non-empty target is written into only with force. */
export function refuseNonEmpty({ opts, plan, state }: Prepared, cwd: string): void {
  if (state.nonEmpty && !opts.force) {
    throw usageError('target_not_empty', `${displayPath(plan.directory, cwd)} already exists and is not empty. Choose another folder with --dir, or pass --force to write into it (files the plugin produces are replaced; nothing is deleted).`);
  }
}

export type Phase = 'write' | 'git' | 'install';
/** Runs one phase of commit; the interactive flow wraps each in a spinner. */
export type Track = <T>(phase: Phase, work: () => Promise<T>) => Promise<T>;

/** How commit reports: `track` wraps each phase (the interactive flow's spinners), `cancelled` is told first on a cancel. */
/** `syncing`: called as uv sync starts (when it runs at all); `cwd`: where paths in messages are reached from. */
export interface CommitHooks { track?: Track; io?: Io; cancelled?: () => void; syncing?: () => void; cwd?: string }

/**
 * Write the files, then `uv sync`, then git; returns the outcomes in that order. uv before git, so
 * that the first commit holds the uv.lock that uv sync writes (uv's advice is to commit it), as
 * create-next-app commits the lockfile of its install.
 */
export async function commit(p: Prepared, { track = (_, work) => work(), io = processIo, cancelled = () => {}, syncing, cwd = process.cwd() }: CommitHooks = {}): Promise<StepOutcome[]> {
  // Once the plugin is complete on disk, Ctrl-C during uv sync or git keeps it and says what is left
  // to do; while writing, the writer's own handler cancels. Installed once, before the write:
  // starting and stopping Node's signal watcher costs about 0.2 ms each time, measured.
  let phase: Phase = 'write';
  let install: StepResult | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (phase === 'write') return;
    // uv or git may still be running (a SIGTERM reaches this process alone): they stop too.
    stopChildren();
    cancelled();
    const message = cancelledAfterWrite(p, phase, install?.status === 'done', cwd);
    // --json: stdout still gets its one object, saying what the cancel left.
    if (p.opts.json) io.out(errorJson({ code: 'cancelled', message: message.trim() }));
    io.err(message);
    // A hangup ends the process by the signal itself (Node's exit would reset a terminal that is gone).
    if (signal === 'SIGHUP') { process.off('SIGHUP', onSignal); process.kill(process.pid, 'SIGHUP'); return; }
    process.exit(CANCEL_EXIT[signal] ?? EXIT.cancelled);
  };
  const dir = p.plan.directory;
  // The current folder deleted (or moved) since the run began, while questions were asked: the
  // writer would make it again, folders above the target being made as needed, and the plugin
  // would land where no shell is (QA report). Only where the target lies inside it.
  if ((dir === cwd || dir.startsWith(cwd.endsWith(sep) ? cwd : cwd + sep)) && !isDirectory(cwd)) {
    throw workError('cwd_missing', `The current folder ${cwd} was deleted or moved after the run began; nothing was written. cd into an existing folder and run again.`);
  }
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  try {
    await track('write', async () => { await writeFiles(dir, p.files, p.state); });
    // From here the writer no longer answers a signal: this handler does.
    phase = 'install';
    // uv and git are loaded only when a plugin was really written.
    const { uvStep } = await import('../steps/uv.js');
    // Into a folder that held files (--force), a uv.lock already there is the user's, not committed.
    const lockWasThere = p.state.nonEmpty && existsSync(join(dir, 'uv.lock'));
    install = await track('install', () => uvStep(dir, p.opts.install, syncing));
    const { gitStep } = await import('../steps/git.js');
    phase = 'git';
    // Into a folder that held files: the first commit holds the plugin's files (and the uv.lock uv
    // sync wrote), not theirs.
    const only = p.state.nonEmpty
      ? [...p.files.map((f) => f.path), ...(!lockWasThere && existsSync(join(dir, 'uv.lock')) ? ['uv.lock'] : [])]
      : undefined;
    const git = await track('git', () => gitStep(dir, p.opts.git, { name: p.opts.author, email: p.opts.email }, only));
    return [{ step: 'install', ...install }, { step: 'git', ...git }];
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/** A `.git` (folder or file) in the folder or above it, where git would find a repository. */
function insideRepository(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (lstatOrUndefined(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

/** What a cancel after the files were written leaves, and what to run to finish. */
function cancelledAfterWrite({ plan, opts, state: { nonEmpty } }: Prepared, phase: Exclude<Phase, 'write'>, installedAlready: boolean, cwd: string): string {
  const where = displayPath(plan.directory, cwd);
  if (phase === 'git') {
    const sync = installedAlready ? '' : ' Run `uv sync` there to install it.';
    return `\nCancelled while git ran. The plugin is complete in ${where}, but its repository may lack the first commit (see \`git status\` there).${sync}\n`;
  }
  // git would have run only outside any repository, with git installed: only then is it left to do.
  const gitLeft = opts.git && which('git') !== undefined && !insideRepository(plan.directory);
  const commit = nonEmpty ? 'a first commit of the plugin\'s files' : 'a first commit';
  const git = gitLeft ? `, then \`git init\` and ${commit}, which were not made` : '';
  return `\nCancelled while uv sync ran. The plugin is complete in ${where}; run \`uv sync\` there to install it${git}.\n`;
}

export async function create(flags: Flags, positionals: readonly string[], env: Environment, io: Io): Promise<number> {
  const opts = resolveCreateOptions(flags, positionals, env);
  for (const note of leftOutGitDefaults(flags, env)) io.err(`Note: ${note}\n`);
  const prepared = await prepare(opts);
  const { plan, state, sizes } = prepared;
  const where = displayPath(plan.directory, env.cwd);
  refuseNonEmpty(prepared, env.cwd);
  if (state.conflicts.length) {
    io.err(`${opts.dryRun ? 'Would replace' : 'Replacing'} ${state.conflicts.length} existing file(s) in ${where} (--force):\n${state.conflicts.map((p) => `  ${p}`).join('\n')}\n`);
  }
  // Outside the prompts no spinner turns while uv sync runs (minutes, with PyTorch): say it started.
  // Not with --json, whose callers read one object and the exit code.
  const syncing = () => io.err(`Running uv sync in ${where}; open-ticket-ai brings PyTorch, so the first time takes minutes…\n`);
  const steps = opts.dryRun ? [] : await commit(prepared, { io, syncing: opts.json ? undefined : syncing, cwd: env.cwd });
  const failed = installFailure(steps);
  if (opts.json) {
    // One JSON object on stdout: the result, or (exit 1) the error with uv's output in its message.
    const result = createResult(plan, opts.dryRun, steps);
    if (failed) throw installFailed(where, failed, result);
    io.out(`${JSON.stringify(result)}\n`);
    return 0;
  }
  io.out(humanReport(plan, env.cwd, opts.dryRun, steps, reproduceCommand(opts, plan), sizes));
  // uv's output is in the report above; the error only says what to do.
  if (failed) throw installFailed(where, failed);
  return 0;
}

/**
 * The error of a run whose uv sync failed. With --json (`result`), where uv's output was not shown,
 * the error object also holds what a run that succeeded prints: the plugin was created (a script
 * finds its folder and files), and the steps (git ran after uv: was the first commit made?).
 */
export function installFailed(where: string, failed: StepOutcome, result?: CreateResult): CliError {
  const fix = `Fix the cause and run \`uv sync\` in ${where}.`;
  return result
    ? workError('install_failed', `The plugin was created in ${where}, but \`uv sync\` failed:\n${failed.output ?? ''}\n${fix}`, { ...result })
    : workError('install_failed', `The plugin was created in ${where}, but \`uv sync\` failed (its output is above). ${fix}`);
}
