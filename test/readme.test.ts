// The README's promises that a list can keep: every error code the source can give is documented.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/options/schema.js';
import { ROOT } from './helpers/cli.js';

/** Every .ts file under src/: its path below src/ and its text. */
function sources(): [string, string][] {
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [file, readFileSync(join(ROOT, 'src', file), 'utf8')]);
}

/**
 * Error calls whose code is not one literal, each with the codes it can give. A new call of this
 * kind fails the test until it is listed here (and its codes in the README).
 */
const COMPUTED: Record<string, string[]> = {
  // valid(): a flag's check (the options with a validator or choices).
  // (Its first argument holds a comma: matched up to it.)
  "`invalid_${OPTIONS[key].flag.replaceAll('-'": Object.values(OPTIONS)
    .filter((spec) => 'validate' in spec || 'choices' in spec)
    .map((spec) => `invalid_${spec.flag.replaceAll('-', '_')}`),
  '`invalid_${kind}`': ['invalid_pipe', 'invalid_service'],
  '`duplicate_${kind}`': ['duplicate_pipe', 'duplicate_service'],
  "path === target ? 'target_is_file' : 'path_not_directory'": ['target_is_file', 'path_not_directory'],
  // probeError's picks by errno.
  id: ['name_too_long', 'path_not_directory', 'symlink_loop'],
  // fs_<errno>, documented as a family.
  'fsCode(error)': [],
  // usageError and workError themselves.
  code: [],
};

describe('the README', () => {
  it('lists every error code the source gives (a new code, or a new way of making one, fails this test until it is documented)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('<!-- error-codes -->'), readme.indexOf('<!-- /error-codes -->'));
    // Codes are the backquoted snake_case words (`add`, a heading, is the command).
    const documented = new Set([...block.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]!).filter((word) => word !== 'add'));
    const given = new Set<string>();
    const unknown: string[] = [];
    for (const [file, text] of sources()) {
      for (const m of text.matchAll(/(?:usageError|workError|new CliError)\(\s*([^,]+),/g)) {
        const first = m[1]!.trim();
        const literal = /^(['"])([a-z0-9_]+)\1$/.exec(first);
        if (literal) given.add(literal[2]!);
        else if (Object.hasOwn(COMPUTED, first)) for (const code of COMPUTED[first]!) given.add(code);
        else unknown.push(`${file}: ${first}`);
      }
      for (const m of text.matchAll(/\bcode: (['"])([^'"]+)\1/g)) given.add(m[2]!);
    }
    expect(unknown).toEqual([]);
    expect(given.size).toBeGreaterThan(50);
    expect([...given].filter((code) => !documented.has(code)).sort()).toEqual([]);
    // And nothing documented that the source no longer gives (the fs_ examples aside).
    expect([...documented].filter((code) => !given.has(code) && !code.startsWith('fs_')).sort()).toEqual([]);
  });
});
