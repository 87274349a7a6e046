/**
 * The loss of the ONNX training step, its gradient seed, and the batch's metric sums, as ONNX
 * nodes reproducing engine/train/losses.ts (tf.js) value for value.
 *
 * The seed is d(loss)/d(value) written in closed form rather than differentiated node by
 * node: shorter graphs and no 1/p blow-ups. Each closed form is the exact derivative of the
 * tf.js expression *including* tf.js's gradient conventions, so seeds match tf.js also at the
 * corners:
 *  - probabilities clipped into [EPS, 1 − EPS] get zero gradient where clipping is active
 *    (tf.js's ClipByValue gradient passes dy only where min ≤ x ≤ max), so the fused
 *    softmax/sigmoid gradients carry that mask too instead of the textbook (p − y)/N;
 *  - |x| has gradient step(x, −1): +1 for x > 0, −1 for x ≤ 0 (MAE at a zero residual);
 *  - means divide by the element count of what they average (rows of a categorical loss,
 *    elements of the others), as tf.js's `mean` does.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import { EPS, type LossName } from '../losses.js';
import { countOf, DT, int64Scalar, op, reshapeLike, scalar, sumAll, sumLast, toFloat } from './emit.js';

/** Inputs of {@link emitLoss}. */
export interface LossOptions {
  /** The model output value (probabilities, logits or regression predictions), tf.js layout. */
  output: string;
  /**
   * When `output` is `Softmax(z)` (last axis) or `Sigmoid(z)`, that `z`: the seed then goes to
   * `z` directly (fused softmax/sigmoid + cross-entropy). Ignored when the producer of
   * `output` is not such a node, when `fromLogits` is set, or for a non-matching loss.
   */
  preActivation?: string;
  /**
   * Targets: class ids `[N]` (any integer or float type) for sparse categorical; float with
   * the output's shape (one-hot rows for categorical) or its element count otherwise.
   */
  target: string;
  loss: LossName;
  /** `output` holds logits (categorical/binary); regression losses ignore it. */
  fromLogits: boolean;
  /** Number of classes when known at compile time (saves a Shape/Range for sparse targets). */
  classes?: number;
  /**
   * Float scalar N fed by the caller. Accepted for the contract; the divisors are taken from
   * the tensors themselves (`Size`), which equals N·(elements per sample) for the batch that
   * was fed and also covers outputs with more axes (sequences) and runtime-sized dims.
   */
  batchSize: string;
}

/** What {@link emitLoss} emitted. */
export interface LossEmission {
  /** Scalar mean loss (without regularization), equal to engine/train/losses.ts's value. */
  loss: string;
  /** Value name → d(loss)/d(value): one entry, for `output` or for the fused pre-activation. */
  seeds: Map<string, string>;
  /**
   * Classification: float scalar count of correct predictions in the batch, as EpochStats
   * counts them (argmax vs class for several units; threshold 0.5, or 0 on logits, per
   * element for binary cross-entropy).
   */
  correct?: string;
  /** Regression: float scalars Σ(pred − y)², Σ|pred − y| and the element count (EpochStats' sums). */
  sums?: { sse: string; sae: string; count: string };
}

/** The node producing `output` from `pre` when it is a fusable Softmax (last axis) or Sigmoid. */
function fusable(b: OnnxBuilder, output: string, pre: string | undefined): 'Softmax' | 'Sigmoid' | undefined {
  if (pre === undefined) return undefined;
  const n = b.irNodes.find((x) => x.outputs[0] === output);
  if (!n || n.inputs[0] !== pre) return undefined;
  if (n.op === 'Sigmoid') return 'Sigmoid';
  // Opset ≥ 13 Softmax defaults to the last axis; any other axis is not a per-row softmax.
  const axis = n.attrs.axis as { i: number } | undefined;
  if (n.op === 'Softmax' && (axis === undefined || axis.i === -1)) return 'Softmax';
  return undefined;
}

/**
 * Emits the loss `opts.loss` between the model output and the targets, the gradient seed for
 * the backward pass, and the batch statistics the runner reports.
 */
export function emitLoss(b: OnnxBuilder, opts: LossOptions): LossEmission {
  const fused = opts.fromLogits ? undefined : fusable(b, opts.output, opts.preActivation);
  switch (opts.loss) {
    case 'sparseCategoricalCrossentropy':
      return categorical(b, opts, oneHot(b, opts), fused === 'Softmax');
    case 'categoricalCrossentropy':
      return categorical(b, opts, opts.target, fused === 'Softmax');
    case 'binaryCrossentropy':
      return binary(b, opts, reshapeLike(b, opts.target, opts.output), fused === 'Sigmoid');
    case 'meanSquaredError':
    case 'meanAbsoluteError':
    case 'huber':
      return regression(b, opts, reshapeLike(b, opts.target, opts.output));
  }
}

