// A compile cache for dist/: V8's compiled code kept between runs, like Node 22's
// module.enableCompileCache (Node 20 has none). Compiling the bundle and the functions a run calls
// is most of what a run costs beyond Node's own start-up. A cache problem never fails a run.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Module } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { Script } from 'node:vm';

/** NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE mean here what they mean to Node 22. */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (env.NODE_COMPILE_CACHE) return join(env.NODE_COMPILE_CACHE, 'create-otai-plugin');
  const base = process.platform === 'win32' ? env.LOCALAPPDATA : env.XDG_CACHE_HOME || (env.HOME && join(env.HOME, '.cache'));
  return base ? join(base, 'create-otai-plugin', 'compile-cache') : undefined;
}

/** 32-bit FNV-1a, hex: file names for cache entries, from short keys (never from whole sources). */
const fnv = (text: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};

type Compile = (this: NodeModule, content: string, filename: string) => unknown;

/**
 * Compile dist/ files through vm.Script with V8's cached data. An entry is named after the file's
 * place, its build digest, and its size, mtime, Node version and architecture: V8 itself checks
 * only a source's length, so a changed file must never find an old entry. Entries missing or refused are
 * written when the process exits, after the run compiled what it used, so the next run starts with
 * those functions compiled too.
 */
export function useCompileCache(dist: string, dir: string, digests: Readonly<Record<string, string>>): void {
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  const pending: Array<{ script: Script; file: string; place: string }> = [];
  proto._compile = function (content, filename) {
    const rel = relative(dist, filename).split(sep).join('/');
    if (!Object.hasOwn(digests, rel) || content.startsWith('#!')) return original.call(this, content, filename);
    const place = fnv(filename);
    let file = '';
    let cachedData: Buffer | undefined;
    try {
      const { size, mtimeMs } = statSync(filename);
      file = join(dir, `${place}-${digests[rel]}-${fnv(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}.bin`);
      cachedData = readFileSync(file);
    } catch { /* no entry yet (or no stat): compile, and write one at exit if the file is known */ }
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (file && (!cachedData || script.cachedDataRejected)) pending.push({ script, file, place });
    const mod = this;
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    const req = (id: string) => mod.require(id);
    return fn.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, file, place } of pending) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Older entries for the same file (another version, an earlier build) go first.
        for (const name of readdirSync(dir)) if (name.startsWith(`${place}-`) && name !== file.slice(dir.length + 1)) rmSync(join(dir, name), { force: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
      } catch { /* a read-only or full disk only means the next run compiles again */ }
    }
  });
}
