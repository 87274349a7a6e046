/**
 * Dataset slicing: seeded validation splits and subsets, batch copies, and small summaries
 * (class balance, preview samples) for the UI. All operations copy; inputs are not mutated.
 */
import { Rng } from '../util/rng.js';
import { shapeSize } from './common.js';
import { DataError, type Dataset } from './types.js';

/** Values per sample in `x`. */
export function featureSize(ds: Pick<Dataset, 'inputShape'>): number {
  return shapeSize(ds.inputShape);
}

/** Values per sample in `y` (1 for class indices). */
export function targetSize(ds: Pick<Dataset, 'targetShape'>): number {
  return shapeSize(ds.targetShape);
}

/** A batch copied out of a dataset. */
export interface Batch {
  x: Float32Array;
  y: Float32Array;
  /** Samples in the batch. */
  count: number;
}

/**
 * Copies samples `start..end` (end exclusive) into a batch. Pass `out` to reuse buffers across
 * steps; they must be at least the batch size and the returned views are trimmed to fit.
 */
export function batchSlice(ds: Omit<Dataset, 'test'>, start: number, end: number, out?: Batch): Batch {
  const s = Math.max(0, start);
  const e = Math.min(ds.count, end);
  const n = Math.max(0, e - s);
  const fx = featureSize(ds);
  const fy = targetSize(ds);
  const x = out ? out.x.subarray(0, n * fx) : new Float32Array(n * fx);
  const y = out ? out.y.subarray(0, n * fy) : new Float32Array(n * fy);
  x.set(ds.x.subarray(s * fx, e * fx));
  y.set(ds.y.subarray(s * fy, e * fy));
  return { x, y, count: n };
}

/** Copies the samples at `indices` (any order, repeats allowed) into a batch. */
export function batchGather(ds: Omit<Dataset, 'test'>, indices: ArrayLike<number>, out?: Batch): Batch {
  const n = indices.length;
  const fx = featureSize(ds);
  const fy = targetSize(ds);
  const x = out ? out.x.subarray(0, n * fx) : new Float32Array(n * fx);
  const y = out ? out.y.subarray(0, n * fy) : new Float32Array(n * fy);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < ds.count)) throw new DataError(`${ds.name}: sample index ${i} out of range 0..${ds.count - 1}`, ds.name, `sample ${i}`);
    x.set(ds.x.subarray(i * fx, (i + 1) * fx), k * fx);
    if (fy === 1) y[k] = ds.y[i];
    else y.set(ds.y.subarray(i * fy, (i + 1) * fy), k * fy);
  }
  return { x, y, count: n };
}

/** A new dataset holding the given samples (in that order); metadata is kept, `test` dropped. */
export function selectSamples(ds: Omit<Dataset, 'test'>, indices: ArrayLike<number>, name = ds.name): Dataset {
  const { x, y, count } = batchGather(ds, indices);
  const { test: _test, ...meta } = ds as Dataset;
  return { ...meta, name, x, y, count };
}

/** Sample indices grouped by class (classification) or one group (regression). */
function groups(ds: Omit<Dataset, 'test'>): number[][] {
  if (ds.task !== 'classification') return [Array.from({ length: ds.count }, (_, i) => i)];
  const k = ds.numClasses ?? 0;
  const out: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < ds.count; i++) {
    const c = ds.y[i];
    (out[c] ??= []).push(i);
  }
  return out.filter((g) => g !== undefined);
}

/**
 * Seeded train/validation split. Classification splits are stratified: each class puts the
 * same fraction into validation, so rare classes are represented on both sides. The train
 * side keeps the shipped `test` split, if any. Both sides are shuffled.
 */
export function splitValidation(ds: Dataset, fraction: number, seed: number): { train: Dataset; val: Dataset } {
  if (!(fraction >= 0 && fraction < 1)) throw new DataError(`${ds.name}: validation fraction must be in [0, 1), got ${fraction}`);
  const rng = new Rng(seed);
  const train: number[] = [];
  const val: number[] = [];
  const target = Math.round(ds.count * fraction);
  for (const g of groups(ds)) {
    rng.shuffle(g);
    const nv = Math.round(g.length * fraction);
    val.push(...g.slice(0, nv));
    train.push(...g.slice(nv));
  }
  // Per-class rounding can miss the overall target (many tiny classes); move the difference.
  while (val.length < target && train.length > 1) val.push(train.splice(rng.int(train.length), 1)[0]);
  while (val.length > target && val.length > 0) train.push(val.splice(rng.int(val.length), 1)[0]);
  rng.shuffle(train);
  rng.shuffle(val);
  const t = selectSamples(ds, train);
  if (ds.test) t.test = ds.test;
  return { train: t, val: selectSamples(ds, val, `${ds.name} (val)`) };
}

/**
 * A seeded random subset of at most `limit` samples, kept in original order. Returns `ds`
 * itself when it is already small enough. The `test` split is limited the same way.
 */
export function subset(ds: Dataset, limit: number, seed: number): Dataset {
  if (!Number.isInteger(limit) || limit < 1) throw new DataError(`${ds.name}: limit must be a positive integer, got ${limit}`);
  const pick = (d: Omit<Dataset, 'test'>, s: number): Dataset => {
    if (d.count <= limit) return d as Dataset;
    const idx = new Rng(s).permutation(d.count).subarray(0, limit).sort();
    return selectSamples(d, idx);
  };
  const out = pick(ds, seed);
  if (ds.test) {
    const t = pick(ds.test, seed + 1);
    return { ...out, test: t };
  }
  return out;
}

/** Samples per class (index = class id); empty for regression. */
export function classBalance(ds: Omit<Dataset, 'test'>): number[] {
  if (ds.task !== 'classification') return [];
  const k = ds.numClasses ?? 0;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < ds.count; i++) counts[ds.y[i]] = (counts[ds.y[i]] ?? 0) + 1;
  return counts;
}

/** One sample for display. */
export interface PreviewSample {
  index: number;
  /** Feature values, flattened in `inputShape` order. */
  x: number[];
  /** Class id (classification) or target values (regression). */
  y: number | number[];
  /** Class name when known. */
  label?: string;
}

/**
 * Up to `n` samples for the UI. Classification takes classes round-robin so every class
 * shows up; regression takes the first `n`. Deterministic, no seed needed.
 */
export function previewSamples(ds: Omit<Dataset, 'test'>, n: number): PreviewSample[] {
  const fx = featureSize(ds);
  const fy = targetSize(ds);
  let order: number[];
  if (ds.task === 'classification') {
    const g = groups(ds);
    order = [];
    for (let r = 0; order.length < Math.min(n, ds.count); r++) {
      for (const grp of g) if (r < grp.length && order.length < n) order.push(grp[r]);
    }
  } else {
    order = Array.from({ length: Math.min(n, ds.count) }, (_, i) => i);
  }
  return order.map((i) => {
    const x = Array.from(ds.x.subarray(i * fx, (i + 1) * fx));
    if (ds.task === 'classification') {
      const c = ds.y[i];
      const s: PreviewSample = { index: i, x, y: c };
      const name = ds.classNames?.[c];
      if (name !== undefined) s.label = name;
      return s;
    }
    return { index: i, x, y: Array.from(ds.y.subarray(i * fy, (i + 1) * fy)) };
  });
}
