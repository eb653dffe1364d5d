// The interactive flow (`npm create otai-plugin` in a terminal). One small step per question, each
// built from the option schema's prompt metadata and checked with the flag's own validator; a step
// whose flag was given asks nothing. The answers then take the same path as a non-interactive run:
// resolve → prepare → commit (commands/create.ts).
import { dirname, join, relative } from 'node:path';
import { styleText } from '../style-text.js';
import { autocomplete, confirm, intro, isCancel, log, note, outro, text } from '@clack/prompts';
import { commit, installFailed, prepare, refuseNonEmpty, type Phase, type Prepared, type Track } from '../commands/create.js';
import { CANCEL_EXIT, CliError, errorJson, EXIT, cancelled, usageError } from '../errors.js';
import { useStreams, type Io, type Terminal } from '../io.js';
import { checkComponentNames, checkPluginName, exampleComponentName, splitList, type ComponentKind, type PluginNames } from '../naming.js';
import { reproduceCommand } from '../options/reproduce.js';
import { DEFAULTS, checkFlag, exampleRefusal, gitDefault, givenName, resolveCreateOptions, targetDirectory, valid, type Environment } from '../options/resolve.js';
import { optionKeys, optionSpec, type Flags, type OptionKey } from '../options/schema.js';
import { VERSION } from '../paths.js';
import { checkComponents, componentsOf } from '../plan.js';
import { createResult, displayPath, namesSummary, nextSteps } from '../report.js';
import { BUILD_BACKENDS, LICENSES } from '../tables.js';
import { inspectTarget } from '../write.js';
import { installFailure, type StepOutcome } from './git.js';
import { which } from './run.js';
import { spinner } from './spinner.js';

export interface Context {
  readonly flags: Flags;
  readonly positionals: readonly string[];
  readonly env: Environment;
  readonly term: Terminal;
  /** The given flags plus the answers so far: what resolveCreateOptions will see. */
  readonly answers: Flags;
  /** Set by the name step. */
  names?: PluginNames;
  /** The keys as the prompts get them (keyboard); absent in tests of single steps. */
  keys?: Keyboard;
  /** Why the answer last given was refused, until a question is answered: said when piped input ends the run there. */
  refused?: string;
}
export type Step = (ctx: Context) => Promise<void>;

// ---- Prompt builders ----------------------------------------------------------------------

/** A prompt's answer; Ctrl-C or Escape becomes the cancelled error (exit 130, nothing written). */
async function answer<T>(ctx: Context, prompt: Promise<T>): Promise<Exclude<T, symbol>> {
  const value = await prompt;
  if (isCancel(value)) throw cancelled();
  ctx.refused = undefined;
  return value as Exclude<T, symbol>;
}

/** A prompt's check, remembering why it refused an answer (for the error that ends a piped run there). */
const remembered = <V>(ctx: Context, check: (value: V) => string | undefined) => (value: V) => {
  const problem = check(value);
  if (problem) ctx.refused = problem;
  return problem;
};

function promptOf(key: OptionKey) {
  const meta = optionSpec(key).prompt;
  if (!meta) throw new Error(`option ${key} has no prompt in the schema`);
  return meta;
}

const namesOf = (ctx: Context): PluginNames => {
  if (!ctx.names) throw new Error('the name step must run first');
  return ctx.names;
};

interface TextInit {
  initialValue?: string;
  /** Taken when the input is left empty; shown as the placeholder. */
  defaultValue?: string;
  /** Replaces the flag's validator (which is the default). */
  validate?: (value: string) => string | undefined;
}

/** A text prompt from the option's schema entry, checked as the flag would be. */
function askText(ctx: Context, key: OptionKey, init: TextInit = {}): Promise<string> {
  const meta = promptOf(key);
  const check = init.validate ?? ((value: string) => checkFlag(key, value));
  return answer(ctx, text({
    ...ctx.term,
    message: meta.message,
    // A default is shown as it is (Enter takes it); an example says so, since Enter does not take it
    // (and without colour, under NO_COLOR or TERM=dumb, a placeholder looks like a typed value).
    placeholder: init.defaultValue ?? (meta.placeholder === undefined ? undefined : `e.g. ${meta.placeholder}`),
    initialValue: init.initialValue,
    defaultValue: init.defaultValue,
    // Empty input takes the default, which needs no check.
    validate: remembered(ctx, (value: string | undefined) => (!value && init.defaultValue !== undefined ? undefined : check(value ?? ''))),
  }));
}

const HINTS: Partial<Record<OptionKey, Record<string, { hint: string }>>> = { license: LICENSES, buildBackend: BUILD_BACKENDS };
const defaultOf = (key: OptionKey): string | undefined => (DEFAULTS as Partial<Record<OptionKey, string>>)[key];

interface Choice<T extends string> { value: T; label: string; hint?: string }

