// Rendered files → disk, atomically. Files are written into a staging folder beside the target
// (same file system, so renames are atomic) and moved into place only when all were written.
// On any failure or signal the staging folder is removed and the target is left as it was.
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { usageError, workError } from './errors.js';
import type { RenderedFile } from './render.js';

export interface TargetState {
  exists: boolean;
  /** Existing files the plugin would replace (relative paths). */
  conflicts: string[];
  /** The target existed with entries in it. */
  nonEmpty: boolean;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/** Look at the target before anything is written; refuse what can never work. */
export function inspectTarget(target: string, files: readonly RenderedFile[]): TargetState {
  // A path component that is a file, or a symlink on the way, is a user error with a clear fix.
  let probe = target;
  const parents: string[] = [];
  while (dirname(probe) !== probe) { parents.unshift(probe); probe = dirname(probe); }
  for (const path of parents) {
    let stat;
    try { stat = lstatSync(path); } catch (error) {
      if (errno(error) === 'ENOENT') break;
      if (errno(error) === 'ENAMETOOLONG') throw usageError('name_too_long', `The path ${target} is too long for the file system; choose a shorter --dir.`);
      if (errno(error) === 'EACCES') throw usageError('not_writable', `Cannot read ${path} (permission denied); choose another --dir.`);
      throw error;
    }
    if (path === target && stat.isSymbolicLink()) {
      throw usageError('target_is_symlink', `${target} is a symbolic link; pass the real folder with --dir so nothing is written through the link.`);
    }
    if (stat.isSymbolicLink() && !statSync(path).isDirectory()) {
      throw usageError('path_not_directory', `${path} is a link to something that is not a folder; choose another --dir.`);
    }
    if (!stat.isSymbolicLink() && !stat.isDirectory()) {
      throw usageError(path === target ? 'target_is_file' : 'path_not_directory', `${path} is a file, not a folder; choose another --dir or move the file.`);
    }
  }
  let entries: string[];
  try { entries = readdirSync(target); } catch (error) {
    if (errno(error) === 'ENOENT') return { exists: false, conflicts: [], nonEmpty: false };
    if (errno(error) === 'ENAMETOOLONG') throw usageError('name_too_long', `The path ${target} is too long for the file system; choose a shorter --dir.`);
    throw error;
  }
  const conflicts = files.map((f) => f.path).filter((p) => { try { lstatSync(join(target, p)); return true; } catch { return false; } });
  return { exists: true, conflicts, nonEmpty: entries.length > 0 };
}

/** Staging folders alive in this process, removed by the signal handlers. */
const live = new Set<() => void>();
let handlersInstalled = false;
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      // After a write has finished (during git or uv sync) the plugin is on disk: say only "Cancelled".
      const undone = live.size > 0;
      for (const undo of live) undo();
      process.stderr.write(undone ? '\nCancelled: nothing was written.\n' : '\nCancelled.\n');
      process.exit(code);
    });
  }
}

function fsError(error: unknown, where: string): Error {
  const code = errno(error);
  const hint: Record<string, string> = {
    EACCES: 'permission denied; choose a folder you can write to with --dir',
    EPERM: 'operation not permitted; choose a folder you can write to with --dir',
    EROFS: 'the file system is read-only; choose another --dir',
    ENOSPC: 'the disk is full; free some space and run again',
    EDQUOT: 'the disk quota is exhausted; free some space and run again',
    ENAMETOOLONG: 'a name is too long for the file system; choose a shorter plugin name or --dir',
    ENOTDIR: 'a part of the path is a file, not a folder; choose another --dir',
    EEXIST: 'something appeared at the target while writing; run again',
  };
  return workError(`fs_${code.toLowerCase() || 'error'}`, `Could not write ${where}: ${hint[code] ?? (error as Error).message}. Nothing was changed.`);
}

export interface WriteResult { replaced: string[] }

/**
 * Write files into `target`. A missing target is created by one rename; an existing one (empty, or
 * with force) gets each file moved in, replaced files kept aside until everything is in place.
 */
export function writeFiles(target: string, files: readonly RenderedFile[], state: TargetState, hooks: { beforeMove?: () => void } = {}): WriteResult {
  installSignalHandlers();
  const parent = dirname(target);
  const createdParents: string[] = [];
  let staging: string | undefined;
  const undoParents = () => { for (const dir of createdParents.reverse()) { try { rmdirSync(dir); } catch { /* not empty: not ours to remove */ } } };
  const undoStaging = () => { if (staging) rmSync(staging, { recursive: true, force: true }); staging = undefined; };
  const undo = () => { undoStaging(); undoParents(); };
  live.add(undo);
  try {
    // Create missing parents one by one, remembering them so a failure removes only what we made.
    const missing: string[] = [];
    for (let dir = parent; ; dir = dirname(dir)) {
      try { statSync(dir); break; } catch (error) { if (errno(error) !== 'ENOENT' || dirname(dir) === dir) throw error; missing.unshift(dir); }
    }
    for (const dir of missing) { mkdirSync(dir); createdParents.push(dir); }
    staging = mkdtempSync(join(parent, `.${basename(target).slice(0, 64)}.create-otai-plugin-`));
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { flag: 'wx' });
    }
    hooks.beforeMove?.();
    if (!state.exists) {
      renameSync(staging, target);
      staging = undefined;
      return { replaced: [] };
    }
    return moveInto(staging, target, files);
  } catch (error) {
    undo();
    if (error instanceof Error && error.name === 'CliError') throw error;
    throw fsError(error, target);
  } finally {
    undoStaging();
    live.delete(undo);
  }
}

/**
 * Move staged files into an existing folder; on failure put every replaced file back. A replaced
 * regular file is copied aside and then overwritten by one rename, so its path is never missing
 * or half-written, even if the process dies in between (`add` rewrites plugin_factory.py this way).
 */
function moveInto(staging: string, target: string, files: readonly RenderedFile[]): WriteResult {
  const backup = join(staging, '.replaced');
  const moved = new Set<string>();
  const copied = new Set<string>();
  const setAside = new Set<string>();
  const createdDirs: string[] = [];
  try {
    for (const file of files) {
      const from = join(staging, file.path);
      const to = join(target, file.path);
      for (let dir = dirname(to), stack: string[] = []; ; dir = dirname(dir)) {
        try { statSync(dir); for (const d of stack.reverse()) { mkdirSync(d); createdDirs.push(d); } break; } catch { stack.push(dir); }
      }
      let existing;
      try { existing = lstatSync(to); } catch (error) { if (errno(error) !== 'ENOENT') throw error; }
      if (existing) {
        const kept = join(backup, file.path);
        mkdirSync(dirname(kept), { recursive: true });
        if (existing.isFile()) {
          copyFileSync(to, kept);
          chmodSync(from, existing.mode & 0o7777);
          copied.add(file.path);
        } else {
          // A link or a folder where the plugin puts a file: set it aside whole.
          renameSync(to, kept);
          setAside.add(file.path);
        }
      }
      renameSync(from, to);
      moved.add(file.path);
    }
    return { replaced: files.map((f) => f.path).filter((p) => copied.has(p) || setAside.has(p)) };
  } catch (error) {
    for (const path of moved) if (!copied.has(path)) rmSync(join(target, path), { force: true, recursive: false });
    for (const path of copied) if (moved.has(path)) renameSync(join(backup, path), join(target, path));
    for (const path of setAside) renameSync(join(backup, path), join(target, path));
    for (const dir of createdDirs.reverse()) { try { rmdirSync(dir); } catch { /* keep */ } }
    throw error;
  }
}

export const isInside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
