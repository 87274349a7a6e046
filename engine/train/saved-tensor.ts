/**
 * Plain-array snapshots of tensors, the unit checkpoints store. Keeping them as typed
 * arrays (not tf tensors) lets checkpoints be written and read without a backend and keeps
 * snapshots alive independently of tf.js memory management.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';

/** A named tensor held as a typed array. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Copies a tensor's values out (async, so it does not block a GPU backend). */
export async function saveTensor(name: string, t: tfNs.Tensor): Promise<SavedTensor> {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new Error(`cannot save tensor '${name}' of dtype ${t.dtype}: only float32 and int32 are supported`);
  }
  const values = await t.data();
  const data = t.dtype === 'int32' ? Int32Array.from(values as Int32Array) : Float32Array.from(values as Float32Array);
  return { name, shape: [...t.shape], dtype: t.dtype, data };
}

/** Makes a new tensor from a snapshot; the caller owns (and disposes) it. */
export function loadTensor(tf: Tf, s: SavedTensor): tfNs.Tensor {
  return tf.tensor(s.data, s.shape, s.dtype);
}

/**
 * Snapshots every weight of a model (trainable and not, e.g. BatchNorm moving stats),
 * keyed by the layer variable's `originalName` (`layer/kernel`). tf.js appends a unique
 * suffix to `name` when a model is rebuilt in the same process, so `originalName` is the
 * one that stays stable across rebuilds of the same graph.
 */
export async function saveModelWeights(model: tfNs.LayersModel): Promise<SavedTensor[]> {
  const out: SavedTensor[] = [];
  for (const w of model.weights) out.push(await saveTensor(w.originalName, w.read()));
  return out;
}

/**
 * Writes snapshots back into a model's weights. Matches by name; when the names differ
 * (e.g. a model rebuilt with auto-generated layer names) but count and shapes agree in
 * order, it falls back to position. Any other mismatch is an Error naming the weight.
 */
export function restoreModelWeights(tf: Tf, model: tfNs.LayersModel, saved: SavedTensor[], what = 'checkpoint'): void {
  const weights = model.weights;
  const byName = new Map(saved.map((s) => [s.name, s]));
  const allNamed = weights.every((w) => byName.has(w.originalName));
  const picks: SavedTensor[] = [];
  if (allNamed) {
    for (const w of weights) picks.push(byName.get(w.originalName) as SavedTensor);
  } else if (saved.length === weights.length) {
    picks.push(...saved);
  } else {
    const missing = weights.find((w) => !byName.has(w.originalName));
    throw new Error(`${what} has no weight '${missing?.originalName}' (it holds ${saved.length} weights, the model has ${weights.length})`);
  }
  weights.forEach((w, i) => {
    const s = picks[i];
    const want = w.shape.join(',');
    if (s.shape.join(',') !== want) {
      throw new Error(`${what} weight '${s.name}' has shape [${s.shape}], model weight '${w.originalName}' needs [${want}]`);
    }
  });
  tf.tidy(() => {
    weights.forEach((w, i) => w.write(loadTensor(tf, picks[i])));
  });
}
