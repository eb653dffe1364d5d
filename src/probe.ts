// Probes for paths that may well not exist: they answer, they never throw. throwIfNoEntry: a
// missing path costs no exception (building one costs more than the probe); any other error
// (no permission, a file where a folder was expected) also reads as "not there".
import { lstatSync, statSync, type Stats } from 'node:fs';

export const lstatOrUndefined = (path: string): Stats | undefined => { try { return lstatSync(path, { throwIfNoEntry: false }); } catch { return undefined; } };
export const isFile = (path: string): boolean => { try { return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false; } catch { return false; } };
export const isDirectory = (path: string): boolean => { try { return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false; } catch { return false; } };
