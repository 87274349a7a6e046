/**
 * Turns a Dataset into what the loop feeds the model: seeded train/validation splits,
 * batches of rows gathered by index, and targets in the form each loss expects.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import type { Tf } from '../layers/types.js';
import { Rng } from '../util/rng.js';
import type { LossName } from './losses.js';

/** Values per sample of a per-sample shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A dataset restricted to the given sample indices (copies the rows). */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const xSize = sizeOf(ds.inputShape);
  const ySize = ds.task === 'classification' ? 1 : sizeOf(ds.targetShape);
  const { test: _test, ...rest } = ds;
  return {
    ...rest,
    count: indices.length,
    x: gatherRows(ds.x, xSize, indices, 0, indices.length),
    y: gatherRows(ds.y, ySize, indices, 0, indices.length),
  };
}

/**
 * Splits off `fraction` of the samples for validation with a seeded permutation (its own
 * Rng stream, independent of the training shuffle). Order within each part follows the
 * permutation. Classes are not stratified.
 */
export function splitDataset(ds: Dataset, fraction: number, seed: number): { train: Dataset; validation: Dataset } {
  const perm = new Rng((seed ^ 0x5eed0a1d) >>> 0).permutation(ds.count);
  const nVal = Math.min(ds.count - 1, Math.round(ds.count * fraction));
  return { validation: subsetDataset(ds, perm.subarray(0, nVal)), train: subsetDataset(ds, perm.subarray(nVal)) };
}

/** Copies rows `indices[start..end)` of a row-major array into a new array. */
export function gatherRows(src: Float32Array, rowSize: number, indices: ArrayLike<number>, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * rowSize);
  for (let i = start; i < end; i++) {
    const r = indices[i];
    out.set(src.subarray(r * rowSize, (r + 1) * rowSize), (i - start) * rowSize);
  }
  return out;
}

/** How targets are laid out for the model's loss. */
export interface TargetPlan {
  /** `indices`: int32 class indices `[batch]`; `dense`: float32 with the output's shape. */
  kind: 'indices' | 'oneHot' | 'dense';
  /** Per-sample target shape fed to the loss (no batch dim). */
  shape: number[];
  /** Targets are the (un-augmented) features themselves (autoencoders). */
  fromInput: boolean;
}

/**
 * Decides the target layout from the loss, the data and the model's output shape, and checks
 * that they fit together (with messages a user can act on).
 */
export function planTargets(ds: Dataset, loss: LossName, outputShape: readonly (number | null)[], targetIsInput: boolean): TargetPlan {
  const out = outputShape.slice(1).map((d) => d ?? -1);
  const outSize = sizeOf(out);
  if (targetIsInput) {
    if (loss === 'sparseCategoricalCrossentropy') throw new Error('targetIsInput (autoencoder) needs a dense loss, not sparseCategoricalCrossentropy');
    if (sizeOf(ds.inputShape) !== outSize) {
      throw new Error(`targetIsInput: model output [${out}] must have as many values as the input [${ds.inputShape}]`);
    }
    return { kind: 'dense', shape: out, fromInput: true };
  }
  const units = out[out.length - 1];
  if (ds.task === 'classification') {
    const classes = ds.numClasses ?? 0;
    if (loss === 'sparseCategoricalCrossentropy') {
      if (units !== classes) throw new Error(`model outputs ${units} values per sample but the data has ${classes} classes`);
      return { kind: 'indices', shape: [], fromInput: false };
    }
    if (units === 1 && classes <= 2) return { kind: 'dense', shape: out, fromInput: false };
    if (units !== classes) throw new Error(`model outputs ${units} values per sample but the data has ${classes} classes`);
    return { kind: 'oneHot', shape: out, fromInput: false };
  }
  if (loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy') {
    throw new Error(`${loss} needs a classification dataset; '${ds.name}' is regression`);
  }
  if (sizeOf(ds.targetShape) !== outSize) {
    throw new Error(`model output [${out}] does not match the target shape [${ds.targetShape}] of '${ds.name}'`);
  }
  return { kind: 'dense', shape: out, fromInput: false };
}

/** Builds the feature tensor for a batch (`values` already gathered, maybe augmented). */
export function makeInputTensor(tf: Tf, values: Float32Array, count: number, inputShape: readonly number[]): tfNs.Tensor {
  return tf.tensor(values, [count, ...inputShape], 'float32');
}

/**
 * Targets for rows `indices[start..end)` as a typed array in the plan's layout: int32 class
 * indices for `indices`, float32 one-hot rows for `oneHot`, the gathered target rows for
 * `dense`. When the plan says `fromInput`, `xValues` (the gathered, un-augmented features)
 * are the targets (returned as is, not copied). Backend-neutral, so every training backend
 * feeds its loss the same values.
 */
export function gatherTargets(
  ds: Dataset,
  plan: TargetPlan,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  xValues?: Float32Array,
): Float32Array | Int32Array {
  const n = end - start;
  if (plan.fromInput) {
    if (!xValues) throw new Error('targets come from the input but no feature values were given');
    return xValues;
  }
  switch (plan.kind) {
    case 'indices': {
      const ys = new Int32Array(n);
      for (let i = 0; i < n; i++) ys[i] = ds.y[indices[start + i]];
      return ys;
    }
    case 'oneHot': {
      const c = plan.shape[plan.shape.length - 1];
      const ys = new Float32Array(n * c);
      for (let i = 0; i < n; i++) ys[i * c + ds.y[indices[start + i]]] = 1;
      return ys;
    }
    case 'dense': {
      const rowSize = ds.task === 'classification' ? 1 : sizeOf(ds.targetShape);
      return gatherRows(ds.y, rowSize, indices, start, end);
    }
  }
}

/** Shape of a batch of `n` targets laid out by `plan` (see `gatherTargets`). */
export function targetBatchShape(plan: TargetPlan, n: number): number[] {
  return plan.kind === 'indices' ? [n] : [n, ...plan.shape];
}

/**
 * Builds the target tensor for rows `indices[start..end)` (`gatherTargets` as a tensor:
 * int32 for class indices, float32 otherwise).
 */
export function makeTargetTensor(
  tf: Tf,
  ds: Dataset,
  plan: TargetPlan,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  xValues?: Float32Array,
): tfNs.Tensor {
  const ys = gatherTargets(ds, plan, indices, start, end, xValues);
  return tf.tensor(ys, targetBatchShape(plan, end - start), ys instanceof Int32Array ? 'int32' : 'float32');
}