/**
 * One of a list: arrows move, typing narrows the list (the names that begin with what is typed, in
 * any case, or else those that hold it) and Enter takes the highlighted choice. A name typed,
 * pasted or piped whole is that choice (a select read its letters as keys: h, j, k and l moved it,
 * so "Apache-2.0⏎" chose Proprietary); one that matches none is refused, and the prompt stays.
 */
function askFromList<T extends string>(ctx: Context, message: string, options: readonly Choice<T>[], initialValue: T): Promise<T> {
  const fold = (text: string) => text.trim().toLowerCase();
  const names = (choice: { value: string; label?: string }) => [fold(choice.value), fold(choice.label ?? choice.value)];
  let typed = '';
  const chosen = answer(ctx, autocomplete<string>({
    ...ctx.term,
    message,
    initialValue,
    options: options.map((choice): Choice<string> => choice),
    // A whole name shows only its choice, though it is part of another ("MIT" of a longer name).
    filter: (search, choice) => {
      typed = search;
      const term = fold(search);
      if (options.some((c) => names(c).includes(term))) return names(choice).includes(term);
      // Names that begin with it, if any ("gpl": GPL-3.0-only, not LGPL-2.1-only), else those with it.
      if (options.some((c) => names(c).some((name) => name.startsWith(term)))) return names(choice).some((name) => name.startsWith(term));
      return names(choice).some((name) => name.includes(term));
    },
    // While nothing matches the list is empty: the way back to it is clearing the text (typed).
    validate: remembered(ctx, (value: string | string[] | undefined) => (value === undefined ? `"${typed.trim()}" is not one of: ${options.map((c) => c.label).join(', ')}.${ctx.term.input.isTTY ? ' Clear it (Ctrl-U) to see the list again.' : ''}` : undefined)),
  }));
  return chosen as Promise<T>;
}

/** A choice among the option's values, starting at the flag's default. */
function askChoice(ctx: Context, key: OptionKey): Promise<string> {
  const options = (optionSpec(key).choices ?? []).map((value) => ({ value, label: value, hint: HINTS[key]?.[value]?.hint }));
  return askFromList(ctx, promptOf(key).message, options, defaultOf(key) ?? options[0]!.value);
}

async function askYesNo(ctx: Context, message: string, initialValue: boolean, labels: { active?: string; inactive?: string } = {}): Promise<boolean> {
  ctx.keys?.yesNo(true);
  try {
    return await answer(ctx, confirm({ ...ctx.term, message, initialValue, ...labels }));
  } finally {
    ctx.keys?.yesNo(false);
  }
}

/** A question is skipped when its flag was given, or with --yes (its default is taken). */
const answered = (ctx: Context, key: OptionKey) => ctx.flags[key] !== undefined || ctx.flags.yes === true;

/** One option's question by its kind. */
const option = (key: OptionKey, initialValue?: (ctx: Context) => string): Step => async (ctx) => {
  if (answered(ctx, key)) return;
  const value = optionSpec(key).kind === 'choice'
    ? await askChoice(ctx, key)
    : await askText(ctx, key, { defaultValue: defaultOf(key), initialValue: initialValue?.(ctx) });
  (ctx.answers as Record<string, unknown>)[key] = value;
};

// ---- Steps --------------------------------------------------------------------------------

/** Flags given along with the prompts are refused as without prompts (exit 2), before any question. */
export const checkGivenFlags: Step = async ({ flags }) => {
  for (const key of optionKeys) {
    const value = flags[key];
    // The name has its own step, which can offer a correction.
    if (key !== 'name' && typeof value === 'string') valid(key, value);
  }
  for (const kind of ['pipe', 'service'] as const) {
    const list = flags[kind];
    // The plugin's names are not known yet: the lines they make are checked in askComponents.
    if (list) {
      const check = checkComponentNames(kind, splitList(list));
      if (!check.ok) throw usageError(`invalid_${kind}`, check.message);
    }
  }
};

/** The plugin name, checked as typed; a name with a normalized otai- form gets that form offered. */
export const askName: Step = async (ctx) => {
  let typed = givenName(ctx.flags, ctx.positionals);
  let previous = '';
  for (;;) {
    typed ??= await askText(ctx, 'name', {
      initialValue: previous,
      // Refuse as the flag does, except names we can correct in a terminal: those get the offer
      // below. Piped, the offer would take the next line, meant for the next question: refused.
      validate: (value) => { const check = checkPluginName(value); return check.ok || (check.suggestion && ctx.term.input.isTTY) ? undefined : check.message; },
    });
    const check = checkPluginName(typed);
    if (check.ok) {
      ctx.names = check.names;
      ctx.answers.name = check.names.name;
      return;
    }
    // Piped, asking again would take the next line (meant for the next question) for this one.
    if (!ctx.term.input.isTTY) throw usageError('invalid_name', check.message);
    if (check.suggestion) {
      const use = await askYesNo(ctx, check.message, true, { active: `Use ${check.suggestion}`, inactive: 'Type another name' });
      previous = typed;
      typed = use ? check.suggestion : undefined;
    } else {
      // Only a given name gets here (typed ones are refused by the prompt itself).
      log.warn(check.message, { output: ctx.term.output });
      previous = typed;
      typed = undefined;
    }
  }
};

