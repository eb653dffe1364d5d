import type { Readable, Writable } from 'node:stream';

/** The terminal prompts read keys from and draw on. */
export interface Terminal {
  input: Readable & { isTTY?: boolean };
  output: Writable & { isTTY?: boolean };
}

/** Where output goes; tests pass their own. stdout is reserved for the result (--json owns it). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Prompts' terminal; process.stdin and stdout when absent. Tests pass streams to type into. */
  terminal?: Terminal;
}
export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
