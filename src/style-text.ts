// util.styleText for the prompt library, as Node 22.13 and later apply it, on every Node the CLI
// runs on: colour and styles only where process.stdout takes them (a terminal, NO_COLOR,
// NODE_DISABLE_COLORS and TERM=dumb unset; FORCE_COLOR decides alone). Node 20.13 to 20.17 and
// 22.0 to 22.11 coloured regardless (NO_COLOR ignored), and up to 22.13 a list of styles (the
// prompts' cursor) was never left out (QA report). The build gives the prompt library this one
// in place of node:util's; the CLI's own intro and spinner use it too.
import { WriteStream } from 'node:tty';
import { inspect } from 'node:util';

/** Whether Node 22.13+ would colour for this stream. getColorDepth reads only `env`. */
export function colorize(stream: { isTTY?: boolean; getColorDepth?: (env?: NodeJS.ProcessEnv) => number } | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return WriteStream.prototype.getColorDepth.call(stream, env) > 2;
  return Boolean(stream?.isTTY) && (typeof stream?.getColorDepth === 'function' ? stream.getColorDepth(env) > 2 : true);
}

export function styleText(format: string | readonly string[], text: string): string {
  const skip = !colorize(process.stdout, process.env);
  let left = '';
  let right = '';
  for (const key of typeof format === 'string' ? [format] : format) {
    if (key === 'none') continue;
    const codes = inspect.colors[key];
    if (!codes) throw new TypeError(`styleText: unknown format "${key}"`);
    if (skip) continue;
    left += `\u001b[${codes[0]}m`;
    right = `\u001b[${codes[1]}m${right}`;
  }
  return skip ? text : `${left}${text}${right}`;
}
