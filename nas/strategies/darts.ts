/**
 * DARTS: Liu, Simonyan & Yang, "DARTS: Differentiable Architecture Search", ICLR 2019.
 *
 * Continuous relaxation: every decision gets architecture parameters α (one per option,
 * initialised at 1e-3·N(0,1)), and the supernet mixes the options of each decision with
 * softmax(α) (nas/supernet: Choice alternatives, Cell edge ops, gated optional edges, Repeat
 * depths, channel masks for widths). Each step alternates, first-order (the paper's
 * "DARTS (first order)", ξ = 0):
 * 1. α ← Adam step on ∇α L_val(w, α) on a validation minibatch (paper: lr 3e-4,
 *    β = (0.5, 0.999), weight decay 1e-3);
 * 2. w ← SGD step on ∇w L_train(w, α) on a training minibatch.
 * The result is discretized by argmax per decision (NAS-Bench-201's rule, `none` included;
 * should that leave a cell with no path, `none` is excluded, which is DARTS's own rule).
 *
 * Collapse and its remedies. DARTS drifts towards parameter-free ops (skip connections,
 * pooling, `none`) as search goes on: they make the supernet fit fastest, so their α wins
 * while the convolutions are still untrained (the "Matthew effect"), although the discretized
 * network is poor (NAS-Bench-201 reports 54.30% on CIFAR-10, an all-skip cell).
 * - `dropout` (default): **operation-level dropout** on the outputs of the parameter-free ops
 *   (skip, pooling), as P-DARTS (Chen, Xie, Wu & Tian, "Progressive Differentiable
 *   Architecture Search", ICCV 2019) does on skip connections: it partially cuts the easy
 *   path so the parametric ops get trained and chosen on merit. The rate starts at
 *   {@link OP_DROPOUT} and decays linearly to 0 over the search, so α ends up judged on the
 *   undropped network. ENAS uses the same remedy (enas.ts).
 * - `darts-`: **DARTS-** (Chu, Wang, Zhang, Zhang, Wei & Li, "DARTS-: Robustly Stepping out of
 *   Performance Collapse Without Indicators", ICLR 2021): an auxiliary skip β·x on every mixed
 *   edge, outside the softmax, with β decaying linearly from 1 to 0; it gives the gradient the
 *   easy path the skip op otherwise wins α for. On the small task of the tests and benchmark
 *   it made the supernet train slower and shifted α to pooling instead (BENCHMARKS.md), so it
 *   is not the default.
 * - `none`: plain DARTS, for comparison.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../../engine/layers/types.js';
import { optimizerSchema } from '../../engine/train/config.js';
import { createOptimizer, type TrainOptimizer } from '../../engine/train/optimizers.js';
import { Rng, withSeededMathRandom } from '../../engine/util/rng.js';
import type { Sample } from '../space/types.js';
import type { Batch } from '../supernet/data.js';
import type { MixWeights } from '../supernet/forward.js';
import type { Supernet, WeightSharingSpace } from '../supernet/supernet.js';
import { probGradients, weightStep } from '../supernet/train.js';
import {
  eachTrainBatch,
  FixedProposals,
  likeliest,
  OP_DROPOUT,
  stepSeed,
  ValBatches,
  type EpochContext,
  type EpochResult,
  type OneShotState,
  type OneShotStrategy,
} from './one-shot.js';
import type { Strategy } from './types.js';

/** Remedies for the collapse to parameter-free ops. */
export type CollapseRemedy = 'darts-' | 'dropout' | 'none';

/** Options of {@link Darts}. */
export interface DartsOptions {
  /** Adam learning rate of α (default 3e-3: the paper's 3e-4 is for 50 epochs of 25k images). */
  archLearningRate?: number;
  /** L2 weight decay of α (default 1e-3, as the paper). */
  archWeightDecay?: number;
  /** Collapse remedy (default `dropout`). */
  remedy?: CollapseRemedy;
  /** Epochs that train only the weights, α frozen (default 0). */
  warmupEpochs?: number;
}

/** DARTS, first order (Liu et al., ICLR 2019), with a collapse remedy; see the module comment. */
export class Darts implements OneShotStrategy {
  readonly name = 'darts';
  readonly remedy: CollapseRemedy;
  private readonly tf: Tf;
  private readonly alphas: tfNs.Variable[];
  private readonly archOpt: TrainOptimizer;
  private readonly decay: number;
  private readonly warmup: number;
  /** Steps taken over the whole search (β's schedule). */
  private step = 0;

  constructor(
    readonly space: WeightSharingSpace,
    private readonly net: Supernet,
    seed: number,
    options: DartsOptions = {},
  ) {
    this.tf = net.tf;
    this.remedy = options.remedy ?? 'dropout';
    this.decay = options.archWeightDecay ?? 1e-3;
    this.warmup = options.warmupEpochs ?? 0;
    const rng = new Rng(seed);
    this.alphas = space.decisions.map((d) => this.tf.tidy(() => this.tf.variable(this.tf.tensor1d(d.options.map(() => 1e-3 * rng.normal())), true)));
    this.archOpt = createOptimizer(
      this.tf,
      optimizerSchema.parse({ name: 'adam', learningRate: options.archLearningRate ?? 3e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 }),
    );
  }

