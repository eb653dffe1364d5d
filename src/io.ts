import { writeSync } from 'node:fs';
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

type WriteFd = (fd: number, bytes: Uint8Array, offset: number) => number;

/**
 * Writes to a file descriptor directly. Node builds process.stdout and process.stderr on first use,
 * and building one loads its stream modules: measured, about 4 ms of a 30 ms run, for the one report
 * a run writes at its end. A direct write is complete when it returns, so no later write overtakes
 * it. The stream takes over for good, in order, when the descriptor would block (a full
 * non-blocking pipe) or fails (the stream then reports the error as Node always does), and once
 * anything may be queued in a stream: the prompts draw through them (useStreams).
 */
export function fdSinks(write: WriteFd, streams: { out: () => Writable; err: () => Writable }, direct = true) {
  const sink = (fd: 1 | 2, stream: () => Writable) => (text: string) => {
    if (!direct) { stream().write(text); return; }
    const bytes = Buffer.from(text);
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = write(fd, bytes, done);
        if (n <= 0) break;
        done += n;
      }
    } catch (error) {
      // The reader is gone (`| head`, a closed pipe, a terminal hung up): nothing more can be said
      // there, and the run's own outcome stands. A descriptor that would block (EAGAIN): the stream
      // writes the rest. Any other error (a full disk): the output is lost, and the run says so at
      // its end (finish), instead of a stream throwing it with a page of the bundle.
      if (readerGone(error)) return;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') { lostOutput ??= { fd, code: code ?? 'error' }; return; }
    }
    if (done < bytes.length) {
      direct = false;
      stream().write(bytes.subarray(done));
    }
  };
  return {
    io: { out: sink(1, streams.out), err: sink(2, streams.err) } satisfies Io,
    useStreams: () => { direct = false; },
    /** True while every byte has gone straight to its descriptor: nothing can wait in a stream. */
    allWritten: () => direct,
  };
}

/** EPIPE: a closed pipe; EIO: a terminal that hung up (SIGHUP follows). */
const readerGone = (error: unknown) => { const code = (error as NodeJS.ErrnoException).code; return code === 'EPIPE' || code === 'EIO'; };

/** Output that could not be written (not for a reader that went away): which descriptor, and why. */
let lostOutput: { fd: 1 | 2; code: string } | undefined;

const leaving = new WeakSet<Writable>();
/** A standard stream whose reader may be gone or whose disk is full: that ends its output, not the run (as above). */
function readerMayLeave(stream: Writable): Writable {
  if (!leaving.has(stream)) {
    leaving.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => { if (!readerGone(error)) lostOutput ??= { fd: stream === process.stdout ? 1 : 2, code: error.code ?? 'error' }; });
  }
  return stream;
}

// Not on Windows: there a console shows bytes written to it directly in its code page, not as
// UTF-8 (✔, names with accents), while process.stdout converts.
const sinks = fdSinks((fd, bytes, offset) => writeSync(fd, bytes, offset), { out: () => readerMayLeave(process.stdout), err: () => readerMayLeave(process.stderr) }, process.platform !== 'win32');
export const processIo: Io = sinks.io;
/** Prompts and spinners write through process.stdout and stderr: from then on, so does everything. */
export const useStreams = sinks.useStreams;
/** Whether every byte so far went straight to its descriptor: none can still wait in a stream. */
export const allWrittenDirectly = sinks.allWritten;

/** A write cancelled by SIGHUP (a closed terminal): 128 + 1, as a shell reports it (see finish). */
export const HANGUP_EXIT = 129;

/**
 * End the run with this exit code. When nothing is left for Node to do, the process exits at once
 * ('exit' handlers still run) instead of taking Node's own way out (cleanup hooks, the heap freed
 * page by page): about 0.5 ms less a run, measured from the 'exit' event to the parent's wait and
 * in 300 paired runs of one build. Nothing is left when every byte of ours went straight to its
 * descriptor and Node has no handle, request or timer active (a stream that exists on a pipe or
 * terminal counts, and so does a write queued in it) and no 'beforeExit' listener. A tick or a
 * turn of the event loop later, so that warnings Node has queued (in ticks) are written first.
 * Otherwise Node ends the process as usual.
 *
 * Which of the two: Node makes its tick queue and its immediates on their first use (measured: a
 * first tick 0.25 ms, a first immediate 0.45 ms, a later immediate 0.05 ms). The CLI waits a turn
 * (`'turn'`): a run that wrote a plugin has made an immediate already, the writer's last look for
 * signals. The launcher's --help and --version wait a tick.
 */
export function finish(code: number, wait: 'tick' | 'turn' = 'tick'): void {
  if (lostOutput) {
    // What the run did happened, but its report (or --json object, or error) did not reach its
    // reader: said on the other stream; a run that failed keeps its own code (a usage error its 2).
    const where = lostOutput.fd === 1 ? 'standard output' : 'standard error';
    try { writeSync(lostOutput.fd === 1 ? 2 : 1, `create-otai-plugin: could not write to ${where} (${lostOutput.code}).\n`); } catch { /* nowhere left to say it */ }
    if (code === 0) code = 1;
  }
  process.exitCode = code;
  // A write a hangup cancelled (cleaned up, said so) ends by the signal itself, as it would have
  // without a handler: Node 20's own exit resets the terminal, and on one that is gone that fails
  // an assertion and aborts (nodejs/node#51519).
  if (code === HANGUP_EXIT) { setImmediate(() => process.kill(process.pid, 'SIGHUP')); return; }
  if (wait === 'turn') setImmediate(exitIfIdle, code);
  else process.nextTick(exitIfIdle, code);
}

function exitIfIdle(code: number): void {
  // getActiveResourcesInfo is Node 17.3+: the launcher's answers run on any Node.
  if (sinks.allWritten() && process.listenerCount('beforeExit') === 0 && process.getActiveResourcesInfo?.().length === 0) process.exit(code);
}
