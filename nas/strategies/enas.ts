/**
 * ENAS: Pham, Guan, Zoph, Le & Dean, "Efficient Neural Architecture Search via Parameter
 * Sharing", ICML 2018.
 *
 * A controller policy π samples architectures (paths of the supernet); training alternates
 * two phases each epoch:
 * 1. shared weights ω: one pass over the training half, each minibatch along a path drawn
 *    from π, one SGD step of ω;
 * 2. controller θ: `controllerSteps` REINFORCE updates, each rewarding a path drawn from π
 *    with its accuracy on one validation minibatch under the current ω, against a moving
 *    average baseline, with the policy's entropy added to the reward (weight 1e-4 in the
 *    paper) to keep it exploring.
 * At the end, candidates are sampled from the trained π and scored with the shared weights;
 * the best is the result (the paper scores each on one validation minibatch; here on the
 * whole validation half, which is small).
 *
 * The controller is the project's REINFORCE (strategies/reinforce.ts): one categorical
 * distribution per decision with Adam on its logits, as NAS-Bench-201 benchmarks REINFORCE,
 * rather than the paper's LSTM, whose autoregression matters for its larger spaces. A path
 * that is not a valid candidate (a cell no path crosses) is rewarded with chance accuracy,
 * which is what a network that outputs nothing scores.
 *
 * Collapse remedy (`remedy: 'dropout'`, the default): ENAS collapses like DARTS (NAS-Bench-201:
 * 54.30% on CIFAR-10), for the same reason: early on, paths of parameter-free ops score best
 * under half-trained shared weights, so the controller learns to prefer them and the
 * convolutions never catch up. While ω trains, the outputs of parameter-free ops on the
 * sampled path go through operation-level dropout (P-DARTS, Chen et al., ICCV 2019), its rate
 * decaying from {@link OP_DROPOUT} to 0; rewards are measured without it. `warmupEpochs`
 * optionally trains ω along uniform paths before the controller starts.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { Supernet, WeightSharingSpace } from '../supernet/supernet.js';
import { correctOn, weightStep } from '../supernet/train.js';
import type { SearchSpace } from '../space/types.js';
import { baseStateShape, checkAskCount, checkObjective, drawCategorical, parseState } from './common.js';
import {
  drawValid,
  eachTrainBatch,
  likeliest,
  OP_DROPOUT,
  restoreRng,
  stepSeed,
  ValBatches,
  type EpochContext,
  type EpochResult,
  type OneShotState,
  type OneShotStrategy,
} from './one-shot.js';
import { Reinforce } from './reinforce.js';
import type { Proposal, Strategy } from './types.js';

/** Options of {@link Enas}. */
export interface EnasOptions {
  /** Controller Adam learning rate (default 0.05: far fewer controller steps than the paper's 2000 per epoch). */
  controllerLearningRate?: number;
  /** Momentum of the reward baseline (default 0.95). */
  baselineMomentum?: number;
  /** Entropy bonus weight (default 1e-4, as the paper). */
  entropyWeight?: number;
  /** Controller updates per epoch (default 50). */
  controllerSteps?: number;
  /** Epochs that train the shared weights along uniformly drawn paths, controller frozen (default 0). */
  warmupEpochs?: number;
  /** Collapse remedy: operation-level dropout on parameter-free ops while training ω (default `dropout`). */
  remedy?: 'dropout' | 'none';
}

/** ENAS (Pham et al., ICML 2018); see the module comment. */
export class Enas implements OneShotStrategy {
  readonly name = 'enas';
  readonly controller: Reinforce;
  private readonly controllerSteps: number;
  private readonly warmup: number;
  readonly remedy: 'dropout' | 'none';
  private readonly rng: Rng;

  constructor(
    readonly space: WeightSharingSpace,
    private readonly net: Supernet,
    seed: number,
    options: EnasOptions = {},
  ) {
    this.controller = new Reinforce(space, seed, {
      learningRate: options.controllerLearningRate ?? 0.05,
      baselineMomentum: options.baselineMomentum ?? 0.95,
      entropyWeight: options.entropyWeight ?? 1e-4,
    });
    this.controllerSteps = options.controllerSteps ?? 50;
    this.warmup = options.warmupEpochs ?? 0;
    this.remedy = options.remedy ?? 'dropout';
    this.rng = new Rng(seed ^ 0x5eed);
  }

