// Rendered files → disk, atomically. Files are written into a staging folder beside the target
// (inside an existing one that is a mount point or whose parent cannot be written: the same file
// system either way, so renames are atomic) and moved into place only when all were
// written.
// On any failure or signal the staging folder is removed and the target is left as it was.
// All file operations are synchronous so a signal can never interrupt one half-way; the writer
// yields to the event loop between files, which is where SIGINT/SIGTERM are noticed.
import { closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { markCompleteRun } from './compile-state.js';
import { CANCEL_EXIT, CliError, EXIT, usageError, workError } from './errors.js';
import { HANGUP_EXIT } from './io.js';
import { isDirectory, lstatOrUndefined } from './probe.js';
import type { RenderedFile } from './render.js';

export interface TargetState {
  exists: boolean;
  /** Existing files the plugin would replace (relative paths). */
  conflicts: string[];
  /** The target existed with entries in it. */
  nonEmpty: boolean;
  /** Who writes (create when absent): what the error messages suggest. */
  writer?: Writer;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/** Who writes: create may write elsewhere (--dir); add changes a plugin where it is. */
export type Writer = 'create' | 'add';

/** What each file-system error means for the user. */
const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (the folder may be immutable or protected)',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENAMETOOLONG: 'a name is too long for the file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way where a file must go',
  ELOOP: 'the path has too many symbolic links',
  EEXIST: 'something appeared at the target while writing',
  ENOTEMPTY: 'something appeared at the target while writing',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many open files',
  EXDEV: 'files cannot be moved into a folder of it (a mount point inside it?)',
};

/** What to do about it, where that depends on the writer; the rest: AGAIN. */
const REMEDIES: Record<Writer, Record<string, string>> = {
  create: {
    EACCES: 'choose a folder you can write to with --dir',
    EPERM: 'choose a folder you can write to with --dir',
    EROFS: 'choose another --dir',
    ENAMETOOLONG: 'choose a shorter --dir or plugin name',
    ENOTDIR: 'choose another --dir or move the file',
    EISDIR: 'move it or choose another --dir',
    ELOOP: 'choose another --dir',
    EXDEV: 'choose another --dir',
  },
  add: {
    EACCES: 'make the plugin\'s folders writable for you and run again',
    EPERM: 'make the plugin\'s folders writable for you and run again',
    EROFS: 'run add where the plugin can be written',
    ENAMETOOLONG: 'choose a shorter pipe or service name',
    ENOTDIR: 'move the file and run again',
    EISDIR: 'move it and run again',
    ELOOP: 'replace the links in the plugin with real folders and run again',
    EXDEV: 'run add on a copy of the plugin without mounts inside it and copy the files back',
  },
};
const AGAIN: Record<string, string> = {
  ENOSPC: 'free some space and run again',
  EDQUOT: 'free some space and run again',
  EEXIST: 'run again',
  ENOTEMPTY: 'run again',
  EIO: 'check the disk and run again',
  EMFILE: 'close some programs and run again',
};

function hintFor(error: unknown, writer: Writer = 'create'): string {
  const code = errno(error);
  const cause = CAUSES[code];
  return cause ? `${cause}; ${REMEDIES[writer][code] ?? AGAIN[code]}` : `${(error as Error).message}; check the folder and run again`;
}
const fsCode = (error: unknown) => `fs_${errno(error).toLowerCase() || 'error'}`;

/** A staging folder's name (makeStaging): errors about one are about the folder it is made in. */
const isStagingName = (path: string) => /^\..*\.create-otai-plugin-[0-9a-z]+$/.test(basename(path));

/**
 * The path an error is about, as the user knows it. A rename's error names both ends: the one
 * outside the staging folder is the user's. A path in the staging folder is that path in the
 * target; the staging folder itself, the folder it is made in.
 */
function placeOf(error: unknown, target: string, staging: string | undefined): string {
  const { path, dest } = error as NodeJS.ErrnoException & { dest?: string };
  const inStaging = (at: string) => staging !== undefined && at.startsWith(staging) && (at[staging.length] === '/' || at[staging.length] === sep);
  const ends = [dest, path].filter((at): at is string => at !== undefined);
  const at = ends.find((end) => !inStaging(end)) ?? ends[0];
  if (!at) return target;
  if (isStagingName(at)) return dirname(at);
  return inStaging(at) ? join(target, at.slice(staging!.length + 1)) : at;
}

function fsError(error: unknown, where: string, writer: Writer): CliError {
  return workError(fsCode(error), `Could not write ${where}: ${hintFor(error, writer)}. Nothing was changed.`);
}

/** An error met while only looking (before writing): same hints, exit 2 when the input is at fault. */
function probeError(error: unknown, path: string, writer: Writer = 'create'): CliError {
  const code = errno(error);
  if (code === 'ENAMETOOLONG' || code === 'ENOTDIR' || code === 'ELOOP') {
    const [id, problem] = code === 'ENAMETOOLONG' ? ['name_too_long', `The path ${path} is too long for the file system`] : code === 'ENOTDIR' ? ['path_not_directory', `A part of ${path} is a file, not a folder`] : ['symlink_loop', `${path} has too many symbolic links`];
    return usageError(id, `${problem}; ${REMEDIES[writer][code]}.`);
  }
  return workError(fsCode(error), `Cannot use ${path}: ${hintFor(error, writer)}. Nothing was changed.`);
}

/** How a refusal about the target ends: create may also go elsewhere. */
const orElsewhere = (writer: Writer) => (writer === 'create' ? ', or choose another --dir' : '');

/**
 * What is at `path` (not following a last link), or undefined when nothing is; any other error is
 * refused as probeError says. A missing path is the usual answer, so it is asked with
 * throwIfNoEntry: building an exception for it costs more than the probe.
 */
function probe(path: string, writer: Writer = 'create'): Stats | undefined {
  try { return lstatSync(path, { throwIfNoEntry: false }); } catch (error) { throw probeError(error, path, writer); }
}

/**
 * Every generated path must stay inside the target: relative, POSIX, no empty, `.` or `..` parts,
 * no NUL, and never inside `.git`. Names are validated long before this; this is the last guard.
 */
export function checkRelativePath(path: string): string | undefined {
  if (UNSAFE_PATH.test(path)) {
    return `The generated path "${path}" would leave the plugin folder or touch .git; rename the plugin, pipe or service so it holds only letters, digits, "-" and "_".`;
  }
  return undefined;
}

/**
 * An empty, `.` or `..` part anywhere (a leading `/` makes an empty first part), a backslash, a NUL,
 * a colon (a Windows drive, `C:x`, or stream), or `.git` first. One test per file: it runs for
 * every file twice (inspect, then write).
 */
const UNSAFE_PATH = /(?:^|\/)\.{0,2}(?:\/|$)|[\\\0:]|^\.git(?:\/|$)/;

/** A path that passes checkRelativePath, joined to the target, cannot leave it: no resolve needed. */
function checkPaths(files: readonly RenderedFile[]): void {
  for (const file of files) {
    const problem = checkRelativePath(file.path);
    if (problem) throw usageError('unsafe_path', problem);
  }
}

/**
 * Each folder from the file-system root down to the target must be a folder (or a link to one).
 * Returns whether the target exists.
 */
function checkParents(target: string): boolean {
  const chain: string[] = [];
  for (let path = target; dirname(path) !== path; path = dirname(path)) chain.unshift(path);
  // Most file systems cap a name at 255 bytes; say so before creating anything.
  const long = chain.map((path) => basename(path)).find((name) => Buffer.byteLength(name) > 255);
  if (long !== undefined) {
    throw usageError('name_too_long', `The folder name "${long.slice(0, 40)}…" is longer than the file system allows (255 bytes); choose a shorter --dir.`);
  }
  for (const path of chain) {
    const stat = probe(path);
    if (!stat) return false;
    if (path === target && stat.isSymbolicLink()) {
      throw usageError('target_is_symlink', `${target} is a symbolic link; pass the real folder with --dir so nothing is written through the link.`);
    }
    let isDir = stat.isDirectory();
    if (stat.isSymbolicLink()) {
      try { isDir = statSync(path).isDirectory(); } catch (error) {
        if (errno(error) === 'ENOENT') throw usageError('dangling_symlink', `${path} is a symbolic link to something that does not exist; fix the link or choose another --dir.`);
        throw probeError(error, path);
      }
    }
    if (!isDir) {
      throw usageError(path === target ? 'target_is_file' : 'path_not_directory', `${path} is a file, not a folder; choose another --dir or move the file.`);
    }
  }
  return true;
}

/**
 * In an existing target, the folders the plugin writes into must be real folders (a link could
 * lead outside the target) and the files it replaces must not be folders.
 */
function findConflicts(target: string, files: readonly RenderedFile[], writer: Writer): string[] {
  const conflicts: string[] = [];
  const checkedDirs = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (checkedDirs.has(dir)) continue;
      checkedDirs.add(dir);
      const stat = probe(join(target, dir), writer);
      if (!stat) break;
      if (stat.isSymbolicLink()) {
        throw usageError('symlink_in_target', `${join(target, dir)} is a symbolic link; the plugin would write through it, possibly outside ${target}. Replace the link with a folder${orElsewhere(writer)}.`);
      }
      if (!stat.isDirectory()) {
        throw usageError('path_not_directory', `${join(target, dir)} is a file, but the plugin needs a folder there; move the file${orElsewhere(writer)}.`);
      }
    }
    const stat = probe(join(target, file.path), writer);
    if (stat?.isDirectory()) {
      throw usageError('conflict_is_folder', `${join(target, file.path)} is a folder, but the plugin writes a file there; move the folder${orElsewhere(writer)}.`);
    }
    if (stat) conflicts.push(file.path);
  }
  return conflicts;
}

