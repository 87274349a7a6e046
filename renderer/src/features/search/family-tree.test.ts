import { describe, expect, it } from 'vitest';
import { hasLineage, layoutFamily } from './family-tree.js';
import { trial } from './test-fixtures.js';

describe('family tree layout', () => {
  it('puts each child under its parent, one level deeper, with the changed decision', () => {
    const trials = [
      trial(0),
      trial(1),
      trial(2, { parent: 0, changed: 'head.filters' }),
      trial(3, { parent: 2, changed: 'stem.kernelSize' }),
      trial(4, { parent: 0, changed: 'head.filters' }),
      trial(5, { parent: 1, changed: 'stem.kernelSize' }),
    ];
    const rows = layoutFamily(trials);
    expect(rows.map((r) => [r.trialId, r.depth, r.parentRow])).toEqual([
      [0, 0, null],
      [2, 1, 0],
      [3, 2, 1],
      [4, 1, 0],
      [1, 0, null],
      [5, 1, 4],
    ]);
    expect(rows[1].change).toBe('head.filters=48');
    expect(hasLineage(trials)).toBe(true);
    expect(hasLineage(trials.slice(0, 2))).toBe(false);
  });

  it('treats a trial whose parent is not listed as a root, and survives deep lineages and cycles', () => {
    expect(layoutFamily([trial(7, { parent: 3 })])).toMatchObject([{ trialId: 7, depth: 0, parentRow: null }]);
    const chain = Array.from({ length: 20_000 }, (_, i) => trial(i, { parent: i === 0 ? null : i - 1 }));
    const rows = layoutFamily(chain);
    expect(rows.at(-1)).toMatchObject({ trialId: 19_999, depth: 19_999, parentRow: 19_998 });
    const cycle = layoutFamily([trial(1, { parent: 2 }), trial(2, { parent: 1 })]);
    expect(cycle.map((r) => r.trialId).sort()).toEqual([1, 2]);
  });
});
