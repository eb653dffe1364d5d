/** Where output goes; tests pass their own. stdout is reserved for the result (--json owns it). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}
export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
