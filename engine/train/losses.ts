/**
 * Loss functions for the custom training loop, written with tf ops so gradients flow
 * through them. Every loss returns the mean over the batch as a scalar.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';
import { lossNames } from '../layers/output.js';

/** A loss name an Output node can declare. */
export type LossName = (typeof lossNames)[number];

/** Probabilities are clipped into [EPS, 1 − EPS] before logs (Keras uses the same 1e-7). */
export const EPS = 1e-7;

/** Throws a clear Error for an unknown loss name; narrows the type otherwise. */
export function assertLossName(name: string): asserts name is LossName {
  if (!(lossNames as readonly string[]).includes(name)) {
    throw new Error(`unknown loss '${name}': expected one of ${lossNames.join(', ')}`);
  }
}

/** True for losses whose targets are class labels. */
export function isClassificationLoss(name: LossName): boolean {
  return name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy' || name === 'binaryCrossentropy';
}

/**
 * Computes `name` between targets and predictions.
 *
 * Target formats: `sparseCategoricalCrossentropy` takes class indices `[batch]` (any
 * dtype); every other loss takes targets with the prediction's shape (one-hot rows for
 * `categoricalCrossentropy`). `fromLogits` means `yPred` is raw scores (softmax/sigmoid is
 * folded into the loss in its numerically stable form); otherwise it is probabilities,
 * clipped away from 0 and 1. Regression losses ignore `fromLogits`.
 */
export function computeLoss(tf: Tf, name: LossName, yTrue: tfNs.Tensor, yPred: tfNs.Tensor, fromLogits: boolean): tfNs.Scalar {
  return tf.tidy(() => {
    switch (name) {
      case 'sparseCategoricalCrossentropy': {
        const numClasses = yPred.shape[yPred.shape.length - 1] as number;
        const oneHot = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), numClasses).toFloat();
        return categorical(tf, oneHot.reshape(yPred.shape), yPred, fromLogits);
      }
      case 'categoricalCrossentropy':
        return categorical(tf, yTrue.toFloat(), yPred, fromLogits);
      case 'binaryCrossentropy':
        return binary(tf, yTrue.toFloat().reshape(yPred.shape), yPred, fromLogits);
      case 'meanSquaredError':
        return tf.mean(tf.squaredDifference(yPred, yTrue.toFloat().reshape(yPred.shape))) as tfNs.Scalar;
      case 'meanAbsoluteError':
        return tf.mean(tf.abs(tf.sub(yPred, yTrue.toFloat().reshape(yPred.shape)))) as tfNs.Scalar;
      case 'huber':
        return huber(tf, yTrue.toFloat().reshape(yPred.shape), yPred, 1);
    }
  });
}

/** −Σ y·log p per row, averaged over rows. */
function categorical(tf: Tf, y: tfNs.Tensor, pred: tfNs.Tensor, fromLogits: boolean): tfNs.Scalar {
  const axis = pred.rank - 1;
  let logP: tfNs.Tensor;
  if (fromLogits) {
    logP = tf.logSoftmax(pred, axis);
  } else {
    // Renormalise first (as Keras does) so slightly-off probability rows still work.
    const p = tf.div(pred, tf.sum(pred, axis, true));
    logP = tf.log(tf.clipByValue(p, EPS, 1 - EPS));
  }
  return tf.mean(tf.neg(tf.sum(tf.mul(y, logP), axis))) as tfNs.Scalar;
}

/** Element-wise binary cross-entropy, averaged over all elements. */
function binary(tf: Tf, z: tfNs.Tensor, pred: tfNs.Tensor, fromLogits: boolean): tfNs.Scalar {
  if (fromLogits) {
    // max(x, 0) − x·z + log(1 + e^−|x|): never exponentiates a large positive number.
    const x = pred;
    const loss = tf.add(tf.sub(tf.relu(x), tf.mul(x, z)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
    return tf.mean(loss) as tfNs.Scalar;
  }
  const p = tf.clipByValue(pred, EPS, 1 - EPS);
  const loss = tf.neg(tf.add(tf.mul(z, tf.log(p)), tf.mul(tf.sub(1, z), tf.log(tf.sub(1, p)))));
  return tf.mean(loss) as tfNs.Scalar;
}

/** Huber: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond, averaged over all elements. */
function huber(tf: Tf, y: tfNs.Tensor, pred: tfNs.Tensor, delta: number): tfNs.Scalar {
  const d = tf.abs(tf.sub(pred, y));
  const quad = tf.minimum(d, delta);
  const lin = tf.sub(d, quad);
  return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(delta, lin))) as tfNs.Scalar;
}

/**
 * Sum of the model's regularization penalties (L1/L2 kernel/bias regularizers), or null when
 * it has none. tf.js keeps these as closures on each layer (`layer.losses`, added by
 * `addWeight` when a regularizer is set) and `model.fit` adds them to the objective itself,
 * so a custom loop has to do the same — call this inside the gradient function so the
 * penalties get gradients. Layers are walked directly (recursing into nested models) because
 * `model.calculateLosses()` returns nothing for `tf.sequential` models in tf.js 4.22.
 */
export function regularizationLoss(tf: Tf, model: tfNs.LayersModel): tfNs.Scalar | null {
  const penalties: tfNs.Scalar[] = [];
  const seen = new Set<tfNs.layers.Layer>();
  const walk = (layer: tfNs.layers.Layer) => {
    if (seen.has(layer)) return;
    seen.add(layer);
    const nested = (layer as Partial<tfNs.LayersModel>).layers;
    if (Array.isArray(nested)) nested.forEach(walk);
    else penalties.push(...layer.calculateLosses());
  };
  model.layers.forEach(walk);
  if (penalties.length === 0) return null;
  return tf.addN(penalties) as tfNs.Scalar;
}