/** Look at the target before anything is written; refuse what can never work. */
export function inspectTarget(target: string, files: readonly RenderedFile[], writer: Writer = 'create'): TargetState {
  // The staging folder lives in the target's parent; the root has none, so the staging folder
  // would land inside the target.
  if (dirname(target) === target) throw usageError('target_is_root', `${target} is the root of the file system; choose a folder below it with --dir.`);
  checkPaths(files);
  if (!checkParents(target)) {
    // The target itself is still asked for: a path over PATH_MAX is refused here, before anything is made.
    probe(target);
    return { exists: false, conflicts: [], nonEmpty: false, writer };
  }
  let entries: string[];
  try { entries = readdirSync(target); } catch (error) {
    if (errno(error) === 'ENOENT') return { exists: false, conflicts: [], nonEmpty: false, writer };
    throw probeError(error, target, writer);
  }
  return { exists: true, conflicts: findConflicts(target, files, writer), nonEmpty: entries.length > 0, writer };
}

// ---- Signals ----------------------------------------------------------------------------------

/**
 * A write's cancellation: set by a signal, read at the writer's next step. A plain object, not an
 * AbortController, which loads a module of Node's at start-up; `wake` ends the test hook's pause.
 */
interface Cancel { signal?: NodeJS.Signals; wake?: () => void }