interface TargetProblem { message: string; nonEmpty: boolean }

/** Why the target cannot take the plugin, or undefined. */
function targetProblem(directory: string, cwd: string, force: boolean): TargetProblem | undefined {
  try {
    const state = inspectTarget(directory, []);
    return state.nonEmpty && !force ? { message: `${displayPath(directory, cwd)} already exists and is not empty.`, nonEmpty: true } : undefined;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.usage) return { message: error.message, nonEmpty: false };
    throw error;
  }
}

/** An existing non-empty (or unusable) target: ask, cancel being the default, instead of failing. */
export const askTarget: Step = async (ctx) => {
  const { cwd } = ctx.env;
  const dirOf = (dir: string | undefined) => targetDirectory(dir, namesOf(ctx).name, cwd);
  const problem = targetProblem(dirOf(ctx.answers.dir), cwd, ctx.answers.force ?? false);
  if (!problem) return;
  const choice = await askFromList<'cancel' | 'other' | 'force'>(ctx, `${problem.message} What now?`, [
    { value: 'cancel', label: 'Cancel' },
    { value: 'other', label: 'Choose a different directory' },
    ...(problem.nonEmpty ? [{ value: 'force' as const, label: 'Write into it anyway', hint: 'replaces the files the plugin produces; deletes nothing' }] : []),
  ], 'cancel');
  if (choice === 'cancel') throw cancelled();
  if (choice === 'force') { ctx.answers.force = true; return; }
  // Offer the first free <name>-N beside the taken folder as the default (`--dir projects/x`:
  // projects/<name>-2, written as a path from the working folder), else in the working folder, else
  // none: Enter takes a default without validating it, so each is checked as the answer would be.
  const name = namesOf(ctx).name;
  const problemAt = (dir: string) => checkFlag('dir', dir) ?? targetProblem(dirOf(dir), cwd, false)?.message;
  const parent = relative(cwd, dirname(dirOf(ctx.answers.dir)));
  const firstFree = (place: (n: number) => string) => {
    for (let n = 2; n < 100; n++) if (!problemAt(place(n))) return place(n);
    return undefined;
  };
  const offer = (parent ? firstFree((n) => join(parent, `${name}-${n}`)) : undefined) ?? firstFree((n) => `${name}-${n}`);
  ctx.answers.dir = await askText(ctx, 'dir', {
    defaultValue: offer,
    validate: (value) => { const there = problemAt(value); return there && `${there} Choose another directory.`; },
  });
};

/** Pipes or services as a comma-separated list; empty means none. */
const askComponents = (kind: ComponentKind): Step => async (ctx) => {
  const given = ctx.flags[kind];
  // Given as a flag: checked now that the plugin's names are known, before any more questions.
  if (given) componentsOf(kind, splitList(given), namesOf(ctx));
  if (answered(ctx, kind)) return;
  // As with the flags: with neither list given, one example named after the plugin; with the other given, none.
  const other = kind === 'pipe' ? 'service' : 'pipe';
  const validate = (value: string) => { const check = checkComponents(kind, splitList([value]), namesOf(ctx)); return check.ok ? undefined : check.message; };
  const example = ctx.flags[other] === undefined ? exampleComponentName(namesOf(ctx), kind) : '';
  // Offered only if it passes: a long plugin name can make an example longer than a class may be,
  // and otai-ticket-system's service would take a base class's name. The question says why none is
  // offered (QA: an empty field, unexplained).
  const refusal = example === '' ? undefined : exampleRefusal(namesOf(ctx), kind, example);
  if (refusal) {
    const why = refusal === 'reserved' ? 'would shadow Open Ticket AI\'s base class of that name' : 'would make lines longer than ruff allows';
    log.info(`No example ${kind} offered: ${example}, named after the plugin,\n${why}.`, { output: ctx.term.output });
  }
  const raw = await askText(ctx, kind, { initialValue: refusal ? '' : example, validate });
  ctx.answers[kind] = [raw];
};

const ADVANCED = optionKeys.filter((key) => optionSpec(key).prompt?.advanced);

/** Python, open-ticket-ai and build backend, behind one confirm that defaults to no. */
export const askAdvanced: Step = async (ctx) => {
  const open = ADVANCED.filter((key) => !answered(ctx, key));
  if (!open.length) return;
  const defaults = open.map((key) => `${optionSpec(key).flag} ${defaultOf(key) ?? ''}`.trim()).join(', ');
  if (!(await askYesNo(ctx, `Change advanced settings? (${defaults})`, false))) return;
  for (const key of open) await option(key)(ctx);
};

