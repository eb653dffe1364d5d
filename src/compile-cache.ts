// A compile cache for dist/: V8's compiled code kept between runs, like Node 22's
// module.enableCompileCache (Node 20 has none). Compiling the bundle and the functions a run calls
// is most of what a run costs beyond Node's own start-up. A cache problem never fails a run.
import { constants, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { Module } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { Script } from 'node:vm';
import { STATE, type State } from './compile-state.js';
import { isDirectory } from './probe.js';
import { SELF_WRAP_HEAD } from './self-wrap.js';

/**
 * NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE mean here what they mean to Node 22. A relative
 * folder is ignored (as the XDG spec says of XDG_CACHE_HOME): it would put the cache in whatever
 * folder the generator runs in, perhaps the new plugin.
 */
export function cacheDir(env: NodeJS.ProcessEnv): { dir: string; within: string } | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const absolute = (path: string | undefined) => (path && isAbsolute(path) ? path : undefined);
  // `within`: the folder that must be there already; the run makes the cache's folders below it,
  // never a missing home folder (HOME=/nonexistent, a service account's, made by root: QA report).
  const own = absolute(env.NODE_COMPILE_CACHE);
  if (own) return { dir: join(own, 'create-otai-plugin'), within: dirname(own) };
  const xdg = process.platform === 'win32' ? undefined : absolute(env.XDG_CACHE_HOME);
  if (xdg) return { dir: join(xdg, 'create-otai-plugin', 'compile-cache'), within: dirname(xdg) };
  const home = process.platform === 'win32' ? absolute(env.LOCALAPPDATA) : absolute(env.HOME);
  return home ? { dir: join(home, ...(process.platform === 'win32' ? [] : ['.cache']), 'create-otai-plugin', 'compile-cache'), within: home } : undefined;
}

/** 32-bit FNV-1a, hex: file names for cache entries, from short keys (never from whole sources). */
const fnv = (text: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};

type Compile = (this: NodeModule, content: string, filename: string) => unknown;

const entry = (base: string, kind: 'complete' | 'partial') => `${base}${kind === 'partial' ? '.partial' : ''}.bin`;

// An entry: MAGIC, the length of V8's data, then the data. V8 checks a header of its own but not
// its code data unless asked to, and code damaged past the header crashes the process, run after
// run (measured: a zeroed tail gave SIGSEGV). So entries are written whole or not at all (below),
// and a short or foreign file is refused here. A checksum of the data would also catch damage done
// after writing (a failing disk, tampering), but every way to compute one on Node 20 costs more
// than the cache saves: measured, loading node:crypto 6 ms, node:zlib 3 to 7 ms, node:v8 (for
// --verify-snapshot-checksum) 2 to 4 ms, a JavaScript loop 3.5 ms. Node 22's own cache checks a
// CRC32 in C++. The way out of such damage: NODE_DISABLE_COMPILE_CACHE=1, or delete the folder.
const MAGIC = Buffer.from('OTC2');
const HEAD = MAGIC.length + 4;

/**
 * V8's data of an entry, or undefined when it is missing, foreign, short or not a regular file: a
 * device such as /dev/zero would never end the read, and a FIFO would block it (opened without
 * blocking, it fails at once). readFileSync, not a read by hand: fstatSync and readSync would be
 * compiled on their first call, on every run (measured, 0.4 ms more). Checked byte by byte:
 * Buffer's equals and readUInt32LE are compiled on their first call too.
 */
