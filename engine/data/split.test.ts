import { describe, expect, it } from 'vitest';
import { batchGather, batchSlice, classBalance, previewSamples, splitValidation, subset } from './split.js';
import { makeSine } from './synthetic/sine.js';
import type { Dataset } from './types.js';

/** 100 samples of 2 features where x = [i, -i]; classes 0/1/2 unbalanced (60/30/10). */
function toy(): Dataset {
  const count = 100;
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
    y[i] = i < 60 ? 0 : i < 90 ? 1 : 2;
  }
  return { name: 'toy', task: 'classification', count, inputShape: [2], x, y, targetShape: [], numClasses: 3, classNames: ['a', 'b', 'c'] };
}

const ids = (d: Dataset) => Array.from({ length: d.count }, (_, i) => d.x[2 * i]);

describe('splitValidation', () => {
  it('is deterministic, disjoint, complete and stratified', () => {
    const ds = toy();
    const a = splitValidation(ds, 0.2, 11);
    const b = splitValidation(ds, 0.2, 11);
    const c = splitValidation(ds, 0.2, 12);
    expect(a.val.x).toEqual(b.val.x);
    expect(a.train.x).toEqual(b.train.x);
    expect(ids(a.val)).not.toEqual(ids(c.val));
    expect(a.val.count).toBe(20);
    expect(a.train.count).toBe(80);
    const tr = new Set(ids(a.train));
    expect(ids(a.val).some((i) => tr.has(i))).toBe(false);
    expect(new Set([...tr, ...ids(a.val)]).size).toBe(100);
    expect(classBalance(a.val)).toEqual([12, 6, 2]);
    // Labels travel with their samples.
    for (let k = 0; k < a.val.count; k++) expect(a.val.y[k]).toBe(ds.y[a.val.x[2 * k]]);
  });

  it('splits regression sets and keeps the test split on train', () => {
    const ds = makeSine({ count: 50, seed: 1 });
    ds.test = makeSine({ count: 5, seed: 2 });
    const { train, val } = splitValidation(ds, 0.1, 3);
    expect(val.count).toBe(5);
    expect(train.count).toBe(45);
    expect(train.test?.count).toBe(5);
    expect(val.test).toBeUndefined();
  });
});

describe('subset, batches and summaries', () => {
  it('subset is seeded, sized and ordered', () => {
    const ds = toy();
    const s = subset(ds, 10, 4);
    expect(s.count).toBe(10);
    expect(subset(ds, 10, 4).x).toEqual(s.x);
    const order = ids(s);
    expect([...order].sort((p, q) => p - q)).toEqual(order);
    expect(subset(ds, 500, 1)).toBe(ds);
  });

  it('copies ranges and index lists into batches', () => {
    const ds = toy();
    const b = batchSlice(ds, 3, 6);
    expect(Array.from(b.x)).toEqual([3, -3, 4, -4, 5, -5]);
    expect(b.count).toBe(3);
    const g = batchGather(ds, [95, 0]);
    expect(Array.from(g.x)).toEqual([95, -95, 0, -0]);
    expect(Array.from(g.y)).toEqual([2, 0]);
    const reuse = { x: new Float32Array(20), y: new Float32Array(10), count: 0 };
    expect(batchSlice(ds, 98, 200, reuse).count).toBe(2);
    expect(() => batchGather(ds, [100])).toThrow(/sample index 100/);
  });

  it('counts classes and previews every class first', () => {
    const ds = toy();
    expect(classBalance(ds)).toEqual([60, 30, 10]);
    const p = previewSamples(ds, 4);
    expect(p.map((s) => s.label)).toEqual(['a', 'b', 'c', 'a']);
    expect(p[1]).toMatchObject({ index: 60, x: [60, -60], y: 1 });
    const r = previewSamples(makeSine({ count: 3 }), 5);
    expect(r).toHaveLength(3);
    expect(r[0].x).toHaveLength(20);
  });
});
