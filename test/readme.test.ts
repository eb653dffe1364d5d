// The README's promises that a list can keep: every error code the source can give is documented.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** Every .ts file under src/, its text. */
function sources(): string[] {
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(ROOT, 'src', file), 'utf8'));
}

describe('the README', () => {
  it('lists every error code the source gives as a literal (a new code fails this test until it is documented)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('<!-- error-codes -->'), readme.indexOf('<!-- /error-codes -->'));
    // Codes are the backquoted snake_case words (`add`, a heading, is the command).
    const documented = new Set([...block.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]!).filter((word) => word !== 'add'));
    const given = new Set<string>();
    for (const text of sources()) {
      for (const m of text.matchAll(/(?:usageError|workError|new CliError)\(\s*'([a-z0-9_]+)'|\bcode: '([a-z0-9_]+)'/g)) given.add((m[1] ?? m[2])!);
    }
    // The computed ones: invalid_<flag>, invalid_/duplicate_<kind>, and write.ts's picks.
    for (const flag of ['dir', 'description', 'author', 'email', 'license', 'python', 'otai_version', 'build_backend', 'cwd']) given.add(`invalid_${flag}`);
    for (const kind of ['pipe', 'service']) { given.add(`invalid_${kind}`); given.add(`duplicate_${kind}`); }
    for (const code of ['target_is_file', 'symlink_loop']) given.add(code);
    expect(given.size).toBeGreaterThan(50);
    expect([...given].filter((code) => !documented.has(code)).sort()).toEqual([]);
    // And nothing documented that the source no longer gives.
    expect([...documented].filter((code) => !given.has(code) && !['fs_eacces', 'fs_erofs', 'fs_enospc'].includes(code)).sort()).toEqual([]);
  });
});