/** Class ids → float one-hot rows of the output's width (tf.js `oneHot`). */
function oneHot(b: OnnxBuilder, opts: LossOptions): string {
  const ids = op(b, 'Unsqueeze', [op(b, 'Cast', [opts.target], { to: { i: DT.INT64 } }), b.int64s('axis', [-1])]);
  let range: string;
  if (opts.classes !== undefined) {
    range = b.int64s(
      'classes',
      Array.from({ length: opts.classes }, (_, i) => i),
    );
  } else {
    const width = op(b, 'Gather', [op(b, 'Shape', [opts.output]), int64Scalar(b, -1)]);
    range = op(b, 'Range', [int64Scalar(b, 0), width, int64Scalar(b, 1)]);
  }
  // Out-of-range ids give an all-zero row, as tf.oneHot does.
  return toFloat(b, op(b, 'Equal', [ids, range]));
}

/** Float count of true elements of a boolean tensor. */
function countTrue(b: OnnxBuilder, mask: string): string {
  return sumAll(b, toFloat(b, mask));
}

/** −Σ y·log p per row, averaged over rows (losses.ts `categorical`). */
function categorical(b: OnnxBuilder, opts: LossOptions, y: string, fusedSoftmax: boolean): LossEmission {
  const out = opts.output;
  const seeds = new Map<string, string>();
  // Probabilities are renormalised (q = p / S) before the clip, as losses.ts does.
  const s = opts.fromLogits ? '' : sumLast(b, out, true);
  const q = opts.fromLogits ? '' : op(b, 'Div', [out, s]);
  const logP = opts.fromLogits ? op(b, 'LogSoftmax', [out], { axis: { i: -1 } }) : op(b, 'Log', [op(b, 'Clip', [q, scalar(b, EPS), scalar(b, 1 - EPS)])]);
  const rowLoss = op(b, 'Neg', [sumLast(b, op(b, 'Mul', [y, logP]), false)]);
  const rows = countOf(b, rowLoss);
  const loss = op(b, 'Div', [sumAll(b, rowLoss), rows]);

  if (opts.fromLogits) {
    // d/dz of −Σ y·logSoftmax(z) = softmax(z)·Σy − y (Σy = 1 for one-hot rows).
    const sm = op(b, 'Softmax', [out], { axis: { i: -1 } });
    const g = op(b, 'Sub', [op(b, 'Mul', [sm, sumLast(b, y, true)]), y]);
    seeds.set(out, op(b, 'Div', [g, rows]));
  } else {
    // tf.js path: q = p / S, log(clip(q)). With m = [EPS ≤ q ≤ 1 − EPS] (clip's gradient
    // mask) and ym = y·m: d/dp_j = (Σ ym)/S − ym_j/p_j. Through a softmax (S = 1 up to
    // rounding) that becomes d/dz_k = p_k·(Σ ym)/S − ym_k.
    const inRange = op(b, 'And', [op(b, 'GreaterOrEqual', [q, scalar(b, EPS)]), op(b, 'LessOrEqual', [q, scalar(b, 1 - EPS)])]);
    const ym = op(b, 'Mul', [y, toFloat(b, inRange)]);
    const symOverS = op(b, 'Div', [sumLast(b, ym, true), s]);
    let g: string;
    if (fusedSoftmax) {
      g = op(b, 'Sub', [op(b, 'Mul', [out, symOverS]), ym]);
      seeds.set(opts.preActivation!, op(b, 'Div', [g, rows]));
    } else {
      // Where drops the 0/0 of clipped (zero) probabilities, which m zeroes anyway.
      const ratio = op(b, 'Where', [inRange, op(b, 'Div', [y, out]), scalar(b, 0)]);
      g = op(b, 'Sub', [symOverS, ratio]);
      seeds.set(out, op(b, 'Div', [g, rows]));
    }
  }
  const truth =
    opts.loss === 'sparseCategoricalCrossentropy'
      ? op(b, 'Cast', [opts.target], { to: { i: DT.INT64 } })
      : op(b, 'ArgMax', [y], { axis: { i: -1 }, keepdims: { i: 0 } });
  // ArgMax keeps the first maximum, as EpochStats' strict `>` scan does.
  const predicted = op(b, 'ArgMax', [out], { axis: { i: -1 }, keepdims: { i: 0 } });
  const correct = countTrue(b, op(b, 'Equal', [predicted, reshapeLike(b, truth, predicted)]));
  return { loss, seeds, correct };
}

/**
 * log(1 + u) for u ∈ [0, 1] at full float precision (ONNX has no Log1p; log(1 + u) alone
 * loses u entirely once u < 6e−8, where tf.js's Math.log1p keeps it). Kahan's trick: with
 * w = 1 + u rounded, log(w)·u/(w − 1) cancels the rounding of w.
 */
function log1p(b: OnnxBuilder, u: string): string {
  const w = op(b, 'Add', [scalar(b, 1), u]);
  const d = op(b, 'Sub', [w, scalar(b, 1)]);
  const kahan = op(b, 'Mul', [u, op(b, 'Div', [op(b, 'Log', [w]), d])]);
  return op(b, 'Where', [op(b, 'Equal', [d, scalar(b, 0)]), u, kahan]);
}