/** Writes in progress; a signal cancels them all, and each cleans up at its next step. */
const active = new Set<Cancel>();
/**
 * The signals that cancel a write, and the exit code each gives (128 + its number, as a shell
 * reports it). SIGHUP too (a closed terminal or SSH session): Node resets an ignored SIGHUP to its
 * default at start-up, so under nohup it would end the run all the same (measured), leaving the
 * staging folder behind. Not SIGQUIT (Ctrl-\\): it asks for an abrupt end.
 */
const WRITE_EXIT: Partial<Record<NodeJS.Signals, number>> = { ...CANCEL_EXIT, SIGHUP: HANGUP_EXIT };
const SIGNALS = Object.keys(WRITE_EXIT) as NodeJS.Signals[];

/**
 * What those signals do while writing; exported so tests can cancel at an exact step.
 */
export const cancelWrites = (signal: NodeJS.Signals) => { for (const cancel of active) { cancel.signal ??= signal; cancel.wake?.(); } };
const onSignal = cancelWrites;
function track(cancel: Cancel): void {
  // Handlers live only while writing: afterwards Ctrl-C keeps its default meaning.
  if (active.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  active.add(cancel);
}
function untrack(cancel: Cancel): void {
  active.delete(cancel);
  if (active.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
}

const cancelledBy = (signal: unknown, target: string, existed: boolean) =>
  new CliError('cancelled', `Cancelled (${String(signal)}): nothing was written${existed ? `; ${target} is as it was` : ''}.`, WRITE_EXIT[signal as NodeJS.Signals] ?? EXIT.cancelled);

/** How often staging stops to let pending signals run. */
const SIGNAL_LOOK_MS = 10;

/** Let pending signals run, then stop if one asked to. */
async function checkpoint(abort: Cancel, target: string, existed: boolean): Promise<void> {
  await new Promise<void>((done) => setImmediate(done));
  if (abort.signal) throw cancelledBy(abort.signal, target, existed);
}

/**
 * Test-only hook: CREATE_OTAI_PLUGIN_TEST_PAUSE_MS makes the writer announce the staging folder on
 * stderr and wait that long before moving anything, so a test can send a signal inside the write
 * window. A signal ends the wait at once.
 */
async function testPause(staging: string, count: number, abort: Cancel): Promise<void> {
  const ms = Number(process.env.CREATE_OTAI_PLUGIN_TEST_PAUSE_MS ?? '');
  if (!Number.isFinite(ms) || ms <= 0) return;
  process.stderr.write(`[test hook] staged ${count} files in ${staging}; pausing ${ms} ms before the move\n`);
  if (abort.signal) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    abort.wake = () => { clearTimeout(timer); done(); }; // a signal ends the pause; the checkpoint reports it
  });
  abort.wake = undefined;
}

