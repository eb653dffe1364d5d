// The last step: what was made, as human text or as the one --json object.
import { relative, sep } from 'node:path';
import type { PluginNames } from './naming.js';
import type { Plan } from './plan.js';
import { installed, type StepOutcome } from './steps/git.js';
import { sh } from './options/reproduce.js';

export interface CreateResult {
  name: string;
  module: string;
  registryPrefix: string;
  entryPoint: { group: string; name: string; value: string };
  registryKeys: string[];
  directory: string;
  files: string[];
  dryRun: boolean;
  /**
   * What git and uv did after writing (none for a dry run or add): a failed commit does not fail
   * the run. `output`: what the tool printed, for a step that failed (as the human report shows it).
   */
  steps: { step: StepOutcome['step']; status: StepOutcome['status']; message: string; output?: string }[];
}

/** The steps as --json lists them: a failed one with the tool's output. */
export const stepsJson = (steps: readonly StepOutcome[]): CreateResult['steps'] =>
  steps.map(({ step, status, message, output }) => (output ? { step, status, message, output } : { step, status, message }));

/** The --json object, shared by create and add (the same keys, in this order). */
export function resultOf(names: PluginNames, registryKeys: string[], directory: string, files: string[], dryRun: boolean, steps: readonly StepOutcome[] = []): CreateResult {
  return {
    name: names.name,
    module: names.module,
    registryPrefix: names.registryPrefix,
    entryPoint: { ...names.entryPoint },
    registryKeys,
    directory,
    files,
    dryRun,
    steps: stepsJson(steps),
  };
}

export const createResult = (plan: Plan, dryRun: boolean, steps: readonly StepOutcome[] = []): CreateResult =>
  resultOf(plan.names, plan.registryKeys, plan.directory, plan.files.map((f) => f.path), dryRun, steps);

/** The names and keys, as shown before writing (prompts' summary) and after. */
export function namesSummary(plan: Plan, cwd: string): string {
  const { names } = plan;
  const row = (label: string, value: string) => `  ${label.padEnd(16)}${value}`;
  const keys = plan.registryKeys.length ? plan.registryKeys.map((k) => `use: "${k}"`) : ['(none: add pipes or services later)'];
  return [
    row('directory', displayPath(plan.directory, cwd)),
    row('distribution', names.name),
    row('module', names.module),
    row('registry prefix', names.registryPrefix),
    // The two lines pyproject.toml holds, below the label rather than in the value column: there
    // the second wrapped in the prompts' 80-column summary box from names of 15 characters
    // (review). Here it fits up to about 23 (the longest names still wrap).
    row('entry point', 'in pyproject.toml:'),
    `    [project.entry-points."${names.entryPoint.group}"]`,
    `    ${names.entryPoint.name} = "${names.entryPoint.value}"`,
    ...keys.map((k, i) => row(i === 0 ? 'registry keys' : '', k)),
  ].join('\n');
}

export const displayPath = (path: string, cwd: string) => {
  const rel = insideNormalized(path, cwd) ?? relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : `./${rel}`;
};

/**
 * path.relative's answer for a path inside `cwd`, both normalized (POSIX): the usual case, where
 * the first path.relative of a run costs about 0.17 ms (measured; Node compiles it then).
 * Undefined when unsure: a dot segment, a doubled or trailing slash, another platform.
 */
export function insideNormalized(path: string, cwd: string): string | undefined {
  if (sep !== '/' || !path.startsWith(`${cwd}/`)) return undefined;
  const rest = path.slice(cwd.length + 1);
  return rest === '' || rest.startsWith('/') || rest.endsWith('/') || rest.includes('//') || rest.startsWith('.') || rest.includes('/.') ? undefined : rest;
}

/** `cd <folder>` as a next step, unless the folder is the current one. */
export const cdStep = (where: string): string[] => (where === '.' ? [] : [`cd ${sh(where)}`]);

/**
 * What to run next. Where git made the first commit without a uv.lock (uv sync did not run or
 * failed before writing one, or the lock was there before, into a folder that held files), its
 * commit follows the sync, by the identity the first commit took: the plugin's CI installs with
 * `uv sync --locked`, which needs it.
 */
export function nextSteps(plan: Plan, cwd: string, steps: readonly StepOutcome[]): string[] {
  const rel = displayPath(plan.directory, cwd);
  const git = steps.find((s) => s.step === 'git' && s.status === 'done');
  const lock = git && !git.lockCommitted ? [`git add uv.lock && ${['git', ...(git.identity ?? []).map(sh), 'commit', '-m', '"Lock the dependencies"'].join(' ')}`] : [];
  return [...cdStep(rel), ...(installed(steps) ? [] : ['uv sync']), ...lock, 'uv run -m pytest', 'uv build'];
}

export function humanReport(plan: Plan, cwd: string, dryRun: boolean, steps: StepOutcome[], reproduce: string, sizes?: Map<string, number>): string {
  const title = dryRun ? `Dry run: would create ${plan.names.name} (nothing was written)` : `Created ${plan.names.name}`;
  const files = plan.files.map((f) => `  ${dryRun ? 'would write ' : ''}${f.path}${sizes ? ` (${sizes.get(f.path) ?? 0} bytes)` : ''}`);
  const stepLines = steps.map((s) => `  ${s.status === 'done' ? '✔' : s.status === 'skipped' ? '-' : '✖'} ${s.message}${s.output ? `\n${s.output.replace(/^/gm, '      ')}` : ''}`);
  return [
    title,
    '',
    namesSummary(plan, cwd),
    '',
    `Files (${plan.files.length}):`,
    ...files,
    ...(stepLines.length ? ['', ...stepLines] : []),
    '',
    dryRun ? 'Run without --dry-run to write these files.' : 'Next steps:',
    ...(dryRun ? [] : nextSteps(plan, cwd, steps).map((s) => `  ${s}`)),
    '',
    `Reproduce: ${reproduce}`,
    '',
  ].join('\n');
}
