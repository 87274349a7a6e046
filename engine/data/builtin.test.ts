import { describe, expect, it } from 'vitest';
import { loadDigits } from './digits.js';
import { loadMnist } from './mnist.js';
import { listDatasets, loadDataset } from './registry.js';
import { classBalance } from './split.js';
import { makeShapes } from './synthetic/shapes.js';
import { makeSine } from './synthetic/sine.js';
import { makeSpirals } from './synthetic/spirals.js';
import { DataError } from './types.js';

function minMax(a: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe('digits', () => {
  it('has 1797 8x8x1 samples in [0,1] over 10 classes', async () => {
    const ds = await loadDigits();
    expect(ds.count).toBe(1797);
    expect(ds.inputShape).toEqual([8, 8, 1]);
    expect(ds.x.length).toBe(1797 * 64);
    expect(ds.numClasses).toBe(10);
    expect(ds.isImage).toBe(true);
    expect(ds.task).toBe('classification');
    expect(minMax(ds.x)).toEqual([0, 1]);
    const bal = classBalance(ds);
    expect(bal).toHaveLength(10);
    expect(bal.every((c) => c > 150)).toBe(true);
    // First sample of sklearn's digits is a 0 whose row 0 is 0,0,5,13,9,1,0,0.
    expect(ds.y[0]).toBe(0);
    expect(Array.from(ds.x.subarray(0, 8)).map((v) => v * 16)).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
  });
});

describe('mnist', () => {
  // How fast it loads is a figure for npm run bench, not a pass/fail bound on a shared machine.
  it('loads 60k train and 10k test', async () => {
    const ds = await loadMnist();
    expect(ds.count).toBe(60000);
    expect(ds.test?.count).toBe(10000);
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.x.length).toBe(60000 * 784);
    expect(ds.test?.x.length).toBe(10000 * 784);
    expect(ds.numClasses).toBe(10);
    expect(ds.isImage).toBe(true);
    expect(minMax(ds.test!.x)).toEqual([0, 1]);
    expect(ds.y[0]).toBe(5); // the famous first training digit
  });
});

describe('synthetic sets', () => {
  const makers = [
    ['spirals', (seed: number) => makeSpirals({ count: 300, seed })],
    ['shapes', (seed: number) => makeShapes({ count: 60, seed })],
    ['sine', (seed: number) => makeSine({ count: 100, seed })],
  ] as const;
  for (const [name, make] of makers) {
    it(`${name}: same seed is identical, different seed differs`, () => {
      const a = make(7);
      const b = make(7);
      const c = make(8);
      expect(a.x).toEqual(b.x);
      expect(a.y).toEqual(b.y);
      expect(a.x).not.toEqual(c.x);
      expect(a.x.length).toBe(a.count * a.inputShape.reduce((p, d) => p * d, 1));
      expect(a.y.every((v) => Number.isFinite(v))).toBe(true);
    });
  }

  it('spirals has k balanced classes of 2-D points', () => {
    const ds = makeSpirals({ count: 500, classes: 5, seed: 1 });
    expect(ds.inputShape).toEqual([2]);
    expect(ds.numClasses).toBe(5);
    expect(classBalance(ds)).toEqual([100, 100, 100, 100, 100]);
    expect(makeSpirals().numClasses).toBe(3);
  });

  it('shapes are 28x28x1 images in [0,1], 3 classes', () => {
    const ds = makeShapes({ count: 30, seed: 3 });
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.isImage).toBe(true);
    expect(ds.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(classBalance(ds)).toEqual([10, 10, 10]);
    const [lo, hi] = minMax(ds.x);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    // Each image has a visible shape: a good share of bright pixels.
    for (let i = 0; i < ds.count; i++) {
      const img = ds.x.subarray(i * 784, (i + 1) * 784);
      expect(img.filter((v) => v > 0.5).length).toBeGreaterThan(20);
    }
  });

  it('sine targets are the next value of the sequence', () => {
    const ds = makeSine({ count: 50, steps: 20, seed: 2 });
    expect(ds.inputShape).toEqual([20, 1]);
    expect(ds.targetShape).toEqual([1]);
    expect(ds.task).toBe('regression');
    // The next value is reachable from the last ones: |y - x_T| stays small relative to amplitude.
    for (let i = 0; i < ds.count; i++) expect(Math.abs(ds.y[i] - ds.x[i * 20 + 19])).toBeLessThan(0.9);
    expect(makeSine({ count: 5, steps: 7 }).inputShape).toEqual([7, 1]);
  });
});

describe('registry', () => {
  it('lists the built-ins with shapes and tasks', () => {
    const list = listDatasets();
    expect(list.map((d) => d.name)).toEqual(['digits', 'mnist', 'spirals', 'shapes', 'sine']);
    const digits = list.find((d) => d.name === 'digits')!;
    expect(digits).toMatchObject({ inputShape: [8, 8, 1], task: 'classification', classes: 10, count: 1797 });
    expect(list.find((d) => d.name === 'sine')!.task).toBe('regression');
  });

  it('loads built-ins by spec with limit and seed', async () => {
    const d = await loadDataset('digits', { limit: 100, seed: 1 });
    expect(d.count).toBe(100);
    const s = await loadDataset('spirals:classes=4', { limit: 40, seed: 5 });
    expect(s.count).toBe(40);
    expect(s.numClasses).toBe(4);
    const again = await loadDataset('spirals:classes=4', { limit: 40, seed: 5 });
    expect(again.x).toEqual(s.x);
    expect((await loadDataset('sine:steps=5', { limit: 3 })).inputShape).toEqual([5, 1]);
    expect((await loadDataset('shapes', { limit: 6 })).count).toBe(6);
  });

  it('rejects unknown specs listing valid names', async () => {
    await expect(loadDataset('cifar')).rejects.toThrow(DataError);
    await expect(loadDataset('cifar')).rejects.toThrow(/digits, mnist, spirals, shapes, sine, idx:.*csv:PATH.*npy:.*images:DIR/);
    await expect(loadDataset('spirals:colour=3')).rejects.toThrow(/bad option/);
  });
});
