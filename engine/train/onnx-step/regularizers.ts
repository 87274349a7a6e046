/**
 * L1/L2 weight penalties of the ONNX training step, as tf.js layers apply them: each
 * regularized weight w adds l1·Σ|w| + l2·Σw² to the objective (tf.layers' `L1L2.apply`,
 * collected by engine/train/losses.ts `regularizationLoss`), and its gradient gets the
 * derivative added.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import { op, scalar, sumAll } from './emit.js';

/** One regularized weight. */
export interface RegularizedWeight {
  /** The weight's value name (the graph input, tf.js layout). */
  weight: string;
  /** Its gradient of the data loss, same shape. */
  grad: string;
  l1: number;
  l2: number;
}

/** What {@link emitRegularization} emitted. */
export interface RegularizationEmission {
  /** Float scalar: the summed penalty, to add to the data loss. */
  penalty: string;
  /** Per input entry, in order: the gradient with the penalty's derivative added. */
  grads: string[];
}

/**
 * Emits the penalties and their gradients. The L1 derivative is tf.js's Abs gradient,
 * step(w, −1): +l1 for w > 0 and −l1 for w ≤ 0 (a weight at exactly 0 is pushed down, as
 * in tf.js). The L2 derivative is 2·l2·w. A term with l1 = l2 = 0 adds nothing, as tf.js
 * builds no regularizer for it.
 */
export function emitRegularization(b: OnnxBuilder, weights: RegularizedWeight[]): RegularizationEmission {
  const parts: string[] = [];
  const grads = weights.map(({ weight: w, grad, l1, l2 }) => {
    let g = grad;
    if (l1 !== 0) {
      parts.push(sumAll(b, op(b, 'Mul', [scalar(b, l1), op(b, 'Abs', [w])])));
      const sign = op(b, 'Where', [op(b, 'Greater', [w, scalar(b, 0)]), scalar(b, l1), scalar(b, -l1)]);
      g = op(b, 'Add', [g, sign]);
    }
    if (l2 !== 0) {
      parts.push(sumAll(b, op(b, 'Mul', [scalar(b, l2), op(b, 'Mul', [w, w])])));
      g = op(b, 'Add', [g, op(b, 'Mul', [scalar(b, l2), op(b, 'Mul', [w, scalar(b, 2)])])]);
    }
    return g;
  });
  const penalty = parts.length === 0 ? scalar(b, 0) : parts.length === 1 ? parts[0] : op(b, 'Sum', parts);
  return { penalty, grads };
}
