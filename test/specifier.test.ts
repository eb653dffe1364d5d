// --python and --otai-version are checked against what the runtime needs: a specifier must admit a
// Python 3.14 and nothing older, an open-ticket-ai range a proven 1.x release and no 2.x.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlag } from '../src/options/resolve.js';
import { admits, admitsAnyIn } from '../src/specifier.js';

describe('--python', () => {
  it.each([
    '>=3.14', '>=3.14.1', '>3.14', '~=3.14', '==3.14.*', '>=3.14,<3.15', '>=3.14,!=3.14.1',
    '>=3.14.dev0', '>=3.14.0.post1', '>=3.14rc1',
  ])('accepts %s (it admits a 3.14 and nothing older)', (v) => {
    expect(checkFlag('python', v)).toBeUndefined();
  });

  it.each([
    ['>=3.12,!=3.13.*', /admits Python older than 3.14/],
    ['!=3.13.*', /admits Python older than 3.14/],
    ['>=3.0,!=3.13.*', /admits Python older than 3.14/],
    ['<4', /admits Python older than 3.14/],
    ['~=3.13', /admits Python older than 3.14/],
    ['>=3.15', /excludes every Python 3.14/],
    ['==3.15.*', /excludes every Python 3.14/],
    ['>=3.14,<3.14', /excludes every Python 3.14/],
    ['==3.14', /admits only early 3.14 patch releases/],
    ['===3.14', /admits only early 3.14 patch releases/],
    ['>=3.14,<3.14.5', /admits only early 3.14 patch releases/],
  ])('refuses %s', (v, message) => {
    expect(checkFlag('python', v)).toMatch(message);
  });
});

describe('--otai-version', () => {
  it('refuses a range that admits any 2.x, not only 2.0.0', () => {
    expect(checkFlag('otaiVersion', '>=1.4.21,!=2.0.0')).toMatch(/admits 2.x/);
    expect(checkFlag('otaiVersion', '>=1.4.21,<2')).toBeUndefined();
  });
});

// The oracle: every version of up to four parts on a grid fine enough to fall between any two
// boundaries the generated clauses can have.
const GRID: string[] = [];
for (let a = 0; a <= 4; a++) for (let b = 0; b <= 5; b++) for (let c = 0; c <= 3; c++) for (let d = 0; d <= 1; d++) GRID.push(`${a}.${b}.${c}.${d}`);
const older = (x: string, y: string) => {
  const p = x.split('.').map(Number);
  const q = y.split('.').map(Number);
  for (let i = 0; i < Math.max(p.length, q.length); i++) if ((p[i] ?? 0) !== (q[i] ?? 0)) return (p[i] ?? 0) < (q[i] ?? 0);
  return false;
};

describe('admitsAnyIn', () => {
  const version = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }))
    .map(([a, b, c]) => (c === undefined ? `${a}.${b}` : `${a}.${b}.${c}`));
  const clause = fc.oneof(
    fc.tuple(fc.constantFrom('==', '!=', '<=', '>=', '<', '>', '~='), version).map(([op, v]) => `${op}${v}`),
    fc.tuple(fc.constantFrom('==', '!='), version).map(([op, v]) => `${op}${v}.*`),
  );
  const specifier = fc.array(clause, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(','));

  it('agrees with trying every version of a fine grid', () => {
    fc.assert(fc.property(specifier, version, version, (spec, x, y) => {
      const [from, to] = older(y, x) ? [y, x] : [x, y];
      const expected = GRID.some((v) => !older(v, from) && older(v, to) && admits(spec, v));
      expect(admitsAnyIn(spec, from, to)).toBe(expected);
      expect(admitsAnyIn(spec, from)).toBe(GRID.some((v) => !older(v, from) && admits(spec, v)) || admits(spec, '99'));
    }), { numRuns: 2000 });
  });
});
