/**
 * The tf.js training backend: our own step around `optimizer.applyGradients` (not
 * `model.fit`), so gradient clipping, custom losses and per-step learning rates fit in one
 * place. Dropout masks are seeded per step by the loop's seed, so a resumed run reproduces
 * an uninterrupted one.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import type { Tf } from '../layers/types.js';
import { withSeededMathRandom } from '../util/rng.js';
import { clipGradients } from './clip.js';
import type { TrainingConfig } from './config.js';
import { evaluateModel, type EvaluationResult } from './evaluate.js';
import { assertLossName, computeLoss, regularizationLoss, type LossName } from './losses.js';
import { createOptimizer, type TrainOptimizer } from './optimizers.js';
import { restoreModelWeights, saveModelWeights, type SavedTensor } from './saved-tensor.js';
import { ITERATIONS_STATE, OPTIMIZER_SLOTS, optimizerSlotName, type StepBatch, type StepResult, type Stepper } from './stepper.js';

/** Inputs of `TfjsStepper`. */
export interface TfjsStepperOptions {
  /** The tf.js namespace, with the backend already chosen by the caller. */
  tf: Tf;
  /** A single-input, single-output model, trained in place (the stepper does not own it). */
  model: tfNs.LayersModel;
  /** Loss and output form (what an Output node asks of training). */
  output: { loss: LossName | string; fromLogits: boolean };
  /** The run's config: optimizer, clipping and `targetIsInput` are read from it. */
  config: TrainingConfig;
}

/**
 * `Stepper` over a tf.js LayersModel. Owns the optimizer (freed by `dispose`), not the model.
 * Optimizer state is renamed between tf.js's names, which carry the variables' unique
 * names (`h1/kernel_3/m`, different in every rebuild of a model), and the backend-neutral
 * `originalName`-based names of stepper.ts.
 */
export class TfjsStepper implements Stepper {
  readonly paramCount: number;
  readonly outputShape: readonly (number | null)[];
  private readonly tf: Tf;
  private readonly model: tfNs.LayersModel;
  private readonly loss: LossName;
  private readonly fromLogits: boolean;
  private readonly config: TrainingConfig;
  private readonly optimizer: TrainOptimizer;
  /** Trainable variables in a fixed order: tf.js optimizers keep slots by position. */
  private readonly vars: tfNs.Variable[];
  /** `originalName` of each of `vars`, for the neutral optimizer-state names. */
  private readonly paramNames: string[];

  /** Throws for models with several inputs/outputs and unknown losses. */
  constructor(o: TfjsStepperOptions) {
    const { model } = o;
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new Error(
        `trainModel supports models with one input and one output; this one has ${model.inputs.length} inputs and ${model.outputs.length} outputs`,
      );
    }
    assertLossName(o.output.loss);
    this.tf = o.tf;
    this.model = model;
    this.loss = o.output.loss;
    this.fromLogits = o.output.fromLogits;
    this.config = o.config;
    this.paramCount = model.countParams();
    this.outputShape = model.outputs[0].shape;
    // LayerVariable.read() returns the live tf.Variable, which restores write into in place,
    // so these handles stay valid for the stepper's life.
    this.vars = model.trainableWeights.map((w) => w.read() as tfNs.Variable);
    this.paramNames = model.trainableWeights.map((w) => w.originalName);
    this.optimizer = createOptimizer(o.tf, o.config.optimizer);
  }

  async step(batch: StepBatch, lr: number, seed: number): Promise<StepResult> {
    const { tf, model, loss, fromLogits, config } = this;
    this.optimizer.setLearningRate(lr);
    const xT = tf.tensor(batch.x, batch.xShape, 'float32');
    const yT = tf.tensor(batch.y, batch.yShape, batch.y instanceof Int32Array ? 'int32' : 'float32');
    let predsT: tfNs.Tensor | null = null;
    // tf.js dropout draws its seed from Math.random when the layer has none; seeding it per
    // step makes the masks a function of (seed, step), which survives a resume.
    const { value, grads } = withSeededMathRandom(seed, () =>
      tf.variableGrads(() => {
        const out = model.apply(xT, { training: true }) as tfNs.Tensor;
        predsT = tf.keep(out);
        const dataLoss = computeLoss(tf, loss, yT, out, fromLogits);
        const reg = regularizationLoss(tf, model);
        return reg ? tf.add(dataLoss, reg) : dataLoss;
      }, this.vars),
    );
    const clipped = clipGradients(tf, grads, { clipNorm: config.clipNorm, clipValue: config.clipValue });
    this.optimizer.apply(clipped, this.vars);
    tf.dispose(Object.values(clipped));
    tf.dispose([xT, yT]);
    const lossValue = (await value.data())[0];
    const preds = predsT ? ((await (predsT as tfNs.Tensor).data()) as Float32Array) : new Float32Array(0);
    tf.dispose([value, predsT as tfNs.Tensor | null].filter((t): t is tfNs.Tensor => t !== null));
    return { loss: lossValue, preds };
  }

  evaluate(ds: Dataset, batchSize: number): Promise<EvaluationResult> {
    return evaluateModel(this.tf, this.model, ds, {
      loss: this.loss,
      fromLogits: this.fromLogits,
      batchSize,
      targetIsInput: this.config.targetIsInput,
    });
  }

  getWeights(): Promise<SavedTensor[]> {
    return saveModelWeights(this.model);
  }

  setWeights(weights: SavedTensor[]): void {
    restoreModelWeights(this.tf, this.model, weights);
  }

  async getOptimizerState(): Promise<SavedTensor[]> {
    return toNeutralState(await this.optimizer.getState(), this.slots(), this.vars, this.paramNames);
  }

  async setOptimizerState(state: SavedTensor[]): Promise<void> {
    await this.optimizer.setState(fromNeutralState(state, this.slots(), this.vars, this.paramNames));
  }

  dispose(): void {
    this.optimizer.dispose();
  }

  private slots(): readonly string[] {
    return OPTIMIZER_SLOTS[this.config.optimizer.name];
  }
}