/** Element-wise binary cross-entropy, averaged over all elements (losses.ts `binary`). */
function binary(b: OnnxBuilder, opts: LossOptions, z: string, fusedSigmoid: boolean): LossEmission {
  const x = opts.output;
  const seeds = new Map<string, string>();
  let elem: string;
  if (opts.fromLogits) {
    // max(x, 0) − x·z + log(1 + e^−|x|), never exponentiating a large positive number.
    const soft = log1p(b, op(b, 'Exp', [op(b, 'Neg', [op(b, 'Abs', [x])])]));
    elem = op(b, 'Add', [op(b, 'Sub', [op(b, 'Relu', [x]), op(b, 'Mul', [x, z])]), soft]);
  } else {
    const p = op(b, 'Clip', [x, scalar(b, EPS), scalar(b, 1 - EPS)]);
    const one = scalar(b, 1);
    const t1 = op(b, 'Mul', [z, op(b, 'Log', [p])]);
    const t2 = op(b, 'Mul', [op(b, 'Sub', [one, z]), op(b, 'Log', [op(b, 'Sub', [one, p])])]);
    elem = op(b, 'Neg', [op(b, 'Add', [t1, t2])]);
  }
  const n = countOf(b, elem);
  const loss = op(b, 'Div', [sumAll(b, elem), n]);

  if (opts.fromLogits) {
    // The relu, abs (step(x, −1)) and log1p gradients of the stable form add up to σ(x) − z
    // for every x, x = 0 included.
    seeds.set(x, op(b, 'Div', [op(b, 'Sub', [op(b, 'Sigmoid', [x]), z]), n]));
  } else {
    const inRange = toFloat(b, op(b, 'And', [op(b, 'GreaterOrEqual', [x, scalar(b, EPS)]), op(b, 'LessOrEqual', [x, scalar(b, 1 - EPS)])]));
    if (fusedSigmoid) {
      // (−z/p + (1 − z)/(1 − p))·p(1 − p) = p − z, masked where the clip was active.
      seeds.set(opts.preActivation!, op(b, 'Div', [op(b, 'Mul', [op(b, 'Sub', [x, z]), inRange]), n]));
    } else {
      const p = op(b, 'Clip', [x, scalar(b, EPS), scalar(b, 1 - EPS)]);
      const one = scalar(b, 1);
      const g = op(b, 'Sub', [op(b, 'Div', [op(b, 'Sub', [one, z]), op(b, 'Sub', [one, p])]), op(b, 'Div', [z, p])]);
      seeds.set(x, op(b, 'Div', [op(b, 'Mul', [g, inRange]), n]));
    }
  }
  // EpochStats: class 1 when the unit is above 0.5 (0 for logits), compared with the 0/1 target.
  const cls = toFloat(b, op(b, 'Greater', [x, scalar(b, opts.fromLogits ? 0 : 0.5)]));
  const correct = countTrue(b, op(b, 'Equal', [cls, z]));
  return { loss, seeds, correct };
}

/** MSE, MAE and Huber (δ = 1), averaged over all elements, with EpochStats' error sums. */
function regression(b: OnnxBuilder, opts: LossOptions, y: string): LossEmission {
  const out = opts.output;
  const d = op(b, 'Sub', [out, y]);
  const sq = op(b, 'Mul', [d, d]);
  const abs = op(b, 'Abs', [d]);
  const n = countOf(b, d);
  let elem: string;
  let g: string;
  switch (opts.loss) {
    case 'meanSquaredError':
      elem = sq;
      g = op(b, 'Mul', [scalar(b, 2), d]);
      break;
    case 'meanAbsoluteError':
      elem = abs;
      // tf.js's Abs gradient is step(d, −1): −1 at d = 0, not 0.
      g = op(b, 'Where', [op(b, 'Greater', [d, scalar(b, 0)]), scalar(b, 1), scalar(b, -1)]);
      break;
    default: {
      const quad = op(b, 'Min', [abs, scalar(b, 1)]);
      const lin = op(b, 'Sub', [abs, quad]);
      elem = op(b, 'Add', [op(b, 'Mul', [scalar(b, 0.5), op(b, 'Mul', [quad, quad])]), lin]);
      // ½·min(|d|,1)² + (|d| − min(|d|,1)) has derivative clip(d, −1, 1) (Minimum's gradient
      // goes to |d| where |d| ≤ 1, exactly as this clip's boundary).
      g = op(b, 'Clip', [d, scalar(b, -1), scalar(b, 1)]);
    }
  }
  const loss = op(b, 'Div', [sumAll(b, elem), n]);
  const seeds = new Map([[out, op(b, 'Div', [g, n])]]);
  return { loss, seeds, sums: { sse: sumAll(b, sq), sae: sumAll(b, abs), count: n } };
}