  /** DARTS-'s auxiliary skip weight: 1 at the start of the search, 0 at its end. */
  beta(totalSteps: number): number {
    return this.remedy === 'darts-' ? Math.max(0, 1 - this.step / totalSteps) : 0;
  }

  /** P-DARTS's operation-level dropout on parameter-free ops: OP_DROPOUT decaying to 0. */
  dropRate(totalSteps: number): number {
    return this.remedy === 'dropout' ? OP_DROPOUT * Math.max(0, 1 - this.step / totalSteps) : 0;
  }

  async trainEpoch(ctx: EpochContext): Promise<EpochResult | null> {
    const total = ctx.epochs * Math.ceil(ctx.data.train.count / ctx.batchSize);
    const val = new ValBatches(ctx, 'arch');
    let loss = 0;
    let valLoss = 0;
    let steps = 0;
    let beta = 0;
    const done = await eachTrainBatch(ctx, async (batch, step) => {
      beta = this.beta(total);
      const drop = this.dropRate(total);
      if (ctx.epoch > this.warmup) {
        const vb = val.take();
        try {
          valLoss += await this.archStep(vb, stepSeed(ctx, step, 'a'), beta, drop);
        } finally {
          this.tf.dispose([vb.x, vb.y]);
        }
      }
      loss += await weightStep(
        this.net,
        ctx.weights,
        batch,
        { relaxed: this.probabilities() },
        { seed: stepSeed(ctx, step), auxSkip: beta, paramFreeDropout: drop },
      );
      this.step++;
      steps++;
    });
    return done ? { metrics: { loss: loss / steps, valLoss: valLoss / steps, beta } } : null;
  }

  /**
   * One first-order step of α on a validation batch; returns its loss. On onnxruntime the
   * graph gives ∂L/∂p for p = softmax(α) and the softmax's Jacobian is applied here,
   * ∂L/∂α = p ⊙ (∂L/∂p − ⟨p, ∂L/∂p⟩); on tf.js, autodiff through the softmax.
   */
  private async archStep(vb: Batch, seed: number, beta: number, drop: number): Promise<number> {
    const tf = this.tf;
    const probs = this.probabilities();
    const onnx = await probGradients(this.net, vb, probs, { seed, auxSkip: beta, paramFreeDropout: drop });
    let loss: number;
    let grads: Record<string, tfNs.Tensor>;
    if (onnx) {
      loss = onnx.loss;
      grads = Object.fromEntries(
        this.space.decisions.map((d, i) => {
          const p = probs[d.name];
          const g = onnx.grads[d.name];
          const dot = p.reduce((s, v, k) => s + v * g[k], 0);
          return [this.alphas[i].name, tf.tensor1d(p.map((v, k) => v * (g[k] - dot)))];
        }),
      );
    } else {
      const opts = { batchStats: true, auxSkip: beta, paramFreeDropout: drop };
      const r = withSeededMathRandom(seed, () => tf.variableGrads(() => this.net.loss(vb.x, vb.y, this.net.relaxed(this.probTensors()), opts), this.alphas));
      loss = r.value.dataSync()[0];
      r.value.dispose();
      grads = r.grads;
    }
    // Adam with L2 weight decay, as PyTorch's Adam(weight_decay=...) in the paper's code.
    const decayed = tf.tidy(() => Object.fromEntries(this.alphas.map((a) => [a.name, tf.add(grads[a.name] ?? tf.zerosLike(a), tf.mul(a, this.decay))])));
    this.archOpt.apply(decayed, this.alphas);
    tf.dispose([...Object.values(grads), ...Object.values(decayed)]);
    return loss;
  }

  /** softmax(α) per decision of the space. */
  private probTensors(): Record<string, MixWeights> {
    return Object.fromEntries(this.space.decisions.map((d, i) => [d.name, this.tf.softmax(this.alphas[i])]));
  }

  probabilities(): Record<string, number[]> {
    const probs = this.tf.tidy(() => this.probTensors());
    const out = Object.fromEntries(Object.entries(probs).map(([k, t]) => [k, Array.from(t.dataSync())]));
    this.tf.dispose(Object.values(probs));
    return out;
  }

  /** argmax of α per decision (see {@link likeliest}). */
  derived(): Sample {
    return likeliest(this.net, this.probabilities());
  }

  selector(): Strategy {
    return new FixedProposals(this.space, [this.derived()]);
  }

  async saveState(): Promise<OneShotState> {
    const alpha = this.alphas.map((a) => Array.from(a.dataSync()));
    return { json: { alpha, step: this.step }, tensors: await this.archOpt.getState() };
  }

  async restoreState(state: OneShotState): Promise<void> {
    const j = state.json as { alpha?: number[][]; step?: number };
    if (!Array.isArray(j.alpha) || j.alpha.length !== this.alphas.length || typeof j.step !== 'number') throw new Error('darts.restoreState: bad state');
    this.alphas.forEach((a, i) => {
      if (j.alpha![i].length !== a.size)
        throw new Error(`darts.restoreState: α of "${this.space.decisions[i].name}" has ${j.alpha![i].length} values, expected ${a.size}`);
      this.tf.tidy(() => a.assign(this.tf.tensor1d(j.alpha![i])));
    });
    this.step = j.step;
    await this.archOpt.setState(state.tensors);
  }

  dispose(): void {
    this.tf.dispose(this.alphas);
    this.archOpt.dispose();
  }
}
