/**
 * SPOS, Single Path One-Shot: Guo, Zhang, Mu, Heng, Liu, Wei & Sun, "Single Path One-Shot
 * Neural Architecture Search with Uniform Sampling", ECCV 2020.
 *
 * Two decoupled stages. (1) Supernet training: every step trains the shared weights along one
 * path drawn uniformly from the space (here: uniformly among valid candidates, by rejection),
 * so every candidate's weights are trained about equally and no architecture parameter can
 * bias the supernet. (2) Search: an evolutionary search over candidates scored by their
 * validation accuracy *with the inherited supernet weights*, no training. The paper uses its
 * own evolution (population 50, crossover and mutation); as the issue asks, this uses the
 * project's regularized evolution (Real et al. 2019), which needs only `space.mutate`.
 * BatchNorm statistics are those of each scored batch (see nas/supernet/train.ts), the
 * per-candidate re-estimation the paper does before scoring.
 */
import { Rng } from '../../engine/util/rng.js';
import type { WeightSharingSpace } from '../supernet/supernet.js';
import type { Supernet } from '../supernet/supernet.js';
import { weightStep } from '../supernet/train.js';
import { RegularizedEvolution, type EvolutionOptions } from './evolution.js';
import {
  drawValid,
  eachTrainBatch,
  restoreRng,
  stepSeed,
  uniform,
  type EpochContext,
  type EpochResult,
  type OneShotState,
  type OneShotStrategy,
} from './one-shot.js';
import type { Strategy } from './types.js';

/** Options of {@link Spos}: those of the evolution stage. */
export type SposOptions = EvolutionOptions;

/** Single Path One-Shot (Guo et al., ECCV 2020); see the module comment. */
export class Spos implements OneShotStrategy {
  readonly name = 'spos';
  private readonly rng: Rng;

  constructor(
    readonly space: WeightSharingSpace,
    private readonly net: Supernet,
    seed: number,
    private readonly options: SposOptions = {},
  ) {
    this.rng = new Rng(seed);
  }

  async trainEpoch(ctx: EpochContext): Promise<EpochResult | null> {
    let loss = 0;
    let steps = 0;
    const done = await eachTrainBatch(ctx, async (batch, step) => {
      const path = drawValid(this.net, () => this.space.sample(this.rng));
      loss += await weightStep(this.net, ctx.weights, batch, { path }, { seed: stepSeed(ctx, step) });
      steps++;
    });
    return done ? { metrics: { loss: loss / steps } } : null;
  }

  /** Paths are drawn uniformly: the probabilities never change. */
  probabilities(): Record<string, number[]> {
    return uniform(this.space);
  }

  derived(): null {
    return null;
  }

  selector(seed: number): Strategy {
    return new RegularizedEvolution(this.space, seed, this.options);
  }

  async saveState(): Promise<OneShotState> {
    return { json: { rng: this.rng.state }, tensors: [] };
  }

  async restoreState(state: OneShotState): Promise<void> {
    restoreRng(this.rng, state.json, this.name);
  }

  dispose(): void {}
}
