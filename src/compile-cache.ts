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

/** Shared by the launcher and the bundle (two separate builds) through the global symbol registry. */
const STATE = Symbol.for('create-otai-plugin.compile-cache');
type State = { complete: boolean };
const entry = (base: string, kind: 'complete' | 'partial') => `${base}${kind === 'partial' ? '.partial' : ''}.bin`;

/**
 * Called by the CLI once a run has rendered and written a plugin: that run compiled what a normal
 * run uses, so its code is what the cache should keep. A cache written by a shorter run (--dry-run,
 * an error) is replaced by such a run's, once.
 */
export function markCompleteRun(): void {
  const state = (globalThis as Record<symbol, State | undefined>)[STATE];
  if (state) state.complete = true;
}

/**
 * Compile dist/ files through vm.Script with V8's cached data. An entry is named after the file's
 * place, its build digest, and its size, mtime, Node version and architecture: V8 itself checks
 * only a source's length, so a changed file must never find an old entry. At exit, a missing or
 * refused entry is written, after the run compiled what it used, so the next run starts with those
 * functions compiled too; `.partial` marks one from a run that wrote no plugin.
 */
export function useCompileCache(dist: string, dir: string, digests: Readonly<Record<string, string>>): void {
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  const state: State = { complete: false };
  (globalThis as Record<symbol, State>)[STATE] = state;
  const loaded: Array<{ script: Script; base: string; place: string; kept?: 'complete' | 'partial' }> = [];
  proto._compile = function (content, filename) {
    const rel = relative(dist, filename).split(sep).join('/');
    if (!Object.hasOwn(digests, rel) || content.startsWith('#!')) return original.call(this, content, filename);
    const place = fnv(filename);
    let base = '';
    let cachedData: Buffer | undefined;
    let kept: 'complete' | 'partial' | undefined;
    try {
      const { size, mtimeMs } = statSync(filename);
      base = join(dir, `${place}-${digests[rel]}-${fnv(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}`);
    } catch { /* no stat: no cache for this file */ }
    if (base) {
      for (const kind of ['complete', 'partial'] as const) {
        try { cachedData = readFileSync(entry(base, kind)); kept = kind; break; } catch { /* none of this kind */ }
      }
    }
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (base) loaded.push({ script, base, place, kept: script.cachedDataRejected ? undefined : kept });
    const mod = this;
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    const req = (id: string) => mod.require(id);
    return fn.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, base, place, kept } of loaded) {
      if (kept === 'complete' || (kept === 'partial' && !state.complete)) continue;
      const file = entry(base, state.complete ? 'complete' : 'partial');
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Other entries for the same file (a partial one, another version, an earlier build) go.
        for (const name of readdirSync(dir)) if (name.startsWith(`${place}-`) && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
      } catch { /* a read-only or full disk only means the next run compiles again */ }
    }
  });
}

/**
 * Run a dist file by its known path, as the CommonJS module Node would make of it, without Node's
 * resolution (stat, realpath, package scope lookup): measured, about 1.5 ms of a 15 ms run. Its own
 * relative requires (the prompt library) still go through Node, and through the cache.
 */
export function runFile(filename: string, parent: NodeModule): void {
  const mod = new Module(filename, parent as unknown as Module) as unknown as NodeModule & { _compile: Compile; paths: string[] };
  mod.filename = filename;
  mod.paths = [];
  (Module as unknown as { _cache: Record<string, NodeModule> })._cache[filename] = mod;
  mod._compile(readFileSync(filename, 'utf8'), filename);
  mod.loaded = true;
}