/**
 * Renames tf.js optimizer state (`getWeights` order: `iter`, then each slot for every
 * variable in `vars` order; tf.js creates slots on the first update, so before it only
 * `iter` exists) to the neutral names.
 */
export function toNeutralState(raw: SavedTensor[], slots: readonly string[], vars: tfNs.Variable[], paramNames: string[]): SavedTensor[] {
  if (raw.length === 0) return [];
  const n = vars.length;
  if (raw[0].name !== ITERATIONS_STATE || (raw.length !== 1 && raw.length !== 1 + slots.length * n)) {
    throw new Error(`unexpected tf.js optimizer state: ${raw.length} tensors starting with '${raw[0].name}' for ${n} variables × ${slots.length} slots`);
  }
  const out: SavedTensor[] = [raw[0]];
  for (let k = 0; k < slots.length && raw.length > 1; k++) {
    for (let i = 0; i < n; i++) {
      const t = raw[1 + k * n + i];
      // Slots are kept by position; their tf.js names are the variable names we handed in
      // (see fromNeutralState), so a mismatch means the layout assumption broke.
      if (t.name !== optimizerSlotName(vars[i].name, slots[k])) {
        throw new Error(`tf.js optimizer slot '${t.name}' is not '${optimizerSlotName(vars[i].name, slots[k])}'`);
      }
      out.push({ ...t, name: optimizerSlotName(paramNames[i], slots[k]) });
    }
  }
  return out;
}

/**
 * Turns neutral optimizer state into what tf.js's `setWeights` reads: `iter` first, then
 * slots by position, named after the current variables. Checkpoints written before the
 * neutral naming (slots named by tf.js's unique variable names, in tf.js order) are read
 * by position when the count fits.
 */
export function fromNeutralState(state: SavedTensor[], slots: readonly string[], vars: tfNs.Variable[], paramNames: string[]): SavedTensor[] {
  if (state.length === 0) return [];
  const iter = state.find((s) => s.name === ITERATIONS_STATE);
  if (!iter) throw new Error(`optimizer state has no '${ITERATIONS_STATE}' tensor`);
  const rest = state.filter((s) => s !== iter);
  if (rest.length === 0) return [iter];
  const byName = new Map(rest.map((s) => [s.name, s]));
  const n = vars.length;
  const picks: SavedTensor[] = [];
  const wanted = slots.flatMap((slot) => paramNames.map((p) => optimizerSlotName(p, slot)));
  if (wanted.every((w) => byName.has(w))) {
    picks.push(...wanted.map((w) => byName.get(w) as SavedTensor));
  } else if (state[0] === iter && rest.length === wanted.length) {
    picks.push(...rest);
  } else {
    const missing = wanted.find((w) => !byName.has(w));
    throw new Error(`optimizer state has no '${missing}' (it holds ${rest.length} slot tensors, this optimizer needs ${wanted.length})`);
  }
  const out: SavedTensor[] = [iter];
  picks.forEach((s, j) => {
    const v = vars[j % n];
    if (s.shape.join(',') !== v.shape.join(',')) {
      throw new Error(`optimizer state '${s.name}' has shape [${s.shape}], weight '${paramNames[j % n]}' needs [${v.shape}]`);
    }
    out.push({ ...s, name: optimizerSlotName(v.name, slots[Math.floor(j / n)]) });
  });
  return out;
}
