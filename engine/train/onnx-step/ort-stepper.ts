/**
 * The onnxruntime training backend: a `Stepper` that runs the compiled ONNX training step
 * (step-model.ts) in onnxruntime-node. Weights, BatchNorm state and optimizer state live in
 * Float32Arrays here, fed in and read back each step; names and layouts are tf.js's, so
 * checkpoints are interchangeable with the tf.js backends.
 */
import type * as ortNs from 'onnxruntime-node';
import type * as tfNs from '@tensorflow/tfjs';
import type { OutputSpec } from '../../compile/compile.js';
import type { Dataset } from '../../data/types.js';
import type { Graph } from '../../graph/validate.js';
import { Rng } from '../../util/rng.js';
import { gatherRows, gatherTargets, planTargets, sizeOf, targetBatchShape, type TargetPlan } from '../batches.js';
import type { TrainingConfig } from '../config.js';
import { classificationMetrics, classProbabilities, type EvaluationResult } from '../evaluate.js';
import type { LossName } from '../losses.js';
import { meanAbsoluteError, meanSquaredError } from '../metrics.js';
import type { SavedTensor } from '../saved-tensor.js';
import { ITERATIONS_STATE, optimizerSlotName, type StepBatch, type StepResult, type Stepper } from '../stepper.js';
import { compileStep, type StepModel } from './step-model.js';
import type { StepProvider } from './types.js';
import { resolveThreads } from './threads.js';

type Ort = typeof ortNs;

/** Options of OrtStepper.create. */
export interface OrtStepperOptions {
  graph: Graph;
  /** The compiled tf.js model: initial weights and the tf.js weight names. */
  model: tfNs.LayersModel;
  output: OutputSpec;
  config: TrainingConfig;
  /** Training data (decides the target layout). */
  train: Dataset;
  /** Intra-op threads for onnxruntime; default `config.threads`, else the machine's cores (threads.ts). */
  threads?: number;
  /** The provider the step is compiled for (default 'cpu'); the WebGPU trainer passes 'webgpu'. */
  provider?: StepProvider;
  /** Extra onnxruntime session options for the training session (profiling, experiments). */
  sessionOptions?: ortNs.InferenceSession.SessionOptions;
}

/** Softmax over rows, for metrics when the model outputs logits. */
function softmaxRows(v: Float32Array, width: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let r = 0; r < v.length; r += width) {
    let m = -Infinity;
    for (let j = 0; j < width; j++) m = Math.max(m, v[r + j]);
    let s = 0;
    for (let j = 0; j < width; j++) s += out[r + j] = Math.exp(v[r + j] - m);
    for (let j = 0; j < width; j++) out[r + j] /= s;
  }
  return out;
}

/** A Stepper backed by onnxruntime-node. */
export class OrtStepper implements Stepper {
  readonly paramCount: number;
  readonly outputShape: readonly (number | null)[];
  /** onnxruntime intra-op threads both sessions run with. */
  readonly threads: number;
  /** Current values by graph input name (weights, BatchNorm state, optimizer state). */
  private values = new Map<string, Float32Array>();
  /**
   * Second set of buffers the step writes its outputs into (preallocated fetches); the two
   * sets swap after every step, so weights and state are never reallocated or copied in JS.
   */
  private spare = new Map<string, Float32Array>();
  /** tf.js weight originalName -> graph input names (train model, eval model). */
  private readonly byWeight = new Map<string, { train: string; evaluate?: string; shape: number[] }>();
  private readonly weightOrder: string[] = [];
  private iterations = 0;

  private constructor(
    private readonly ort: Ort,
    /** The compiled step (names of every input and output); other steppers reuse it. */
    readonly spec: StepModel,
    private readonly trainSession: ortNs.InferenceSession,
    private readonly evalSession: ortNs.InferenceSession,
    private readonly plan: TargetPlan,
    private readonly opts: OrtStepperOptions,
    threads: number,
  ) {
    this.threads = threads;
    this.paramCount = opts.model.countParams();
    this.outputShape = opts.model.outputs[0].shape;
    const evalByKey = new Map([...spec.evalParams, ...spec.evalStates].map((p) => [`${p.node}/${p.index}`, p.name]));
    for (const p of [...spec.params, ...spec.states]) {
      const w = opts.model.getLayer(p.node).weights[p.index];
      this.byWeight.set(w.originalName, { train: p.name, evaluate: evalByKey.get(`${p.node}/${p.index}`), shape: p.shape });
      this.values.set(p.name, w.read().dataSync().slice() as Float32Array);
    }
    for (const w of opts.model.weights) this.weightOrder.push(w.originalName);
    for (const s of spec.optState) this.values.set(s.input, new Float32Array(sizeOf(s.shape)).fill(s.init));
    for (const [name, v] of this.values) this.spare.set(name, new Float32Array(v.length));
  }

