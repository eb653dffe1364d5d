import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePaths } from '../src/plan.js';

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
});
