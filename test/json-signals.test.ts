// --json promises one object on stdout whatever happens, a SIGINT or SIGTERM too: before the writer
// or create's commit answer signals themselves, while they do, and after the object is written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BIN, nameList, ROOT, tempDir } from './helpers/cli.js';

/**
 * guardJsonSignals in a process of its own (signals and exit are the process's), driven by `script`:
 * it gets `guard` (the returned object) and `said` (what its io wrote), and sends itself the signal.
 */
function guarded(script: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const dir = tempDir('otai-guard-');
  const bundle = join(dir, 'guard.cjs');
  buildSync({ entryPoints: [join(ROOT, 'src/main.ts')], bundle: true, format: 'cjs', platform: 'node', outfile: bundle, logLevel: 'error', define: { __VERSION__: '"0"', 'import.meta.url': '"file:///x"' }, external: ['ejs', '@clack/prompts'] });
  const runner = join(dir, 'run.cjs');
  writeFileSync(runner, `const { guardJsonSignals } = require(${JSON.stringify(bundle)});
const io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
const guard = guardJsonSignals(io);
setTimeout(() => {}, 5000);
${script}
`);
  const r = spawnSync(process.execPath, [runner], { encoding: 'utf8', timeout: 10_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('--json and a cancel', () => {
  it('before any phase answers signals: the cancelled error object, exit 143 (SIGTERM) or 130 (SIGINT)', () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const r = guarded(`process.kill(process.pid, '${signal}');`);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'cancelled', message: `Cancelled (${signal}): nothing was written.` } });
    }
  });

  it('while a phase answers signals itself, that phase alone does; once the object is written, the run ends as it would', () => {
    const owned = guarded(`process.on('SIGTERM', () => { process.stdout.write('{"owner":true}\\n'); process.exit(7); });
process.kill(process.pid, 'SIGTERM');`);
    expect([owned.code, owned.stdout]).toEqual([7, '{"owner":true}\n']);
    const done = guarded(`guard.io.out('{"result":true}\\n');
process.kill(process.pid, 'SIGTERM');
setTimeout(() => { guard.release(); process.exit(0); }, 200);`);
    expect([done.code, done.stdout]).toEqual([0, '{"result":true}\n']);
    // Released: Node's own way again (the end by the signal).
    const released = guarded(`guard.release();
process.kill(process.pid, 'SIGTERM');`);
    expect([released.signal, released.stdout]).toEqual(['SIGTERM', '']);
  });

  it('a SIGTERM while the result is written to a full pipe: the whole object, exit 0 (QA report: half an object, ended by the signal)', async () => {
    // --interactive (with --yes, nothing asked) writes through process.stdout, which makes the pipe
    // non-blocking: the rest of the object then waits in the stream after main returns (review).
    for (const extra of [[], ['--interactive', '--description', 'x']]) {
      const cwd = tempDir();
      // A pipe whose reader reads nothing until the signal was sent (a Node reader would buffer what
      // the pipe cannot hold): the object, about 210 KiB, fills it, and the write waits. The shell
      // notes the CLI's pid and exit code.
      const args = ['otai-big', '--pipe', nameList('Step', 2500), '--yes', '--no-git', '--no-install', '--json', ...extra];
      const script = `{ "$0" "$@" & echo $! > pid; wait $!; echo $? > code; } | { while [ ! -e sent ]; do sleep 0.05; done; cat; }`;
      const child = spawn('/bin/sh', ['-c', script, process.execPath, BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
      // The plugin is moved into place whole: once it is there, the result comes next.
      const deadline = Date.now() + 20_000;
      while (!(existsSync(join(cwd, 'otai-big')) && existsSync(join(cwd, 'pid'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 500));
      process.kill(Number(readFileSync(join(cwd, 'pid'), 'utf8')), 'SIGTERM');
      writeFileSync(join(cwd, 'sent'), '');
      await closed;
      const code = Number(readFileSync(join(cwd, 'code'), 'utf8'));
      const result = JSON.parse(stdout) as { files: string[]; error?: unknown };
      // The signal may also have come while commit still answered it (after the write): its cancelled object, 143.
      if (code === 143) expect(result.error).toMatchObject({ code: 'cancelled' });
      else {
        expect(code, extra.join(' ')).toBe(0);
        expect(result.files).toHaveLength(readdirSync(join(cwd, 'otai-big'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length);
      }
    }
  });
});
