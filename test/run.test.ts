// How a cancel finds the processes below a command where it cannot read marks (no /proc: macOS, BSD).
import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../src/steps/run.js';

describe('descendantsOf', () => {
  it('finds children and their children, not the root, its parent or unrelated processes', () => {
    // 10 → 11 → 13, 10 → 12; 1 is 10's parent; 20 → 21 is another tree.
    const parents = new Map([[10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [21, 20]]);
    expect(descendantsOf(10, parents).sort()).toEqual([11, 12, 13]);
    expect(descendantsOf(13, parents)).toEqual([]);
  });

  it('ends on a table that loops (a number reused while ps ran)', () => {
    expect(descendantsOf(5, new Map([[6, 5], [5, 6]])).sort()).toEqual([6]);
  });
});