// ---- Writing ----------------------------------------------------------------------------------

export interface WriteResult { replaced: string[] }

export interface WriteHooks {
  /** Called before each staged write and each move into the target; tests throw here to inject faults. */
  step?: (phase: 'stage' | 'move', path: string) => void;
  /** Called once everything is staged, before the first move; throwing aborts with nothing changed. */
  beforeMove?: () => void;
}

/**
 * Where the staging folder goes: beside the target, so that a folder a kill -9 leaves behind is not
 * in it; inside an existing target on another device than its parent (a mount point, such as a
 * container's volume), where a rename from beside it would fail (EXDEV). A bind mount of the same
 * device looks alike: writeFiles stages again, inside, when the move fails so.
 */
function stagingHome(target: string, exists: boolean): string {
  const parent = dirname(target);
  if (!exists) return parent;
  try { return statSync(target).dev === statSync(parent).dev ? parent : target; } catch { return parent; }
}

/**
 * A fresh folder beside the target, created with the normal mode (mkdtemp would make it 0700).
 * mkdir is atomic, so a taken name just means another try; no crypto module needed at start-up.
 * `orInside` (an existing target, which the files are moved into one by one): where the parent
 * cannot be written, inside the target; the user may own a folder in a parent they cannot write.
 * Beside is the first choice (stagingHome): a folder that a kill -9 leaves behind is then not in the
 * plugin, where git, ruff and an sdist would see it.
 */
