import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePaths, componentImports, naturalCompare, sortByPath } from '../src/plan.js';
import type { Component } from '../src/naming.js';

// comparePaths replaces String#localeCompare (whose ICU collator was the costliest step of a run);
// the listed file order must not change, and must not depend on the user's locale.
describe('generated file order', () => {
  const pathChar = fc.constantFrom(...'aAbBmMzZ0189_-./');
  const path = fc.string({ unit: pathChar, minLength: 0, maxLength: 12 });

  it('is the order localeCompare gives in English, for every path the generator can produce', () => {
    fc.assert(fc.property(path, path, (a, b) => {
      expect(Math.sign(comparePaths(a, b))).toBe(Math.sign(a.localeCompare(b, 'en')));
    }), { numRuns: 20_000 });
  });

  it('sorts a plugin tree as a file browser lists it', () => {
    const tree = ['tests/unit/test_x.py', 'README.md', '.gitignore', 'src/otai_x/__init__.py', 'LICENSE', 'pyproject.toml', '.github/workflows/ci.yml', 'src/otai_x/pipes/a10_pipe.py', 'src/otai_x/pipes/a2_pipe.py', 'CHANGELOG.md'];
    expect([...tree].sort(comparePaths)).toEqual([
      '.github/workflows/ci.yml', '.gitignore', 'CHANGELOG.md', 'LICENSE', 'pyproject.toml', 'README.md',
      'src/otai_x/__init__.py', 'src/otai_x/pipes/a10_pipe.py', 'src/otai_x/pipes/a2_pipe.py', 'tests/unit/test_x.py',
    ]);
  });

  it('is the same when sorted by sortByPath, for any text, case and non-ASCII included', () => {
    // Characters from every class of the order: the table, other ASCII, Latin-1, surrogates, U+FFFF.
    const anyChar = fc.constantFrom(...'aAzZ09_-./ !~`{\u0000\u007f\u00e9\u00c9\u4e2d\ud83d\ude00\uffff\ufffe');
    const anyPath = fc.string({ unit: anyChar, maxLength: 10 });
    // Paths of the table's characters take the quick keys; any other character, the comparison.
    const tablePath = fc.string({ unit: fc.constantFrom(...'aAbBzZyY0189_-./'), maxLength: 10 });
    for (const arb of [tablePath, anyPath]) {
      fc.assert(fc.property(fc.uniqueArray(arb, { maxLength: 30 }), (paths) => {
        const byKeys = sortByPath(paths.map((path) => ({ path }))).map((f) => f.path);
        expect(byKeys).toEqual([...paths].sort(comparePaths));
      }), { numRuns: 3000 });
    }
  });

  it('orders modules as ruff 0.17.6 sorted them (`ruff check --select I --fix`, first-party)', () => {
    // Recorded from ruff: `.` sorts before a digit, a run with a leading zero compares digit by
    // digit (step010 < step02 < step1 < step10), long runs as numbers, a case-only tie by case.
    const ruffOrder = [
      'pkg.a9', 'pkg.a10', 'pkg.a_b', 'pkg.ab', 'pkg.ALPHA', 'pkg.alpha', 'pkg.route.core', 'pkg.route2_pipe',
      'pkg.s0', 'pkg.s00', 'pkg.s000a', 'pkg.step010', 'pkg.step02_pipe', 'pkg.step1_pipe', 'pkg.step10',
      'pkg.x99999999999999999998', 'pkg.x99999999999999999999', 'pkg.Zeta',
    ];
    expect([...ruffOrder].reverse().sort(naturalCompare)).toEqual(ruffOrder);
    expect([...ruffOrder].sort().sort(naturalCompare)).toEqual(ruffOrder);
  });

  it('sorts factory imports as naturalCompare does', () => {
    // Stems as create makes them: lower-case letters, digits (leading zeros too) and `_`.
    const stem = fc.string({ unit: fc.constantFrom(...'ab_z102900'), minLength: 1, maxLength: 8 });
    // Modules with digits too: the shared part must not change the order of the stems.
    const module = fc.constantFrom('otai_x', 'otai_x2', 'otai_10', 'otai_a0b');
    fc.assert(fc.property(module, fc.array(fc.tuple(fc.constantFrom('pipe' as const, 'service' as const), stem), { maxLength: 25 }), (mod, parts) => {
      const components = parts.map(([kind, s]) => ({ kind, stem: s, className: `C${s}` }) as Component);
      const expected = components.map((c) => `${mod}.${c.kind === 'pipe' ? 'pipes' : 'services'}.${c.stem}`).sort(naturalCompare);
      expect(componentImports(mod, components).map((i) => i.from)).toEqual(expected);
    }), { numRuns: 2000 });
  });

  it('sorts factory imports as naturalCompare does with digit runs of any length', () => {
    // Runs up to 46 digits take the quick keys, longer ones naturalCompare itself.
    const run = fc.oneof(fc.constantFrom('0', '00', '1', '9'), fc.integer({ min: 40, max: 50 }).chain((n) => fc.constantFrom('0', '1', '9').map((d) => d.repeat(n))));
    const stem = fc.array(fc.oneof(fc.constantFrom('a', '_', 'z'), run), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.uniqueArray(stem, { maxLength: 12 }), (stems) => {
      const components = stems.map((s) => ({ kind: 'pipe', stem: s, className: `C${s}` }) as Component);
      const expected = stems.map((s) => `otai_x.pipes.${s}`).sort(naturalCompare);
      expect(componentImports('otai_x', components).map((i) => i.from)).toEqual(expected);
    }), { numRuns: 2000 });
  });
});
