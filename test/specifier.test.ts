// --python and --otai-version are checked against what the runtime needs: a specifier must admit a
// Python 3.14 and nothing older, an open-ticket-ai range a proven 1.x release and no 2.x.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlag } from '../src/options/resolve.js';
import { admits, admitsAnyIn, isSpecifier } from '../src/specifier.js';

describe('--python', () => {
  it.each([
    '>=3.14', '>=3.14.1', '>3.14', '~=3.14', '==3.14.*', '>=3.14,<3.15', '>=3.14,!=3.14.1',
    '>=3.14.dev0', '>=3.14.0.post1', '>=3.14rc1', '>=3.14,!=3.14.9',
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
    // Later patches only, none of them released: uv would find no Python to use.
    ['>=3.14.99', /admits no Python 3.14 released so far \(3\.14\.0 to 3\.14\.10, the newest known here\)/],
    ['~=3.14.30', /admits no Python 3.14 released so far/],
    // .python-version asks uv for 3.14, and uv stops when the one it finds is excluded (QA report).
    ['>=3.14,!=3.14.10', /excludes Python 3\.14\.10, the newest 3\.14 known here/],
    ['>=3.14,!=3.14.10,!=3.14.9', /excludes Python 3\.14\.10/],
  ])('refuses %s', (v, message) => {
    expect(checkFlag('python', v)).toMatch(message);
  });
});

describe('--otai-version', () => {
  it('refuses a range that admits any 2.x, not only 2.0.0', () => {
    expect(checkFlag('otaiVersion', '>=1.4.21,!=2.0.0')).toMatch(/admits 2.x/);
    expect(checkFlag('otaiVersion', '>=1.4.21,<2')).toBeUndefined();
    // 2.0.0 comes before its post-release, so this bound still admits it.
    expect(checkFlag('otaiVersion', '>=1.4.21,<2.0.0.post1')).toMatch(/admits 2.x/);
    // QA report: this one excludes 2.x, and was said to admit it.
    expect(checkFlag('otaiVersion', '!=2.*,>=1.4.21')).toMatch(/admits 3\.x, newer than the 1\.x .*keep it below 2\.0/);
    expect(checkFlag('otaiVersion', '!=2.*,!=3.*,>=1.4.21')).toMatch(/admits 4\.x, newer/);
    expect(checkFlag('otaiVersion', '>=1.4.21,!=2.*,<3.5')).toMatch(/admits 3\.x, newer/);
    expect(checkFlag('otaiVersion', '>=1.4.21,<2.0.0rc1')).toBeUndefined();
  });

  it('refuses a range whose proven versions uv cannot install (1.5.x: its dependencies do not resolve)', () => {
    for (const v of ['==1.5.14', '>=1.5.14,<2', '~=1.5.14', '>=1.4.22,<2', '>1.4.21,<2', '==1.5.*', '>=1.4.21,!=1.4.21,<2']) {
      expect(checkFlag('otaiVersion', v), v).toMatch(/admits none of the versions .* uv can install \(1\.4\.21; 1\.4\.22 to 1\.5\.x depend on otai-zammad/);
    }
    for (const v of ['>=1.4.21,<2', '==1.4.21', '~=1.4.21', '>=1.4,<2']) expect(checkFlag('otaiVersion', v), v).toBeUndefined();
  });

  it('refuses a local version, which matches no published release', () => {
    expect(checkFlag('otaiVersion', '==1.4.21+local')).toMatch(/admits none of the versions/);
  });
});

describe('PEP 440 suffixes, local labels and epochs', () => {
  // Expected: what packaging 26.4's SpecifierSet(spec).contains(v) answered for each of these
  // releases, run when this table was written.
  const RELEASES = ['0.9', '1.0', '1.4', '1.4.21', '1.5.14', '2.0', '2.0.0', '2.0.1', '2.1', '3.0'];
  it.each([
    ['>=1.4.21,<2.0.0.post1', ['1.4.21', '1.5.14', '2.0', '2.0.0']],
    ['==1.4.21+local', []],
    ['!=1.4.21+local', RELEASES],
    ['<2.0.0.post1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14', '2.0', '2.0.0']],
    ['<=2.0.0.post1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14', '2.0', '2.0.0']],
    ['>2.0.0.post1', ['2.0.1', '2.1', '3.0']],
    ['<2.0.0rc1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14']],
    ['<=2.0.0rc1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14']],
    ['>2.0.0.dev0', ['2.0', '2.0.0', '2.0.1', '2.1', '3.0']],
    ['==2.0.0.post1', []],
    ['~=1.4.post1', ['1.4.21', '1.5.14']],
    ['<1!0', RELEASES],
    ['>=1!0', []],
    ['===1.4.21', ['1.4.21']],
    ['===2.0', ['2.0']],
    ['===v1.4.21', []],
    ['===0!1.4.21', []],
    ['<2.0.0-1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14', '2.0', '2.0.0']],
    ['>=2.0a', ['2.0', '2.0.0', '2.0.1', '2.1', '3.0']],
    ['>2.0.0.post1.dev1', ['2.0.1', '2.1', '3.0']],
    ['<2.0rc1.post1', ['0.9', '1.0', '1.4', '1.4.21', '1.5.14']],
  ])('%s admits what packaging says', (spec, expected) => {
    expect(RELEASES.filter((v) => admits(spec as string, v))).toEqual(expected);
  });

  it('reads as a specifier only what PEP 440 allows', () => {
    for (const valid of ['==1+x', '!=1.0+x', '>=1!2.0', '>=v1.0', '== 3.14', '~=1.0rc1', '==1.0.0-1', '==1.0.*']) expect(isSpecifier(valid), valid).toBe(true);
    for (const invalid of ['>=3.14.*', '~=3', '>=1+x', '<=1.0.*', '~=1.0.*', '>=3.14 .*', '3.14', '>=3.14,', '>=3.14;', '==1.0.post1.*', '!=3.14.0rc1.*', '==1.0.dev1.*']) expect(isSpecifier(invalid), invalid).toBe(false);
    expect(checkFlag('python', '>=3.14.*')).toMatch(/not a PEP 440 version specifier/);
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