  /** Compiles the step for the graph and opens both sessions. Throws naming the node that cannot train here. */
  static async create(opts: OrtStepperOptions): Promise<OrtStepper> {
    const ort = await import('onnxruntime-node');
    const plan = planTargets(opts.train, opts.output.loss as LossName, opts.model.outputs[0].shape, opts.config.targetIsInput);
    const spec = compileStep(opts.graph, opts.model, opts.output, opts.config, {
      targetShape: plan.shape,
      sparseTargets: plan.kind === 'indices',
      numClasses: opts.train.numClasses,
      provider: opts.provider,
    });
    const threads = resolveThreads(opts.threads, opts.config.threads);
    const so = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    const [trainSession, evalSession] = await Promise.all([
      ort.InferenceSession.create(spec.train, { ...so, ...opts.sessionOptions }),
      ort.InferenceSession.create(spec.evaluate, so),
    ]);
    return new OrtStepper(ort, spec, trainSession, evalSession, plan, opts, threads);
  }

  private tensor(data: Float32Array | Int32Array, shape: number[]): ortNs.Tensor {
    return new this.ort.Tensor(data instanceof Int32Array ? 'int32' : 'float32', data, shape);
  }

  private inputTensor(x: Float32Array, shape: number[]): ortNs.Tensor {
    return this.spec.inputDtype === 'int32' ? this.tensor(Int32Array.from(x), shape) : this.tensor(x, shape);
  }

  /** Dropout masks for a batch of n: 0 or 1/(1-rate), seeded per step. */
  private masks(n: number, seed: number): Record<string, ortNs.Tensor> {
    const rng = new Rng(seed);
    const out: Record<string, ortNs.Tensor> = {};
    for (const m of this.spec.masks) {
      const shape = m.shape.map((d, i) => (i === 0 ? n : (d ?? 1)));
      const keep = 1 / (1 - m.rate);
      const data = new Float32Array(sizeOf(shape));
      for (let i = 0; i < data.length; i++) data[i] = rng.next() >= m.rate ? keep : 0;
      out[m.name] = this.tensor(data, shape);
    }
    return out;
  }

  /**
   * The feeds of one step that are not carried state: the batch, its size, the learning rate,
   * the step number and the dropout masks (a GPU stepper feeds the same).
   */
  stepFeeds(batch: StepBatch, lr: number, seed: number, iteration = this.iterations): Record<string, ortNs.Tensor> {
    const s = this.spec;
    return {
      [s.inputName]: this.inputTensor(batch.x, batch.xShape),
      [s.targetName]: this.tensor(batch.y, batch.yShape),
      [s.batchName]: this.tensor(Float32Array.of(batch.n), []),
      [s.lrName]: this.tensor(Float32Array.of(lr), []),
      [s.stepName]: this.tensor(Float32Array.of(iteration + 1), []),
      ...this.masks(batch.n, seed),
    };
  }

  /** Every carried value: its graph input, the step output that updates it, its shape. */
  carried(): { input: string; output: string; shape: number[] }[] {
    const s = this.spec;
    return [
      ...s.params.map((p, i) => ({ input: p.name, output: s.outputs.params[i], shape: p.shape })),
      ...s.states.map((p, i) => ({ input: p.name, output: s.outputs.states[i], shape: p.shape })),
      ...s.optState.map((o, i) => ({ input: o.input, output: s.outputs.optState[i], shape: o.shape })),
    ];
  }

  /** The current host copy of a carried value (by graph input name). */
  carriedValue(input: string): Float32Array {
    return this.values.get(input)!;
  }

  /** Replaces the host copies after steps ran elsewhere (a GPU session), and the step count. */
  adoptCarried(values: Map<string, Float32Array>, iterations: number): void {
    for (const [name, v] of values) this.values.get(name)!.set(v);
    this.iterations = iterations;
  }

  /** Optimizer steps taken so far. */
  get stepCount(): number {
    return this.iterations;
  }

  async step(batch: StepBatch, lr: number, seed: number): Promise<StepResult> {
    const s = this.spec;
    const feeds = this.stepFeeds(batch, lr, seed);
    const fetches: Record<string, ortNs.Tensor | null> = { [s.outputs.loss]: null, [s.outputs.prediction]: null };
    for (const { input, output, shape } of this.carried()) {
      feeds[input] = this.tensor(this.values.get(input)!, shape);
      fetches[output] = this.tensor(this.spare.get(input)!, shape);
    }
    const out = await this.trainSession.run(feeds, fetches);
    [this.values, this.spare] = [this.spare, this.values];
    this.iterations++;
    return { loss: (out[s.outputs.loss].data as Float32Array)[0], preds: out[s.outputs.prediction].data as Float32Array };
  }

