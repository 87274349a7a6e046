/**
 * Gradient clipping over a `{ variableName: gradient }` map. Each function returns a new map
 * of new tensors and leaves the input alone, so the caller disposes the old gradients.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';

/** Gradients keyed by variable name (what `tf.variableGrads` returns). */
export type GradMap = Record<string, tfNs.Tensor>;

/** √(Σ‖g‖²) over all gradients, as a number. */
export function globalNorm(tf: Tf, grads: GradMap): number {
  const t = tf.tidy(() => globalNormTensor(tf, grads));
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

function globalNormTensor(tf: Tf, grads: GradMap): tfNs.Scalar {
  const parts = Object.values(grads).map((g) => tf.sum(tf.square(g)));
  if (parts.length === 0) return tf.scalar(0);
  return tf.sqrt(tf.addN(parts)) as tfNs.Scalar;
}

/**
 * Scales all gradients by `maxNorm / max(globalNorm, maxNorm)`, so the combined norm is at
 * most `maxNorm` while the direction is kept (Pascanu et al. 2013). The scale is computed on
 * the device, so no sync is needed.
 */
export function clipByGlobalNorm(tf: Tf, grads: GradMap, maxNorm: number): GradMap {
  return tf.tidy(() => {
    const norm = globalNormTensor(tf, grads);
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    const out: GradMap = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
    return out;
  });
}

/** Clamps every gradient element into [−maxValue, maxValue]. */
export function clipByValue(tf: Tf, grads: GradMap, maxValue: number): GradMap {
  return tf.tidy(() => {
    const out: GradMap = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.clipByValue(g, -maxValue, maxValue);
    return out;
  });
}

/**
 * Applies the configured clipping (by value first, then by global norm, as Keras does) and
 * disposes the gradients it replaces. Returns the input map untouched when neither is set.
 */
export function clipGradients(tf: Tf, grads: GradMap, opts: { clipNorm?: number; clipValue?: number }): GradMap {
  let g = grads;
  if (opts.clipValue !== undefined) {
    const next = clipByValue(tf, g, opts.clipValue);
    tf.dispose(Object.values(g));
    g = next;
  }
  if (opts.clipNorm !== undefined) {
    const next = clipByGlobalNorm(tf, g, opts.clipNorm);
    tf.dispose(Object.values(g));
    g = next;
  }
  return g;
}
