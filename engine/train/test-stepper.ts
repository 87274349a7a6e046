/**
 * A tensor-free `Stepper` for tests: softmax regression (one Dense layer named `lin`, logits
 * out, sparse cross-entropy) with hand-written gradients and SGD / momentum updates on
 * Float32Arrays. It follows stepper.ts's weight and optimizer-state conventions to the letter,
 * so it proves the loop needs nothing from tf.js and that checkpoints cross backends.
 */
import type { Dataset } from '../data/types.js';
import { Rng } from '../util/rng.js';
import { sizeOf } from './batches.js';
import { classificationMetrics, type EvaluationResult } from './evaluate.js';
import type { SavedTensor } from './saved-tensor.js';
import { ITERATIONS_STATE, OPTIMIZER_SLOTS, optimizerSlotName, type StepBatch, type StepResult, type Stepper } from './stepper.js';

/** Options of `SoftmaxStepper`. */
export interface SoftmaxStepperOptions {
  inputs: number;
  classes: number;
  /** Only these two; others throw (enough to exercise slot state). */
  optimizer: { name: 'sgd' | 'momentum'; momentum: number };
  /** Seed of the initial weights. */
  seed?: number;
}

/** Softmax regression trained by plain JS maths. */
export class SoftmaxStepper implements Stepper {
  readonly paramCount: number;
  readonly outputShape: readonly (number | null)[];
  /** Dropout seeds received, in call order (the model has no dropout; tests inspect them). */
  readonly seeds: number[] = [];
  kernel: Float32Array;
  bias: Float32Array;
  private iter = 0;
  private readonly slots: Record<string, Float32Array> = {};

  constructor(private readonly o: SoftmaxStepperOptions) {
    const rng = new Rng(o.seed ?? 1);
    this.kernel = Float32Array.from({ length: o.inputs * o.classes }, () => 0.3 * rng.normal());
    this.bias = new Float32Array(o.classes);
    this.paramCount = this.kernel.length + this.bias.length;
    this.outputShape = [null, o.classes];
  }

  private logits(x: Float32Array, n: number): Float32Array {
    const { inputs: d, classes: c } = this.o;
    const out = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < c; k++) {
        let s = this.bias[k];
        for (let j = 0; j < d; j++) s += x[i * d + j] * this.kernel[j * c + k];
        out[i * c + k] = s;
      }
    }
    return out;
  }

  /** Row-wise softmax and the mean cross-entropy against class indices. */
  private softmax(z: Float32Array, y: ArrayLike<number>, n: number): { p: Float64Array; loss: number } {
    const c = this.o.classes;
    const p = new Float64Array(n * c);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, z[i * c + k]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(z[i * c + k] - max);
      for (let k = 0; k < c; k++) p[i * c + k] = Math.exp(z[i * c + k] - max) / sum;
      loss -= Math.log(p[i * c + y[i]]);
    }
    return { p, loss: n ? loss / n : 0 };
  }

  async step(batch: StepBatch, lr: number, seed: number): Promise<StepResult> {
    const { inputs: d, classes: c } = this.o;
    const { n, x, y } = batch;
    if (!(y instanceof Int32Array) || batch.yShape.length !== 1) throw new Error('SoftmaxStepper takes class-index targets');
    this.seeds.push(seed);
    const z = this.logits(x, n);
    const { p, loss } = this.softmax(z, y, n);
    const gk = new Float32Array(d * c);
    const gb = new Float32Array(c);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < c; k++) {
        const e = (p[i * c + k] - (y[i] === k ? 1 : 0)) / n;
        gb[k] += e;
        for (let j = 0; j < d; j++) gk[j * c + k] += x[i * d + j] * e;
      }
    }
    this.update('lin/kernel', this.kernel, gk, lr);
    this.update('lin/bias', this.bias, gb, lr);
    this.iter++;
    return { loss, preds: z };
  }

  /** The stepper.ts rules for sgd and momentum (a ← μ·a + g; w ← w − lr·a). */
  private update(name: string, w: Float32Array, g: Float32Array, lr: number): void {
    const { name: opt, momentum: mu } = this.o.optimizer;
    if (opt === 'sgd') {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      return;
    }
    const key = optimizerSlotName(name, 'momentum');
    const a = (this.slots[key] ??= new Float32Array(w.length));
    for (let i = 0; i < w.length; i++) {
      a[i] = mu * a[i] + g[i];
      w[i] -= lr * a[i];
    }
  }

  async evaluate(ds: Dataset, _batchSize: number): Promise<EvaluationResult> {
    const c = this.o.classes;
    const z = this.logits(ds.x, ds.count);
    const { p, loss } = this.softmax(z, ds.y, ds.count);
    const predictions = Float32Array.from(p);
    return { loss, count: ds.count, predictions, outputShape: [c], classification: classificationMetrics(ds.y, predictions, c) };
  }

  async getWeights(): Promise<SavedTensor[]> {
    return [
      { name: 'lin/kernel', shape: [this.o.inputs, this.o.classes], dtype: 'float32', data: this.kernel.slice() },
      { name: 'lin/bias', shape: [this.o.classes], dtype: 'float32', data: this.bias.slice() },
    ];
  }

  setWeights(weights: SavedTensor[]): void {
    const get = (name: string, size: number) => {
      const w = weights.find((t) => t.name === name);
      if (!w || sizeOf(w.shape) !== size) throw new Error(`no weight '${name}' of ${size} values`);
      return Float32Array.from(w.data);
    };
    const kernel = get('lin/kernel', this.kernel.length);
    this.bias = get('lin/bias', this.bias.length);
    this.kernel = kernel;
  }

  async getOptimizerState(): Promise<SavedTensor[]> {
    const out: SavedTensor[] = [{ name: ITERATIONS_STATE, shape: [], dtype: 'int32', data: Int32Array.of(this.iter) }];
    for (const slot of OPTIMIZER_SLOTS[this.o.optimizer.name]) {
      for (const [name, shape] of [
        ['lin/kernel', [this.o.inputs, this.o.classes]],
        ['lin/bias', [this.o.classes]],
      ] as const) {
        const key = optimizerSlotName(name, slot);
        const data = this.slots[key];
        if (data) out.push({ name: key, shape: [...shape], dtype: 'float32', data: data.slice() });
      }
    }
    return out;
  }

  async setOptimizerState(state: SavedTensor[]): Promise<void> {
    for (const s of state) {
      if (s.name === ITERATIONS_STATE) this.iter = s.data[0];
      else this.slots[s.name] = Float32Array.from(s.data);
    }
  }

  dispose(): void {}
}