  async evaluate(ds: Dataset, batchSize: number): Promise<EvaluationResult> {
    const outShape = (this.outputShape.slice(1) as (number | null)[]).map((d) => d ?? -1);
    const outSize = sizeOf(outShape);
    const predictions = new Float32Array(ds.count * outSize);
    const xSize = sizeOf(ds.inputShape);
    const all = Int32Array.from({ length: ds.count }, (_, i) => i);
    const weights: Record<string, ortNs.Tensor> = {};
    for (const { evaluate, shape, train } of this.byWeight.values()) if (evaluate) weights[evaluate] = this.tensor(this.values.get(train)!, shape);
    let lossSum = 0;
    for (let start = 0; start < ds.count; start += batchSize) {
      const end = Math.min(ds.count, start + batchSize);
      const n = end - start;
      const xv = gatherRows(ds.x, xSize, all, start, end);
      const y = gatherTargets(ds, this.plan, all, start, end, xv);
      const out = await this.evalSession.run({
        ...weights,
        [this.spec.inputName]: this.inputTensor(xv, [n, ...ds.inputShape]),
        y: this.tensor(y, targetBatchShape(this.plan, n)),
        batch_size: this.tensor(Float32Array.of(n), []),
      });
      lossSum += (out.loss.data as Float32Array)[0] * n;
      predictions.set(out.prediction.data as Float32Array, start * outSize);
    }
    const units = outShape[outShape.length - 1] ?? 1;
    const { loss: lossName, fromLogits } = this.opts.output;
    const probs = fromLogits && lossName !== 'binaryCrossentropy' && units > 1 ? softmaxRows(predictions, units) : predictions;
    const result: EvaluationResult = { loss: ds.count ? lossSum / ds.count : 0, count: ds.count, predictions: probs, outputShape: outShape };
    if (ds.task === 'classification' && !this.plan.fromInput) {
      const { scores, numClasses } = classProbabilities(probs, ds.count, units);
      result.classification = classificationMetrics(ds.y, scores, numClasses);
    } else {
      const targets = this.plan.fromInput ? ds.x : ds.y;
      result.regression = { mse: meanSquaredError(targets, probs), mae: meanAbsoluteError(targets, probs) };
    }
    return result;
  }

  async getWeights(): Promise<SavedTensor[]> {
    return this.opts.model.weights.map((w) => {
      const entry = this.byWeight.get(w.originalName);
      const data = entry ? this.values.get(entry.train)!.slice() : (w.read().dataSync().slice() as Float32Array);
      return { name: w.originalName, shape: w.shape as number[], dtype: 'float32' as const, data };
    });
  }

  setWeights(weights: SavedTensor[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    const named = this.weightOrder.every((n) => byName.has(n));
    if (!named && weights.length !== this.weightOrder.length) {
      throw new Error(`checkpoint holds ${weights.length} weights, the model has ${this.weightOrder.length}`);
    }
    const picks = this.weightOrder.map((n, i) => (named ? byName.get(n)! : weights[i]));
    picks.forEach((s, i) => {
      const entry = this.byWeight.get(this.weightOrder[i]);
      if (!entry) return;
      if (s.shape.join(',') !== entry.shape.join(',')) throw new Error(`weight '${s.name}' has shape [${s.shape}], the model needs [${entry.shape}]`);
    });
    picks.forEach((s, i) => {
      const entry = this.byWeight.get(this.weightOrder[i]);
      if (entry) this.values.set(entry.train, Float32Array.from(s.data));
    });
  }

  /** Optimizer slots in the backend-neutral naming of stepper.ts. */
  async getOptimizerState(): Promise<SavedTensor[]> {
    const nameOf = new Map([...this.byWeight].map(([orig, e]) => [e.train, orig]));
    const out: SavedTensor[] = [{ name: ITERATIONS_STATE, shape: [], dtype: 'int32', data: Int32Array.of(this.iterations) }];
    for (const o of this.spec.optState) {
      out.push({ name: optimizerSlotName(nameOf.get(o.param)!, o.slot), shape: o.shape, dtype: 'float32', data: this.values.get(o.input)!.slice() });
    }
    return out;
  }

  async setOptimizerState(state: SavedTensor[]): Promise<void> {
    const byName = new Map(state.map((s) => [s.name, s]));
    const iter = byName.get(ITERATIONS_STATE);
    if (iter) this.iterations = Number(iter.data[0]);
    const nameOf = new Map([...this.byWeight].map(([orig, e]) => [e.train, orig]));
    for (const o of this.spec.optState) {
      const s = byName.get(optimizerSlotName(nameOf.get(o.param)!, o.slot));
      if (!s) {
        if (state.length > 1) throw new Error(`optimizer state has no '${optimizerSlotName(nameOf.get(o.param)!, o.slot)}'`);
        continue;
      }
      if (s.data.length !== sizeOf(o.shape)) throw new Error(`optimizer state '${s.name}' has ${s.data.length} values, needs ${sizeOf(o.shape)}`);
      this.values.set(o.input, Float32Array.from(s.data));
    }
  }

  /** Copies the trained weights back into the tf.js model (for export and the run store). */
  writeBack(tf: typeof import('@tensorflow/tfjs')): void {
    for (const w of this.opts.model.weights) {
      const e = this.byWeight.get(w.originalName);
      if (!e) continue;
      tf.tidy(() => {
        w.write(tf.tensor(this.values.get(e.train)!, w.shape as number[]));
      });
    }
  }

  /** Ends onnxruntime's profiling of the training session (when enabled), writing its trace file. */
  endProfiling(): void {
    this.trainSession.endProfiling();
  }

  dispose(): void {
    void this.trainSession.release();
    void this.evalSession.release();
  }
}
