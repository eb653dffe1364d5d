/** Exit codes are part of the CLI contract (scripts rely on them). */
/** 130 and 143 are 128 + SIGINT's and SIGTERM's numbers, as a shell reports a process they end. */
export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130, terminated: 143 } as const;

/** An error whose message is meant for the user: it says what went wrong and how to fix it. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
    /** More for the --json error object (install_failed: the steps, what git did after uv failed). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Invalid usage or input: exit 2, nothing written. */
export const usageError = (code: string, message: string) => new CliError(code, message, EXIT.usage);
/** A failure while working: exit 1. */
export const workError = (code: string, message: string, details?: Readonly<Record<string, unknown>>) => new CliError(code, message, EXIT.failure, details);
/** The person cancelled: exit 130. */
export const cancelled = () => new CliError('cancelled', 'Cancelled', EXIT.cancelled);
/** The exit code of a run a signal cancelled, as a shell reports a process the signal ends. */
export const CANCEL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: EXIT.cancelled, SIGTERM: EXIT.terminated };
/**
 * Whether argv asks for --json before anything parses it (an error in parsing is answered as JSON
 * too): the flag before `--`, after which it is a positional, as the parser reads it. `--json=…`
 * too, which the parser refuses (the flag takes no value): its error is then the object.
 */
export function jsonAsked(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--json' || arg.startsWith('--json=')) return true;
  }
  return false;
}

/** With --json, the one object stdout gets for an error (a line of its own). */
export const errorJson = ({ code, message, details }: { code: string; message: string; details?: Readonly<Record<string, unknown>> }) => `${JSON.stringify({ error: { code, message, ...details } })}\n`;
