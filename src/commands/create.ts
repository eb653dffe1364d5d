// create: argv/answers → options → plan → render → write → git / uv → report.
import { usageError, workError } from '../errors.js';
import type { Flags } from '../options/schema.js';
import { reproduceCommand } from '../options/reproduce.js';
import { resolveCreateOptions, type Environment } from '../options/resolve.js';
import { planCreate } from '../plan.js';
import { renderPlan } from '../render.js';
import { createResult, displayPath, humanReport } from '../report.js';
import type { StepOutcome } from '../steps/git.js';
import { inspectTarget, writeFiles } from '../write.js';
import type { Io } from '../io.js';

export async function create(flags: Flags, positionals: readonly string[], env: Environment, io: Io): Promise<number> {
  const opts = resolveCreateOptions(flags, positionals, env);
  const plan = planCreate(opts);
  const files = await renderPlan(plan);
  const state = inspectTarget(plan.directory, files);
  const where = displayPath(plan.directory, env.cwd);
  if (state.nonEmpty && !opts.force) {
    throw usageError('target_not_empty', `${where} already exists and is not empty. Choose another folder with --dir, or pass --force to write into it (files the plugin produces are replaced; nothing is deleted).`);
  }
  if (state.conflicts.length) {
    io.err(`${opts.dryRun ? 'Would replace' : 'Replacing'} ${state.conflicts.length} existing file(s) in ${where} (--force):\n${state.conflicts.map((p) => `  ${p}`).join('\n')}\n`);
  }
  const steps: StepOutcome[] = [];
  if (!opts.dryRun) {
    await writeFiles(plan.directory, files, state);
    // git and uv are loaded only when a plugin was really written.
    const { gitStep } = await import('../steps/git.js');
    steps.push(gitStep(plan.directory, opts.git));
    const { uvStep } = await import('../steps/uv.js');
    steps.push(uvStep(plan.directory, opts.install));
  }
  if (opts.json) io.out(`${JSON.stringify(createResult(plan, opts.dryRun))}\n`);
  else {
    const sizes = opts.dryRun ? new Map(files.map((f) => [f.path, Buffer.byteLength(f.content)])) : undefined;
    io.out(humanReport(plan, env.cwd, opts.dryRun, steps, reproduceCommand(opts, plan), sizes));
  }
  const failed = steps.find((s) => s.status === 'failed' && s.message.includes('uv sync'));
  if (failed) throw workError('install_failed', `The plugin was created in ${where}, but \`uv sync\` failed:\n${failed.output ?? ''}\nFix the cause and run \`uv sync\` in ${where}.`);
  return 0;
}