function readEntry(file: string): Uint8Array | undefined {
  try {
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    // Numeric flags, as fs.open takes them (the types list only strings, which have no O_NONBLOCK).
    const bytes = readFileSync(file, { flag: (constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)) as unknown as string });
    if (bytes.length <= HEAD) return undefined;
    for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return undefined;
    const length = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
    return length === bytes.length - HEAD ? new Uint8Array(bytes.buffer, bytes.byteOffset + HEAD, length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write an entry whole or not at all: flushed to disk before its rename, under a name no other run
 * uses; a write that fails (a full disk) takes its temporary file with it.
 */
function writeEntry(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  try {
    writeFileSync(tmp, Buffer.concat([MAGIC, length, data]), { flag: 'wx', mode: 0o600, flush: true });
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Safe from other users: owned by the user or root, and writable by no one else, but for a group
 * that is the user's alone (a private group, as on Debian and Ubuntu: same number as the user; a
 * shared one such as macOS's staff or SUSE's users is not) or a sticky folder such as /tmp, where
 * others cannot rename or remove what is not theirs.
 */
function safe(stat: Stats, uid: number, gid: number): boolean {
  if (stat.uid !== uid && stat.uid !== 0) return false;
  if (stat.mode & 0o1000) return true;
  return (stat.mode & 0o002) === 0 && ((stat.mode & 0o020) === 0 || (stat.gid === gid && gid === uid));
}

/**
 * `start` and every folder above it are safe; a link among them, for the folder that holds it (the
 * walk goes on there) and for where it leads (its real path, walked too).
 */
function safeUpwards(start: string, uid: number, gid: number): boolean {
  for (let up = start; ; up = dirname(up)) {
    const stat = lstatSync(up, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink() ? !safeUpwards(realpathSync.native(up), uid, gid) : stat && !safe(stat, uid, gid)) return false;
    if (dirname(up) === up) return true;
  }
}

/**
 * Whether the cache folder may be used: `read` when it exists, is the user's own and nobody else
 * may write to it, nor to a folder above it (as written or, past a link, as resolved); `write` as
 * well when it is missing but would be made (0700) in such a folder. An entry is code that runs:
 * whoever could swap the folder between this check and the run's reads could make it run theirs,
 * and a missing folder could be made by someone else while the run goes on, so a run that found
 * none reads nothing (and checks again before it writes). The folder itself must not be a link (one
 * planted there could point anywhere). Measured: about 0.1 to 0.3 ms of a run.
 */
function trusted(dir: string): 'read' | 'write' | false {
  if (process.platform === 'win32' || !process.getuid || !process.getgid) return 'read';
  const uid = process.getuid();
  const gid = process.getgid();
  try {
    const own = lstatSync(dir, { throwIfNoEntry: false });
    if (own && (!own.isDirectory() || own.uid !== uid || (own.mode & 0o022) !== 0)) return false;
    return safeUpwards(dirname(dir), uid, gid) ? (own ? 'read' : 'write') : false;
  } catch {
    return false;
  }
}

/** An entry's name (`entry` below), or a temporary file of one that a killed run left. */
const ENTRY_NAME = /^[0-9a-f]{8}-[0-9a-z]+-[0-9a-f]{8}(?:\.partial)?\.bin(?:\.\d+-[0-9a-z]*\.tmp)?$/;

/** Entries written longer ago than this go when an entry is written (each npx version has its own). */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Compile dist/ files through vm.Script with V8's cached data. An entry is named after the file's
 * place, its build digest, and its size, mtime, Node version and architecture: V8 itself checks
 * only a source's length, so a changed file must never find an old entry. At exit, a missing or
 * refused entry is written, after the run compiled what it used, so the next run starts with those
 * functions compiled too; `.partial` marks one from a run that wrote no plugin.
 */
export function useCompileCache(dist: string, cache: { dir: string; within: string } | undefined, digests: Readonly<Record<string, string>>): void {
  // Without a usable folder, dist files are still compiled here, uncached: the bin keeps the
  // bundle's code beside it (bin/create-otai-plugin.cjs), for which it needs the bundle's script.
  const use = cache ? trusted(cache.dir) : false;
  const { dir, within } = cache ?? { dir: '', within: '' };
  // Required here, not imported: the launcher answers --help without loading node:vm.
  const { Script: VmScript } = require('node:vm') as typeof import('node:vm');
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  const state: State = { complete: false };
  (globalThis as Record<symbol, State>)[STATE] = state;
  // Each cached dist file compiled: its entry's name, and the kind of entry it was given, if any.
  const loaded: Array<{ script: Script; base: string; place: string; kept?: 'complete' | 'partial' }> = [];
  proto._compile = function (content, filename) {
    // Files of dist/ by their path below it (POSIX); path.relative costs 0.3 ms on its first call.
    const rel = filename.startsWith(dist + sep) ? filename.slice(dist.length + 1).replaceAll(sep, '/') : '';
    if (!Object.hasOwn(digests, rel) || content.startsWith('#!')) return original.call(this, content, filename);
    const place = fnv(filename);
    let base = '';
    let cachedData: Uint8Array | undefined;
    let kept: 'complete' | 'partial' | undefined;
    if (use) {
      try {
        const { size, mtimeMs } = statSync(filename);
        base = join(dir, `${place}-${digests[rel]}-${fnv(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}`);
      } catch { /* no stat: no cache for this file */ }
    }
    if (base && use === 'read') {
      for (const kind of ['complete', 'partial'] as const) {
        cachedData = readEntry(entry(base, kind));
        if (cachedData) { kept = kind; break; }
      }
    }
    // A self-wrapped file (src/self-wrap.ts) is compiled as read: no wrapped copy to flatten.
    const script = new VmScript(content.startsWith(SELF_WRAP_HEAD) ? content : Module.wrap(content), { filename, cachedData });
    if (rel === 'cli.js') state.bundle = script;
    if (base) loaded.push({ script, base, place, kept: script.cachedDataRejected ? undefined : kept });
    const mod = this;
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    const req = (id: string) => mod.require(id);
    return fn.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
  };
  process.once('exit', () => {
    const due = loaded.filter(({ kept }) => kept === undefined || (kept === 'partial' && state.complete));
    // The bundle's code is not written here when the bin kept it beside the bundle
    // (bin/create-otai-plugin.cjs), which the next run reads; its older entries here still go.
    const written = due.filter(({ script }) => !(state.bundleKept && script === state.bundle));
    if (due.length === 0 || (written.length === 0 && use === 'write')) return;
    try {
      if (use === 'write' && !isDirectory(within)) return;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Made by this run, or by someone else since the start: asked again.
      if (use === 'write' && trusted(dir) !== 'read') return;
      // Older entries for these files (a partial one, another version, an earlier build) go, and
      // any entry written over a month ago.
      const places = new Set(due.map(({ place }) => place));
      const now = Date.now();
      for (const name of readdirSync(dir)) {
        // Only entries of this cache, by their names: nothing else in the folder is ours to remove.
        if (!ENTRY_NAME.test(name)) continue;
        const path = join(dir, name);
        if (places.has(name.slice(0, name.indexOf('-'))) || now - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now) > STALE_MS) rmSync(path, { force: true });
      }
      for (const { script, base } of written) writeEntry(entry(base, state.complete ? 'complete' : 'partial'), script.createCachedData());
    } catch { /* a read-only or full disk only means the next run compiles again */ }
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
