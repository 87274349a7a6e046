/**
 * The seam between the training loop and a training backend. The loop (loop.ts) owns
 * everything that must behave the same whatever runs the maths — shuffling, augmentation,
 * target layout, learning-rate schedules, early stopping, checkpoints, events and
 * cancellation — and asks a `Stepper` only for what touches tensors: one optimizer step,
 * an evaluation pass, and weights / optimizer state as plain typed arrays. tf.js implements
 * it in tfjs-stepper.ts; onnxruntime-node implements it in onnx-step/.
 *
 * Because weights and optimizer state cross this seam as `SavedTensor`s with names fixed
 * below, a checkpoint written through one backend restores into the other.
 *
 * ## Weights
 *
 * `getWeights` / `setWeights` cover every weight of the model (trainable and not, e.g.
 * BatchNorm moving statistics), each named by its tf.js LayerVariable `originalName`
 * (`<layer name>/<weight name>`, e.g. `h1/kernel`), in tf.js layout (Dense kernel
 * `[in, out]`, Conv2D kernel `[kh, kw, in, out]`, …) and in `model.weights` order.
 *
 * ## Optimizer state (backend-neutral naming)
 *
 * A list of `SavedTensor`s:
 *  - `iter` ({@link ITERATIONS_STATE}): int32 scalar (shape `[]`), the number of updates
 *    applied so far, t. The next update is number t + 1. (The loop applies one update per
 *    step, so on a checkpoint it equals `globalStep`.)
 *  - `<P>/<slot>` ({@link optimizerSlotName}) for every trainable weight P (its
 *    `originalName`) and every slot of the optimizer ({@link OPTIMIZER_SLOTS}): float32,
 *    shaped like P, zero before P's first update. Non-trainable weights have no slots.
 *
 * Writers list `iter` first, then slots grouped by slot in {@link OPTIMIZER_SLOTS} order,
 * each group in trainable-weight order (what tf.js's `Optimizer.getWeights()` gives); readers
 * must match by name, not position. An empty list means a fresh optimizer; a list holding
 * only `iter` means every slot is still zero.
 *
 * Update rules, exactly as tf.js 4.x computes them (g is the gradient after regularization
 * and clipping; lr is the step's learning rate; every slot update uses the slot's value
 * before this step):
 *  - `sgd`: no slots. w ← w − lr·g.
 *  - `momentum`: `momentum` a ← μ·a + g (NOT scaled by lr); w ← w − lr·a.
 *  - `nesterov`: `momentum` a ← μ·a + g; w ← w − lr·(g + μ·a) with the new a.
 *  - `rmsprop` (uncentered, the only form the config builds): `rms` s ← ρ·s + (1 − ρ)·g²;
 *    `momentum` u ← μ·u + lr·g / √(s + ε) (lr-scaled, ε inside the root, new s); w ← w − u.
 *    Both slots exist even when μ = 0. (A centered RMSprop would add `mg`, the running mean
 *    of g; the config cannot ask for one.)
 *  - `adam`: `m` m ← β₁·m + (1 − β₁)·g; `v` v ← β₂·v + (1 − β₂)·g². Both raw exponential
 *    averages: not bias-corrected, and v is the second moment itself (not its root).
 *    w ← w − lr·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), with t = the new `iter` (1 on the
 *    first update), ε outside the root. tf.js keeps β₁ᵗ, β₂ᵗ as running products that are
 *    not saved; after a restore it recomputes them as β^(iter + 1), so `iter` is all the
 *    state they need (float32 rounding of β^t may differ by a few ulp between the two).
 *  - `adamw`: as `adam`, preceded by decoupled decay w ← w·(1 − lr·λ) on trainable weights of
 *    rank ≥ 2 that have a gradient (see optimizers.ts `isDecayed`); no extra state.
 * When a weight gets no gradient in a step its slots and value stay unchanged, but `iter`
 * still advances.
 */
import type { Dataset } from '../data/types.js';
import type { OptimizerConfig } from './optimizers.js';
import type { EvaluationResult } from './evaluate.js';
import type { SavedTensor } from './saved-tensor.js';

/** Name of the iteration-count tensor in optimizer state. */
export const ITERATIONS_STATE = 'iter';

/**
 * Slots per trainable weight for each optimizer, in the order writers emit them. The names
 * are tf.js's own slot suffixes, so tf.js state needs no renaming beyond the weight name.
 */
export const OPTIMIZER_SLOTS: Readonly<Record<OptimizerConfig['name'], readonly string[]>> = {
  sgd: [],
  momentum: ['momentum'],
  nesterov: ['momentum'],
  rmsprop: ['rms', 'momentum'],
  adam: ['m', 'v'],
  adamw: ['m', 'v'],
};

/** Name of weight `param`'s (its `originalName`) optimizer slot `slot`: `<param>/<slot>`. */
export function optimizerSlotName(param: string, slot: string): string {
  return `${param}/${slot}`;
}

/** One training batch, prepared by the loop. */
export interface StepBatch {
  /** Samples in the batch (the last batch of an epoch may be smaller than the rest). */
  n: number;
  /** Features, row-major, already augmented when the run augments. */
  x: Float32Array;
  /** Shape of `x`: `[n, ...dataset.inputShape]`. */
  xShape: number[];
  /**
   * Targets in the layout the loss takes: Int32Array class indices `[n]` for
   * `sparseCategoricalCrossentropy`; otherwise float32 values shaped like the model output
   * (one-hot rows, 0/1 for a single sigmoid unit, regression values, or the un-augmented
   * features for autoencoders).
   */
  y: Float32Array | Int32Array;
  /** Shape of `y`. */
  yShape: number[];
}

/** What one step reports. */
export interface StepResult {
  /** The objective minimised on this batch: mean data loss plus regularization. */
  loss: number;
  /**
   * The model's raw outputs on this batch in training mode (logits when the output is
   * logits), `n × outputSize` row-major, taken from the same forward pass as the gradient.
   */
  preds: Float32Array;
}

/**
 * A training backend: one model plus one optimizer, configured with the loss, output
 * (`fromLogits`), clipping, optimizer and `targetIsInput` settings of the run — the same
 * `output` and `config` the loop is given. The loop never disposes it; its creator does.
 */
export interface Stepper {
  /** Total parameter count of the model (reported in the `start` event). */
  readonly paramCount: number;
  /** Output shape of the model, batch first (`null` for the batch and unknown dimensions). */
  readonly outputShape: readonly (number | null)[];
  /**
   * One optimizer update on `batch` at learning rate `lr`. `seed` (a function of the run
   * seed and the global step only) seeds this step's dropout masks, so a resumed run draws
   * the same masks as an uninterrupted one.
   */
  step(batch: StepBatch, lr: number, seed: number): Promise<StepResult>;
  /** Inference-mode loss (data loss only), predictions and metrics over all of `ds`. */
  evaluate(ds: Dataset, batchSize: number): Promise<EvaluationResult>;
  /** Copies of every model weight (see the module comment for names and layout). */
  getWeights(): Promise<SavedTensor[]>;
  /** Writes weights back; an Error (and no change) when names/shapes do not fit. */
  setWeights(weights: SavedTensor[]): void;
  /** Optimizer state in the backend-neutral naming above. */
  getOptimizerState(): Promise<SavedTensor[]>;
  /** Restores `getOptimizerState` output (of either backend); call before the first step. */
  setOptimizerState(state: SavedTensor[]): Promise<void>;
  /** Frees the backend's resources (not the caller's model). */
  dispose(): void;
}