  async trainEpoch(ctx: EpochContext): Promise<EpochResult | null> {
    let loss = 0;
    let steps = 0;
    const warm = ctx.epoch <= this.warmup;
    const total = ctx.epochs * Math.ceil(ctx.data.train.count / ctx.batchSize);
    const done = await eachTrainBatch(ctx, async (batch, step, perEpoch) => {
      const path = drawValid(this.net, () => (warm ? this.space.sample(this.rng) : this.controller.sample()));
      const progress = ((ctx.epoch - 1) * perEpoch + step) / total;
      const paramFreeDropout = this.remedy === 'dropout' ? OP_DROPOUT * (1 - progress) : 0;
      loss += await weightStep(this.net, ctx.weights, batch, { path }, { seed: stepSeed(ctx, step), paramFreeDropout });
      steps++;
    });
    if (!done) return null;
    if (warm) return { metrics: { loss: loss / steps } };
    const val = new ValBatches(ctx, 'controller');
    let reward = 0;
    for (let k = 0; k < this.controllerSteps; k++) {
      if (ctx.signal?.aborted) return null;
      const [p] = this.controller.ask(1);
      const r = await this.reward(val, p.sample, ctx.data.classes);
      this.controller.tell(p.id, r);
      reward += r;
      ctx.onStep?.(steps + k, steps + this.controllerSteps);
    }
    return { metrics: { loss: loss / steps, reward: reward / this.controllerSteps } };
  }

  /** Accuracy of a path on the next validation minibatch; chance level for an invalid path. */
  private async reward(val: ValBatches, s: Proposal['sample'], classes: number): Promise<number> {
    if (!this.net.isValid(s)) return 1 / classes;
    const batch = val.take();
    try {
      return (await correctOn(this.net, batch, s)) / batch.labels.length;
    } finally {
      this.net.tf.dispose([batch.x, batch.y]);
    }
  }

  probabilities(): Record<string, number[]> {
    return this.controller.probabilities();
  }

  /** The policy's most likely architecture (see {@link likeliest}). */
  derived(): Proposal['sample'] {
    return likeliest(this.net, this.probabilities());
  }

  /** Samples of the trained policy, scored by the runner with the shared weights. */
  selector(seed: number): Strategy {
    return new PolicySampler(this.space, this.probabilities(), seed);
  }

  async saveState(): Promise<OneShotState> {
    return { json: { controller: this.controller.state(), rng: this.rng.state }, tensors: [] };
  }

  async restoreState(state: OneShotState): Promise<void> {
    this.controller.restore((state.json as { controller?: unknown } | null)?.controller);
    restoreRng(this.rng, state.json, this.name);
  }

  dispose(): void {}
}

const samplerState = z.object({
  strategy: z.literal('policy'),
  ...baseStateShape,
  probabilities: z.record(z.string(), z.array(z.number())),
  pending: z.array(z.number().int().nonnegative()),
});

/** Draws candidates from a fixed policy (ENAS's final sampling); tells change nothing. */
export class PolicySampler implements Strategy {
  readonly name = 'policy';
  private readonly rng: Rng;
  private nextId = 0;
  private readonly pending = new Set<number>();

  constructor(
    readonly space: SearchSpace,
    private probs: Record<string, number[]>,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    return Array.from({ length: n }, () => {
      const id = this.nextId++;
      this.pending.add(id);
      const sample = Object.fromEntries(this.space.decisions.map((d) => [d.name, d.options[drawCategorical(this.rng, this.probs[d.name])]]));
      return { id, sample };
    });
  }

  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    if (!this.pending.delete(id)) throw new Error(`${this.name}.tell(${id}): no pending proposal with this id`);
  }

  state(): z.infer<typeof samplerState> {
    return {
      strategy: 'policy',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      probabilities: this.probs,
      pending: [...this.pending],
    };
  }

  restore(state: unknown): void {
    const s = parseState(samplerState, state, this.name, this.space);
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.probs = s.probabilities;
    this.pending.clear();
    for (const id of s.pending) this.pending.add(id);
  }
}
