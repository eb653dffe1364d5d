// The CLI as a function: parse argv, pick the command, turn every error into a message and an exit code.
import { CANCEL_EXIT, CliError, errorJson, EXIT, jsonAsked, usageError } from './errors.js';
import { allWrittenDirectly, processIo, type Io } from './io.js';
import { helpText } from './options/help.js';
import { parseArgs } from './options/parse.js';
import type { Environment } from './options/resolve.js';
import { VERSION } from './paths.js';
import { readGitIdentity, readGitIdentityFromFiles } from './gitconfig.js';
import { isDirectory } from './probe.js';

/** user.name and user.email, read only when a flag leaves one missing: from git's files, or from one `git config` run. */
function gitIdentity(cwd: string): Environment['gitConfig'] {
  let identity: Map<string, string> | undefined;
  return (key) => {
    identity ??= readGitIdentityFromFiles(cwd) ?? readGitIdentity(cwd);
    const value = identity.get(key)?.trim();
    return value ? value : undefined;
  };
}

/** Both ends are a terminal. Asked last: process.stdin is built on first access, which --yes never pays for. */
function onTerminal(io: Io): boolean {
  const term = io.terminal ?? { input: process.stdin, output: process.stdout };
  return Boolean(term.input.isTTY && term.output.isTTY);
}

/** The working folder; one deleted while the shell was in it (or moved) makes Node's cwd() throw. */
function workingFolder(): string {
  let cwd: string;
  try { cwd = process.cwd(); } catch (error) {
    throw usageError('cwd_missing', `The current folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): it was deleted or moved, or access to it was taken away. cd into an existing folder and run again.`);
  }
  // Node reads a path's bytes as UTF-8, and bytes that are not become U+FFFD: a folder made from
  // that name is another folder (QA report: the plugin went into a new sibling). A name that
  // really holds U+FFFD is found again.
  if (cwd.includes('\uFFFD') && !isDirectory(cwd)) {
    throw usageError('cwd_not_utf8', `The current folder's path has bytes that are not UTF-8 (shown as \uFFFD in ${cwd}), which Node cannot name. Rename the folder, or cd into another one and run again.`);
  }
  return cwd;
}

/**
 * With --json, stdout holds one object whatever happens, a cancel too: without a listener, Node
 * would end the process by a SIGINT or SIGTERM with no object, or half of one that was being written
 * to a full pipe. While a phase that answers signals itself runs (the writer; create's commit,
 * through uv and git), this leaves the signal to it; before, it writes the cancelled error and ends
 * the run (nothing was written then); once the object is written, the run's own outcome stands (the
 * signal came after its work was done). A signal is seen in a turn of the event loop: during planning,
 * at the writer's first look. Before main runs (Node's own start-up, the compile cache), Node's
 * default still ends the process. `exit` is injectable for tests.
 */
export function guardJsonSignals(io: Io, exit: (code: number) => void = (code) => process.exit(code)): { io: Io; release: () => void } {
  let written = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (written || process.listenerCount(signal) > 1) return;
    written = true;
    const message = `Cancelled (${signal}): nothing was written.`;
    io.out(errorJson({ code: 'cancelled', message }));
    io.err(`${message}\n`);
    exit(CANCEL_EXIT[signal] ?? EXIT.cancelled);
  };
  for (const signal of JSON_SIGNALS) process.on(signal, onSignal);
  return {
    io: { ...io, out: (text) => { written = true; io.out(text); } },
    release: () => { for (const signal of JSON_SIGNALS) process.off(signal, onSignal); },
  };
}
const JSON_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function main(argv: readonly string[], io: Io = processIo, cwdGiven?: string): Promise<number> {
  // Guessed before parsing (which may fail), so that the guard is there from the start; only with
  // --json: starting Node's signal watcher would cost every other run about 0.2 ms.
  let json = jsonAsked(argv);
  let guard = json ? guardJsonSignals(io) : undefined;
  try {
    const parsed = parseArgs(argv);
    json = parsed.flags.json ?? false;
    if (!json) { guard?.release(); guard = undefined; }
    return await runCommand(parsed, guard?.io ?? io, cwdGiven);
  } catch (error) {
    return report(error, json, guard?.io ?? io);
  } finally {
    // Output that waits in process.stdout (a pipe that would block, or the prompts' streams) is
    // still being written: the guard stays until the process ends (it keeps nothing alive), so a
    // signal cannot cut the object short.
    if (io !== processIo || allWrittenDirectly()) guard?.release();
  }
}

async function runCommand(parsed: ReturnType<typeof parseArgs>, io: Io, cwdGiven: string | undefined): Promise<number> {
  const json = parsed.flags.json ?? false;
  // With --json, as everything else: one object on stdout.
  if (parsed.flags.help) { const help = helpText(parsed.command, VERSION); io.out(json ? `${JSON.stringify({ help })}\n` : help); return EXIT.ok; }
  if (parsed.flags.version) { io.out(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`); return EXIT.ok; }
  const cwd = cwdGiven ?? workingFolder();
  const env: Environment = { cwd, gitConfig: gitIdentity(cwd) };
  if (parsed.command === 'add') {
    const { add } = await import('./commands/add.js');
    return await add(parsed.flags, parsed.positionals, env, io);
  }
  const interactive = parsed.flags.interactive ?? (!parsed.flags.yes && !json && !inCI() && onTerminal(io));
  if (interactive) {
    const { interactiveCreate } = await import('./steps/prompts.js');
    return await interactiveCreate(parsed.flags, parsed.positionals, env, io);
  }
  const { create } = await import('./commands/create.js');
  return await create(parsed.flags, parsed.positionals, env, io);
}

/**
 * Control characters in a message (from a typed name, a path) are shown as \u escapes, never sent
 * to the terminal, where an escape sequence could rewrite what the person sees.
 */
export const printable = (text: string) =>
  text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Every error ends here: a message that says how to fix it, a stack trace only with DEBUG. */
function report(error: unknown, json: boolean, io: Io): number {
  if (error instanceof CliError) {
    if (json) io.out(errorJson(error));
    io.err(`${error.code === 'cancelled' ? '' : 'Error: '}${printable(error.message)}\n`);
    if (process.env.DEBUG && error.stack) io.err(`${printable(error.stack)}\n`);
    return error.exitCode;
  }
  const message = String((error as Error)?.message ?? error);
  if (json) io.out(errorJson({ code: 'internal', message }));
  io.err(process.env.DEBUG
    ? `${printable((error as Error)?.stack ?? message)}\n`
    : `Error: ${printable(message)}\nThis is unexpected; run again with DEBUG=1 for details and report it.\n`);
  return EXIT.failure;
}

/** CI set to anything but empty or `false` (as ci-info reads it: CI=false is a person at a terminal). */
const inCI = () => { const ci = process.env.CI; return ci !== undefined && ci !== '' && ci !== 'false'; };