function makeStaging(parent: string, target: string, orInside: boolean): string {
  for (let attempt = 0; ; attempt++) {
    const suffix = `${process.pid.toString(36)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const staging = join(parent, `.${basename(target).slice(0, 64)}.create-otai-plugin-${suffix}`);
    try {
      mkdirSync(staging);
      return staging;
    } catch (error) {
      const code = errno(error);
      if (orInside && parent !== target && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')) return makeStaging(target, target, false);
      if (code !== 'EEXIST' || attempt >= 20) throw error;
    }
  }
}

/**
 * A new file with these contents (fails if the path exists). writeSync takes the string as it is;
 * writeFileSync on Node 20 first copies it into a Buffer, measurably slower over hundreds of files.
 */
function writeNew(path: string, content: string, mode?: number): void {
  const fd = openSync(path, 'wx');
  try {
    const size = Buffer.byteLength(content);
    const written = writeSync(fd, content);
    if (written < size) {
      // A short write: the rest as bytes, since a string cannot be resumed mid-character.
      const bytes = Buffer.from(content);
      for (let done = written; done < size;) done += writeSync(fd, bytes, done);
    }
    // A replaced file's mode (an executable stays executable), set through the descriptor: set
    // later by path, through a staging folder someone swapped, it could change another file.
    // After the writes, which clear setuid and setgid for a user who is not root (review).
    if (mode !== undefined) fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/** Create the missing folders above the target one by one, returning those made (to undo). */
function makeParents(parent: string): string[] {
  const missing: string[] = [];
  for (let dir = parent; ; dir = dirname(dir)) {
    try { statSync(dir); break; } catch (error) {
      if (errno(error) !== 'ENOENT' || dirname(dir) === dir) throw error;
      missing.unshift(dir);
    }
  }
  const created: string[] = [];
  try {
    for (const dir of missing) { mkdirSync(dir); created.push(dir); }
  } catch (error) {
    removeEmptyDirs(created);
    throw error;
  }
  return created;
}

function removeEmptyDirs(dirs: string[]): void {
  for (const dir of [...dirs].reverse()) { try { rmdirSync(dir); } catch { /* not empty: not ours to remove */ } }
}

/** Write every file into the staging folder, looking at pending signals every few milliseconds. */
async function stage(staging: string, files: readonly RenderedFile[], abort: Cancel, target: string, state: TargetState, hooks: WriteHooks): Promise<void> {
  const existed = state.exists;
  // The files the target holds already (inspectTarget's look): only theirs have a mode to keep.
  const replaced = new Set(state.conflicts);
  const made = new Set<string>([staging]);
  // Staging touches only our own folder: a look at pending signals every few milliseconds is
  // soon enough. Each look is a turn of the event loop, about 0.1 ms (measured), too dear per file.
  // process.uptime() is monotonic (Date.now() can step back with the clock).
  let due = process.uptime() * 1000 + SIGNAL_LOOK_MS;
  for (const file of files) {
    if (process.uptime() * 1000 >= due) {
      await checkpoint(abort, target, existed);
      due = process.uptime() * 1000 + SIGNAL_LOOK_MS;
    }
    hooks.step?.('stage', file.path);
    // Checked relative POSIX paths: plain concatenation is the join, and cheaper per file.
    const path = `${staging}/${file.path}`;
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeNew(path, file.content, replaced.has(file.path) ? fileMode(`${target}/${file.path}`) : undefined);
  }
}

/** The permission bits of the regular file at `path`, if there is one. */
const fileMode = (path: string) => { const stat = lstatOrUndefined(path); return stat?.isFile() ? stat.mode & 0o7777 : undefined; };

/**
 * Write files into `target`. A missing target is created by one rename; an existing one (empty, or
 * with force) gets each file moved in, replaced files kept aside until everything is in place.
 */
export async function writeFiles(target: string, files: readonly RenderedFile[], state: TargetState, hooks: WriteHooks = {}): Promise<WriteResult> {
  const writer = state.writer ?? 'create';
  checkPaths(files);
  const abort: Cancel = {};
  track(abort);
  let createdParents: string[] = [];
  let staging: string | undefined;
  let keepStaging = false;
  // The staging folder goes first: the parents made for it are empty only once it is gone.
  const cleanUp = (failed: boolean) => {
    try {
      if (staging && !keepStaging) rmSync(staging, { recursive: true, force: true });
    } catch { /* best effort: the error being reported matters more */ }
    if (failed && !keepStaging) removeEmptyDirs(createdParents);
  };
  try {
    createdParents = makeParents(dirname(target));
    for (let home = stagingHome(target, state.exists); ; home = target) {
      staging = makeStaging(home, target, state.exists);
      await stage(staging, files, abort, target, state, hooks);
      await testPause(staging, files.length, abort);
      // Always a last look before the move, however short the write: a signal is seen only in a
      // turn of the event loop, and one still pending when the handlers go would be lost (exit 0,
      // not 130).
      await checkpoint(abort, target, state.exists);
      hooks.beforeMove?.();
      if (!state.exists) {
        renameSync(staging, target);
        staging = undefined;
        markCompleteRun();
        return { replaced: [] };
      }
      const moved = await moveInto(staging, target, files, abort, hooks);
      // A mount that stagingHome cannot see (a bind mount of the same device): a rename from
      // beside it fails (EXDEV), and the move was undone. Staged again, inside, once.
      if (!moved.ok && !moved.keep && errno(moved.error) === 'EXDEV' && dirname(staging) !== target) {
        rmSync(staging, { recursive: true, force: true });
        continue;
      }
      if (!moved.ok) { keepStaging = moved.keep; throw moved.error; }
      cleanUp(false);
      markCompleteRun();
      return { replaced: moved.replaced };
    }
  } catch (error) {
    cleanUp(true);
    if (error instanceof CliError) throw error;
    throw fsError(error, placeOf(error, target, staging), writer);
  } finally {
    untrack(abort);
  }
}

type MoveOutcome = { ok: true; replaced: string[] } | { ok: false; error: unknown; keep: boolean };

/** Move staged files into an existing folder; on failure or signal put every replaced file back. */
async function moveInto(staging: string, target: string, files: readonly RenderedFile[], abort: Cancel, hooks: WriteHooks): Promise<MoveOutcome> {
  const backup = join(staging, '.replaced');
  const moved: string[] = [];
  const replaced: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const file of files) {
      await checkpoint(abort, target, true);
      hooks.step?.('move', file.path);
      const from = join(staging, file.path);
      const to = join(target, file.path);
      const missing: string[] = [];
      for (let dir = dirname(to); !isDirectory(dir); dir = dirname(dir)) missing.unshift(dir);
      for (const dir of missing) { mkdirSync(dir); createdDirs.push(dir); }
      const existing = lstatOrUndefined(to);
      if (existing) {
        const kept = join(backup, file.path);
        mkdirSync(dirname(kept), { recursive: true });
        // Renamed aside, not copied, so a rollback puts back the very same file (inode, mtime).
        renameSync(to, kept);
        replaced.push(file.path);
      }
      renameSync(from, to);
      moved.push(file.path);
    }
    return { ok: true, replaced };
  } catch (error) {
    const lost = rollback(target, backup, moved, replaced, createdDirs);
    if (lost.length === 0) return { ok: false, error, keep: false };
    // Never delete the only copy of a user's file: leave the backup and say where it is.
    const message = `Writing into ${target} failed (${error instanceof CliError ? error.message : CAUSES[errno(error)] ?? (error as Error).message}) and ${lost.length} replaced file(s) could not be put back: ${lost.join(', ')}. They are kept in ${backup}; move them back into ${target} by hand.`;
    return { ok: false, error: workError('rollback_incomplete', message), keep: true };
  }
}

/** Undo a partial move; returns the replaced files that could not be restored. */
function rollback(target: string, backup: string, moved: string[], replaced: string[], createdDirs: string[]): string[] {
  for (const path of moved) { try { rmSync(join(target, path), { force: true }); } catch { /* restore below still runs */ } }
  const lost: string[] = [];
  for (const path of replaced) {
    try { renameSync(join(backup, path), join(target, path)); } catch { lost.push(path); }
  }
  removeEmptyDirs(createdDirs);
  return lost;
}