/** Asked only when git is installed; without it the git step says so. */
export const askGit: Step = async (ctx) => {
  if (answered(ctx, 'git') || ctx.flags.dryRun || !which('git')) return;
  ctx.answers.git = await askYesNo(ctx, promptOf('git').message, true);
};

/** Asked only when uv is on PATH; without it the install step says how to get it. */
export const askInstall: Step = async (ctx) => {
  if (answered(ctx, 'install') || ctx.flags.dryRun || !which('uv')) return;
  ctx.answers.install = await askYesNo(ctx, promptOf('install').message, true);
};

const fromGit = (field: 'author' | 'email') => (ctx: Context) => gitDefault(ctx.env, field);

/** The questions, in order. */
export const STEPS: readonly Step[] = [
  askName,
  askTarget,
  option('description'),
  option('author', fromGit('author')),
  option('email', fromGit('email')),
  option('license'),
  askComponents('pipe'),
  askComponents('service'),
  askAdvanced,
  askGit,
  askInstall,
];

// ---- Summary, writing, outro --------------------------------------------------------------

/** Every name and key before anything is written; then the last chance to stop. */
/** How long after "Create the plugin?" appears keys from a terminal are not taken as its answer. */
const CONFIRM_GUARD_MS = 800;

async function confirmSummary(ctx: Context, { opts, plan, state }: Prepared): Promise<void> {
  const lines = [namesSummary(plan, ctx.env.cwd).replace(/^ {2}/gm, ''), '', `${plan.files.length} files, license ${opts.license}`];
  if (state.conflicts.length) lines.push(`replaces ${state.conflicts.length} existing file(s): ${state.conflicts.join(', ')}`);
  note(lines.join('\n'), opts.dryRun ? 'Would create (dry run)' : 'About to create', { output: ctx.term.output });
  if (opts.dryRun || ctx.flags.yes) return;
  // Only an answer given to this question counts: not an Enter typed ahead or pressed twice before
  // the summary could be read.
  ctx.keys?.freshOnly(CONFIRM_GUARD_MS);
  if (!(await askYesNo(ctx, 'Create the plugin?', true))) throw cancelled();
}

const PHASES: Record<Phase, string> = { write: 'Writing files', git: 'Initializing git', install: 'Installing dependencies with uv sync' };
const isOutcome = (value: unknown): value is StepOutcome => typeof value === 'object' && value !== null && 'status' in value;

/**
 * Each phase of commit in a spinner; a failed step's output (uv's) shown under it. `cancelled` stops
 * the turning one, so that a cancel during uv or git leaves a stopped line, not a frame.
 */
function spinnerTrack(ctx: Context, { plan, files }: Prepared): { track: Track; cancelled: () => void } {
  const { output } = ctx.term;
  let turning: { spin: ReturnType<typeof spinner>; phase: Phase } | undefined;
  const track: Track = async (phase, work) => {
    const spin = spinner(output);
    turning = { spin, phase };
    spin.start(PHASES[phase]);
    let result;
    try {
      result = await work();
    } catch (error) {
      turning = undefined;
      spin.stop(`${PHASES[phase]} failed`, 'failed');
      throw error;
    }
    turning = undefined;
    if (!isOutcome(result)) spin.stop(`Wrote ${files.length} files to ${displayPath(plan.directory, ctx.env.cwd)}`);
    else {
      spin.stop(result.message, result.status);
      if (result.status === 'failed' && result.output) log.error(result.output, { output });
    }
    return result;
  };
  return { track, cancelled: () => turning?.spin.stop(`${PHASES[turning.phase]}: cancelled`, 'failed') };
}

function finish(ctx: Context, io: Io, { opts, plan }: Prepared, steps: readonly StepOutcome[]): number {
  const { output } = ctx.term;
  const { cwd } = ctx.env;
  const failed = installFailure(steps);
  const where = displayPath(plan.directory, cwd);
  // --json: the object a run without prompts gives, or the install_failed error that holds it.
  if (opts.json) {
    const result = createResult(plan, opts.dryRun, steps);
    io.out(failed ? errorJson(installFailed(where, failed, result)) : `${JSON.stringify(result)}\n`);
  }
  if (!opts.dryRun) {
    note(nextSteps(plan, cwd, steps).join('\n'), 'Next steps', { output });
  }
  log.info(`The same plugin without prompts:\n${reproduceCommand(opts, plan)}`, { output });
  outro(opts.dryRun ? 'Dry run: nothing was written.' : failed ? `Created ${plan.names.name} in ${where}, but \`uv sync\` failed (see above).` : `Created ${plan.names.name} in ${where}.`, { output });
  return failed ? EXIT.failure : EXIT.ok;
}

