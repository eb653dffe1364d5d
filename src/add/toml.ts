// TOML as add reads it from a plugin's configuration files (pyproject.toml, ruff's, pytest's).
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

export type Table = Record<string, unknown>;
export const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A TOML file's table; 'missing' when it cannot be read, 'invalid' when it is not TOML. */
export function readToml(path: string): Table | 'missing' | 'invalid' {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return 'missing'; }
  try { return parse(text) as Table; } catch { return 'invalid'; }
}
