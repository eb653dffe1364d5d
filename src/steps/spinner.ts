// A clack-style spinner. Not clack's own: that one reads process.stdin in raw mode while it turns
// (ignoring the prompts' input stream) and exits 0 on Ctrl-C, where this CLI must clean up and exit
// 130. This one leaves stdin alone, so Ctrl-C stays a SIGINT and write.ts's handler runs.
import { styleText } from '../style-text.js';
import { S_BAR, S_STEP_ERROR, S_STEP_SUBMIT, unicode } from '@clack/prompts';
import type { Terminal } from '../io.js';

const FRAMES = unicode ? ['◒', '◐', '◓', '◑'] : ['•', 'o', 'O', '0'];
const CLEAR_LINE = '\r\x1b[2K';

export type SpinnerStatus = 'done' | 'skipped' | 'failed';

export interface Spinner {
  start(message: string): void;
  stop(message: string, status?: SpinnerStatus): void;
}

export function spinner(output: Terminal['output']): Spinner {
  let timer: NodeJS.Timeout | undefined;
  let text = '';
  // Without a TTY there is no line to redraw: only the final line is printed. The line is cut to
  // the terminal's width: one that wraps would leave a new line behind at every frame.
  const draw = (i: number) => {
    if (!output.isTTY) return;
    const columns = (output as { columns?: number }).columns;
    const line = `${text}...`;
    const fits = columns && line.length + 4 > columns ? `${line.slice(0, Math.max(0, columns - 5))}…` : line;
    output.write(`${CLEAR_LINE}${styleText('magenta', FRAMES[i % FRAMES.length]!)}  ${fits}`);
  };
  return {
    start(message) {
      text = message;
      output.write(`${styleText('gray', S_BAR)}\n`);
      let i = 0;
      draw(i);
      timer = setInterval(() => draw(++i), 80);
      timer.unref();
    },
    stop(message, status = 'done') {
      clearInterval(timer);
      const symbol = status === 'failed' ? styleText('red', S_STEP_ERROR) : styleText(status === 'done' ? 'green' : 'dim', S_STEP_SUBMIT);
      output.write(`${output.isTTY ? CLEAR_LINE : ''}${symbol}  ${message}\n`);
    },
  };
}