/** Shows the cursor a prompt hid. */
const SHOW_CURSOR = '\x1b[?25h';
/** What to do when the prompts cannot take the answers. */
const FLAGS_INSTEAD = 'Pass the answers as flags with --yes (see --help), or run in a terminal.';

/**
 * Run the questions, or stop when the input closes mid-prompt (a prompt would otherwise wait
 * forever and the process end with exit 0 and the cursor hidden), or on SIGTERM (Node's default
 * would end the process with the cursor still hidden). Nothing is written before the questions end.
 */
async function untilInputEnds<T>(ctx: Context, io: Io, json: boolean, keys: Keyboard, questions: () => Promise<T>): Promise<T> {
  const { term } = ctx;
  keys.onKey((key) => { lastKeyCtrlD = key.ctrl === true && key.name === 'd'; });
  let onEnd = () => {};
  let closed = false;
  let onDrained = () => {};
  let lastKeyCtrlD = false;
  const ended = new Promise<never>((_, reject) => {
    // Once, whichever comes first: the input's end or a refused piped answer.
    const stop = (error: CliError) => {
      if (closed) return;
      closed = true;
      term.output.write(`${SHOW_CURSOR}\n`);
      reject(error);
    };
    onEnd = () => {
      // Keys read ahead still wait for their prompts (piped answers): the input ended only for
      // the prompt that waits once they are used up.
      if (keys.waiting()) { keys.whenUsed(onEnd); return; }
      // Between two prompts (the last key ended one): only the next one waits in vain.
      if (term.input.listenerCount('keypress') === 0) { keys.whenPrompted(onEnd); return; }
      // 'end' and then 'close': stop does it once.
      stop(usageError('input_closed', `The input closed before every question was answered. ${FLAGS_INSTEAD}`));
    };
    // Piped, a refused answer ends the run, as a refused flag does: nobody sees the prompt ask again,
    // and what the next lines would do depends on how the pipe splits them into reads (review).
    keys.whenRefused((why) => {
      if (closed) return;
      // The prompt still reads the pipe, which may stay open: stop reading it and let it go, or Node
      // would wait for its end (a pause alone is undone by a read the stream has scheduled: review).
      term.input.pause();
      (term.input as { unref?: () => void }).unref?.();
      stop(usageError('answer_refused', `An answer given was refused: ${why ?? ctx.refused ?? 'it is not valid here.'} ${FLAGS_INSTEAD}`));
    });
    term.input.once('end', onEnd);
    term.input.once('close', onEnd);
    // Ctrl-D in a terminal: the prompt's readline closes itself, the input stays open, and nothing
    // is left to run: Node would end with exit 0. A cancel, as Ctrl-C is.
    onDrained = () => {
      if (!lastKeyCtrlD) {
        // Not Ctrl-D: after Ctrl-Z and `fg` the prompt's readline pauses the input and nobody
        // resumes it. Resume it: the prompt is still there, waiting.
        term.input.resume();
        process.once('beforeExit', onDrained);
        return;
      }
      term.output.write(`${SHOW_CURSOR}\n`);
      reject(cancelled());
    };
    process.once('beforeExit', onDrained);
  });
  // SIGTERM, or a SIGINT sent as a signal (in raw mode Ctrl-C is a key): the prompt still reads the
  // terminal, so the process cannot end by itself: it exits here, as a cancel at a prompt does.
  const onSignal = (signal: NodeJS.Signals) => {
    term.output.write(`${SHOW_CURSOR}\n`);
    const message = `Cancelled (${signal}): nothing was written.`;
    if (json) io.out(errorJson({ code: 'cancelled', message }));
    io.err(`${message}\n`);
    process.exit(CANCEL_EXIT[signal] ?? EXIT.cancelled);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    let result: T;
    try {
      result = await Promise.race([questions(), ended]);
    } catch (error) {
      // "no⏎" at "Create the plugin?" cancels: its rest is read too, not left to the shell.
      if (error instanceof CliError && error.code === 'cancelled') await keys.settle().catch(() => {});
      throw error;
    }
    await keys.settle();
    return result;
  } finally {
    keys.restore();
    term.input.off('end', onEnd);
    term.input.off('close', onEnd);
    process.off('beforeExit', onDrained);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/**
 * The keys as the prompts get them. The prompt library reads keypress events, which readline emits
 * while the input emits a read ('data'); they are rewritten, held back or dropped where they are
 * sent, so that one line is one answer however the keys arrive:
 * - A line feed (Ctrl-J, or Enter typed ahead while the terminal was still in cooked mode, which
 *   turns it into LF; or piped input) submits the answer, as Enter does. The prompts submit on CR
 *   only, and their readline takes a LF as the end of a line it then empties: the typed answer was
 *   lost and the next Enter took the default. The LF right after a CR in the same read is the rest
 *   of one CRLF Enter (a terminal or a paste sends it in one write) and is dropped.
 * - Keys read after an Enter that closed its prompt (a paste of several answers, keys typed ahead,
 *   piped answers) wait for the next prompt; no prompt listening, they were lost. Text among them
 *   replaces the prompt's pre-filled text (a Ctrl-U first), as a line piped in means it.
 * - A yes/no question takes y or n at once: the rest of that line read with it (pasted, piped:
 *   "no⏎"), up to its Enter, is part of the answer, not the next question's. Typed, the rest of
 *   the word and an Enter that follow within WORD_GAP_MS of each other are too ("no⏎", "n⏎");
 *   letters of the word followed soon by another key go with it to the next question ("y", then
 *   "easy"); any other key, or one typed later, is the next question's, as the prompts took them.
 *   After the last question (settle) the rest of the word is read too; a cancel key there cancels.
 * - An answer refused (Enter, and the prompt stays) or a Ctrl-D drops the keys still waiting: they
 *   were meant for later questions, not for this one's field.
 * - Escape then Enter within readline's escape timeout reads as Alt-Enter: a cancel, as Escape.
 * - freshOnly: keys read before a question could be read are not its answer, nor the rest of a line
 *   begun then (up to its Enter, or a pause); a cancel key always is.
 */
export interface Keyboard {
  /** Hear each key as a prompt gets it. */
  onKey: (listener: (key: { name?: string; ctrl?: boolean }) => void) => void;
  /** Called when an answer from an input that is not a terminal (piped) was refused, with why if the prompt did not say. */
  whenRefused: (callback: (why?: string) => void) => void;
  /** A yes/no question is asked (true) or answered (false): piped, its line must be y, n or empty. */
  yesNo: (asked: boolean) => void;
  restore: () => void;
  /** Keys are waiting for a prompt. */
  waiting: () => boolean;
  /** Call back once the waiting keys went to their prompts. */
  whenUsed: (callback: () => void) => void;
  /** Call back once the next prompt listens for keys. */
  whenPrompted: (callback: () => void) => void;
  /** From a terminal, drop the keys waiting and those read in the next `ms`: the next prompt takes only keys typed for it. */
  freshOnly: (ms: number) => void;
  /** Once the rest of a yes/no word typed at the last question is read (it would reach the shell). */
  settle: () => Promise<void>;
}

type Key = { name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean; sequence?: string };
/**
 * The longest pause between the keys of a typed "no⏎" or "yes⏎" (typing a word: well under it;
 * reading the next question first: over it).
 */
const WORD_GAP_MS = 1000;
/** Words a yes/no answer typed in full may be, by the key that answered. */
const YES_NO_WORDS: Readonly<Record<string, readonly string[]>> = { y: ['yes', 'yep', 'yeah', 'yup'], n: ['no', 'nope', 'nah'] };
const KEY_CTRL_U: Key = { sequence: '\x15', name: 'u', ctrl: true, meta: false, shift: false };
const KEY_ESCAPE: Key = { sequence: '\x1b', name: 'escape', ctrl: false, meta: false, shift: false };
/** Escape then Enter (or a line feed) within readline's escape timeout: a cancel, as Escape alone. */
const isAltEnter = (key: Key) => (key.name === 'return' || key.name === 'enter') && key.meta === true;
/** y or n, as a yes/no question takes it at once. */
const isYesNoKey = (key: Key) => (key.name === 'y' || key.name === 'n') && !key.ctrl && !key.meta;
/** Ctrl-C, Ctrl-D, Escape and Escape-Enter: a cancel is taken at any moment. */
const isCancelKey = (key: Key) => (key.ctrl === true && (key.name === 'c' || key.name === 'd')) || key.name === 'escape' || isAltEnter(key);

function keyboard(input: Terminal['input']): Keyboard {
  const keyOf = (args: unknown[]) => (args[1] ?? {}) as Key;
  const isEnter = (key: Key) => (key.name === 'enter' || key.name === 'return') && !key.meta;
  const emit = input.emit;
  let listener: (key: Key) => void = () => {};
  let afterReturn = false;
  // The keys up to an Enter, in the same read or replay, belong to a y/n answer already given.
  let restOfLine = false;
  // Typed in a terminal after a y or n that answered: the rest of the word ("o" of "no", "es" of
  // "yes") and one Enter, each soon after the key before it, are that answer, not the next
  // question's. The letters are held until it is clear: an Enter drops them with it, another key
  // soon after gives them to the next question (they began its answer: "easy" after "y").
  let word: { typed: string; at: number; held: unknown[][] } | undefined;
  let settled: ((error?: Error) => void) | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  const endWord = (error?: Error) => { word = undefined; if (settleTimer) clearTimeout(settleTimer); settled?.(error); };
  /** While settling: the word ends in `ms` unless another of its keys comes. */
  const armSettle = (ms: number) => { clearTimeout(settleTimer); settleTimer = setTimeout(endWord, ms); };
  /** A key typed after a y/n answer: false when it belongs to that answer (held or dropped). */
  const afterYesNo = (args: unknown[], key: Key): boolean => {
    const { held, typed } = word!;
    const soon = Date.now() - word!.at <= WORD_GAP_MS;
    const next = `${typed}${(key.sequence ?? '').toLowerCase()}`;
    const letter = !key.ctrl && !key.meta && /^[a-z]$/i.test(key.sequence ?? '') && YES_NO_WORDS[typed[0]!]!.some((w) => w.startsWith(next));
    if (soon && letter) {
      word = { typed: next, at: Date.now(), held: [...held, args] };
      if (settled) armSettle(WORD_GAP_MS);
      return false;
    }
    endWord();
    if (soon && isEnter(key)) return false;
    // Soon after, another key: the held letters began the next answer. Later: they ended the word.
    if (soon) for (const keyArgs of held) input.emit('keypress', ...keyArgs);
    return true;
  };
  // Keys of the current read (or replay) after a refused answer or a Ctrl-D are dropped.
  let dropRest = false;
  let onRefused: (why?: string) => void = () => {};
  let yesNoAsked = false;
  let ignoreUntil = 0;
  // When a key of a line begun within the guard (freshOnly) was last dropped; undefined: none open.
  let guardLine: number | undefined;
  const waiting: unknown[][] = [];
  // The end of the input (piped answers), held while keys wait: each prompt's readline closes at
  // the end, and a closed one no longer takes the keys it is given.
  const held: (string | symbol)[] = [];
  let replaying = false;
  let used: (() => void)[] = [];
  let prompted: (() => void)[] = [];
  const call = (callbacks: (() => void)[]) => { for (const callback of callbacks) callback(); };
  const prompting = () => input.listenerCount('keypress') > 0;

  /** The rest of this read (or replay) and the keys waiting were meant for later questions: dropped. */
  const dropLine = () => { dropRest = true; waiting.length = 0; };
  const deliver = (self: typeof input, args: unknown[], key: Key): boolean => {
    listener(key);
    // Piped, a yes/no question's line is y, n (or a word of them) or empty for the default: the
    // prompt would skip other letters and take a y among them ("maybe") or its default ("x").
    if (yesNoAsked && !input.isTTY && !isYesNoKey(key) && !key.ctrl && !key.meta && /^[^\x00-\x20\x7f]$/u.test(key.sequence ?? '')) {
      dropLine();
      onRefused(`A yes/no question takes a line of y or n (yes, no), or an empty one for its default; "${key.sequence}" begins neither.`);
      return false;
    }
    if (isAltEnter(key)) return emit.call(self, 'keypress', KEY_ESCAPE.sequence, KEY_ESCAPE);
    const enter = isEnter(key);
    const sent = enter
      ? emit.call(self, 'keypress', '\r', { ...key, name: 'return', sequence: '\r', ctrl: false })
      : emit.call(self, 'keypress', ...args);
    if (enter && prompting()) { dropLine(); if (!input.isTTY) onRefused(); } // refused: it is asked again
    if (key.ctrl && key.name === 'd') dropLine();
    if (isYesNoKey(key) && !prompting()) {
      restOfLine = true;
      if (input.isTTY) word = { typed: key.name!, at: Date.now(), held: [] };
    }
    return sent;
  };
  const replay = () => {
    replaying = true;
    const keys = waiting.splice(0);
    try {
      // Text typed before the prompt appeared goes in place of its pre-filled text, not after it; an
      // Enter first takes that text, as it would typed.
      const first = keys.length ? keyOf(keys[0]!) : undefined;
      if (first && !first.ctrl && !first.meta && /^[^\x00-\x1f\x7f]$/u.test(first.sequence ?? '') && prompting()) emit.call(input, 'keypress', KEY_CTRL_U.sequence, KEY_CTRL_U);
      for (const args of keys) input.emit('keypress', ...args);
    } finally { replaying = false; dropRest = false; restOfLine = false; }
    if (waiting.length) return;
    for (const event of held.splice(0)) input.emit(event);
    call(used.splice(0));
  };
  const onListener = (event: string | symbol) => {
    if (event !== 'keypress') return;
    if (waiting.length) setImmediate(replay);
    else if (prompted.length) setImmediate(() => call(prompted.splice(0)));
  };
  input.on('newListener', onListener);
  input.emit = function (this: typeof input, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'data') {
      // A pipe may split a CRLF between two reads (review): its LF is still not a second Enter. In a
      // terminal, Enter sends CR alone, and a Ctrl-J typed after it is an Enter of its own.
      try { return emit.call(this, event, ...args); } finally { if (input.isTTY) afterReturn = false; dropRest = false; if (!waiting.length) restOfLine = false; }
    }
    if ((event === 'end' || event === 'close') && waiting.length) { held.push(event); return false; }
    if (event !== 'keypress') return emit.call(this, event, ...args);
    const key = keyOf(args);
    // As read, whether or not a prompt listens now: the LF of a CRLF goes.
    if (!replaying) {
      const crlf = afterReturn && key.name === 'enter' && !key.meta;
      afterReturn = key.name === 'return';
      if (crlf) return false;
      // In a later read than the y/n (the same read is restOfLine's), and before the guard of
      // "Create the plugin?": the Enter of a "no⏎" typed at the question before it is not its answer.
      const cancel = isCancelKey(key);
      if (word && !restOfLine && !cancel && !afterYesNo(args, key)) return false;
      // Read after the last question (settle): a cancel is still a cancel; nothing was written yet.
      if (settled && cancel) { endWord(cancelled()); return false; }
      // Ctrl-Z there: raw mode made it a key; suspend as the terminal would have.
      if (settled && key.ctrl && key.name === 'z') { endWord(); process.kill(process.pid, 'SIGTSTP'); return false; }
      if (!cancel) {
        // The guard of "Create the plugin?": a line begun within it ("no⏎" typed as it appeared) is
        // not its answer up to its Enter, or a pause, though the Enter comes after the guard ended.
        const now = Date.now();
        if (now < ignoreUntil || (guardLine !== undefined && now - guardLine <= WORD_GAP_MS)) {
          guardLine = isEnter(key) ? undefined : now;
          return false;
        }
        guardLine = undefined;
      }
    }
    if (dropRest) return false;
    if (restOfLine) {
      if (isEnter(key)) { restOfLine = false; endWord(); }
      return false;
    }
    if (waiting.length || !prompting()) { waiting.push(args); return false; }
    return deliver(this, args, key);
  } as typeof input.emit;
  return {
    onKey: (heard) => { listener = heard; },
    whenRefused: (callback) => { onRefused = callback; },
    yesNo: (asked) => { yesNoAsked = asked; },
    restore: () => { input.emit = emit; input.off('newListener', onListener); },
    settle: () => new Promise<void>((done, fail) => {
      // A cancel typed meanwhile (no prompt took it) still cancels.
      if (waiting.some((args) => isCancelKey(keyOf(args)))) { waiting.length = 0; fail(cancelled()); return; }
      // A word typed at the last question would reach the shell after the run: read it here.
      if (!word || !input.isTTY) { done(); return; }
      const tty = input as NodeJS.ReadStream;
      // readline decodes keys only while someone listens for them.
      const listen = () => {};
      tty.on('keypress', listen);
      tty.setRawMode?.(true);
      tty.resume();
      settled = (error) => { settled = undefined; tty.off('keypress', listen); tty.setRawMode?.(false); tty.pause(); if (error) fail(error); else done(); };
      armSettle(Math.max(0, word.at + WORD_GAP_MS - Date.now()));
    }),
    waiting: () => waiting.length > 0,
    whenUsed: (callback) => { used.push(callback); },
    whenPrompted: (callback) => { prompted.push(callback); },
    freshOnly: (ms) => {
      if (!input.isTTY) return; // piped answers: there is no one to read the summary first
      waiting.length = 0;
      ignoreUntil = Date.now() + ms;
    },
  };
}

/** The whole interactive create. Prompts draw on io.terminal (stderr with --json, keeping stdout for the result). */
export async function interactiveCreate(flags: Flags, positionals: readonly string[], env: Environment, io: Io): Promise<number> {
  if (!io.terminal) useStreams(); // the prompts draw through process.stdout/stderr from here on
  const term = io.terminal ?? { input: process.stdin, output: flags.json ? process.stderr : process.stdout };
  // A terminal that reports a size of 0 (`script`, `docker exec -t` before its first resize): the
  // prompts would wrap at 0 columns, a character a line (QA report). The size of one that reports
  // none instead; a resize sets the real one.
  const size = term.output as { columns?: number; rows?: number };
  if (size.columns === 0) size.columns = 80;
  if (size.rows === 0) size.rows = 24;
  const keys = keyboard(term.input);
  const ctx: Context = { flags, positionals, env, term, answers: { ...flags }, keys };
  await checkGivenFlags(ctx);
  intro(styleText('inverse', ` create-otai-plugin ${VERSION} `), { output: term.output });
  const prepared = await untilInputEnds(ctx, io, flags.json ?? false, keys, async () => {
    for (const step of STEPS) await step(ctx);
    const ready = await prepare(resolveCreateOptions(ctx.answers, [], env));
    refuseNonEmpty(ready, env.cwd);
    await confirmSummary(ctx, ready);
    return ready;
  });
  const steps = prepared.opts.dryRun ? [] : await commit(prepared, { ...spinnerTrack(ctx, prepared), io, cwd: env.cwd });
  return finish(ctx, io, prepared, steps);
}
