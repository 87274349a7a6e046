/**
 * Weight-sharing ("one-shot") strategies: instead of training each candidate, they train one
 * supernet and search inside it (SPOS, ENAS, DARTS). Each gets the space's supernet and the
 * search data, trains it epoch by epoch (the runner checkpoints between epochs), exposes its
 * current per-decision probabilities, and hands the choice of the final architecture to an
 * ask/tell {@link Strategy} whose candidates the runner scores with the shared weights:
 * regularized evolution for SPOS, samples of the learned policy for ENAS, the discretized
 * α for DARTS.
 */
import { z } from 'zod';
import type { TrainOptimizer } from '../../engine/train/optimizers.js';
import type { SavedTensor } from '../../engine/train/saved-tensor.js';
import { hashString, type Rng } from '../../engine/util/rng.js';
import type { Sample, SearchSpace } from '../space/types.js';
import { batchAt, batchBounds, epochOrder, type Batch, type SearchData } from '../supernet/data.js';
import type { Supernet } from '../supernet/supernet.js';
import { baseStateShape, checkAskCount, checkObjective, checkSample, parseState, sampleSchema } from './common.js';
import type { Proposal, Strategy } from './types.js';

/** The weight-sharing strategies. */
export const ONE_SHOT_NAMES = ['spos', 'enas', 'darts'] as const;

/** One of {@link ONE_SHOT_NAMES}. */
export type OneShotName = (typeof ONE_SHOT_NAMES)[number];

/**
 * Initial rate of the operation-level dropout on parameter-free ops (the `dropout` collapse
 * remedy of DARTS and ENAS, after P-DARTS), decayed linearly to 0 over the search.
 */
export const OP_DROPOUT = 0.5;

/** What one training epoch gets. */
export interface EpochContext {
  net: Supernet;
  data: SearchData;
  /** 1-based. */
  epoch: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Optimizer of the shared weights (its learning rate is set per epoch by the runner). */
  weights: TrainOptimizer;
  /** Called after each step (the runner emits probability events from it). */
  onStep?: (step: number, steps: number) => void;
  /** Aborting ends the epoch early; it is then trained again on resume. */
  signal?: AbortSignal;
}

/** A finished epoch. */
export interface EpochResult {
  metrics: Record<string, number>;
}

/** Strategy state beyond JSON (DARTS's optimizer slots) travels as tensors. */
export interface OneShotState {
  json: unknown;
  tensors: SavedTensor[];
}

/** The weight-sharing strategy contract; see the module comment. */
export interface OneShotStrategy {
  readonly name: OneShotName;
  /** Trains one epoch; null when aborted part-way. */
  trainEpoch(ctx: EpochContext): Promise<EpochResult | null>;
  /** Per decision of the space, the probability of each option (in option order). */
  probabilities(): Record<string, number[]>;
  /** The architecture this strategy would return now (null for SPOS, which evolves one). */
  derived(): Sample | null;
  /** Proposes the candidates the runner scores with the trained supernet. */
  selector(seed: number): Strategy;
  saveState(): Promise<OneShotState>;
  restoreState(state: OneShotState): Promise<void>;
  dispose(): void;
}

/** Seed of one training step (dropout masks), so a re-run epoch repeats exactly. */
export function stepSeed(ctx: Pick<EpochContext, 'seed' | 'epoch'>, step: number, stream = 'w'): number {
  return hashString(`${ctx.seed}:${stream}:${ctx.epoch}:${step}`);
}

/**
 * Runs `fn` on each training batch of the epoch (seeded order, batches of `batchSize`, the
 * last one shorter), yielding to the event loop between steps so Ctrl+C and output get
 * through. Returns false when aborted.
 */
export async function eachTrainBatch(ctx: EpochContext, fn: (batch: Batch, step: number, steps: number) => void | Promise<void>): Promise<boolean> {
  const { train, plan } = ctx.data;
  const order = epochOrder(train.count, ctx.seed, ctx.epoch);
  const steps = Math.ceil(train.count / ctx.batchSize);
  for (let step = 0; step < steps; step++) {
    if (ctx.signal?.aborted) return false;
    const batch = batchAt(ctx.net.tf, train, plan, order, step * ctx.batchSize, Math.min(train.count, (step + 1) * ctx.batchSize));
    try {
      await fn(batch, step, steps);
    } finally {
      ctx.net.tf.dispose([batch.x, batch.y]);
    }
    ctx.onStep?.(step, steps);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/** Validation batches of the epoch in a seeded order, cycled (DARTS's α steps, ENAS's rewards). */
export class ValBatches {
  private readonly order: Int32Array;
  private readonly bounds: number[];
  private next = 0;

  constructor(
    private readonly ctx: EpochContext,
    stream: string,
  ) {
    const { val } = ctx.data;
    this.order = epochOrder(val.count, ctx.seed, ctx.epoch, stream);
    this.bounds = batchBounds(val.count, ctx.batchSize);
  }

  /** The next batch (the caller disposes it). */
  take(): Batch {
    const k = this.next++ % (this.bounds.length - 1);
    return batchAt(this.ctx.net.tf, this.ctx.data.val, this.ctx.data.plan, this.order, this.bounds[k], this.bounds[k + 1]);
  }
}

/** A valid candidate from `draw`, retried (invalid ones: cells no path crosses). */
export function drawValid(net: Supernet, draw: () => Sample): Sample {
  for (let i = 0; i < 1000; i++) {
    const s = draw();
    if (net.isValid(s)) return s;
  }
  throw new Error(`supernet of ${net.space.name}: no valid candidate in 1000 draws`);
}

/** Uniform probabilities over every decision's options. */
export function uniform(space: SearchSpace): Record<string, number[]> {
  return Object.fromEntries(space.decisions.map((d) => [d.name, d.options.map(() => 1 / d.options.length)]));
}

/** The most likely option of every decision. */
export function argmaxSample(space: SearchSpace, probs: Record<string, number[]>, exclude: (option: unknown) => boolean = () => false): Sample {
  return Object.fromEntries(
    space.decisions.map((d) => {
      const p = probs[d.name];
      let best = -1;
      p.forEach((v, i) => {
        if (!exclude(d.options[i]) && (best < 0 || v > p[best])) best = i;
      });
      return [d.name, d.options[best < 0 ? 0 : best]];
    }),
  );
}

/**
 * The most likely valid architecture: argmax per decision (NAS-Bench-201's rule, `none`
 * included); when that leaves a cell with no path, `none` is excluded (DARTS's own rule).
 */
export function likeliest(net: Supernet, probs: Record<string, number[]>): Sample {
  const s = argmaxSample(net.space, probs);
  return net.isValid(s) ? s : argmaxSample(net.space, probs, (o) => o === 'none');
}

const fixedState = z.object({
  strategy: z.literal('fixed'),
  ...baseStateShape,
  samples: z.array(sampleSchema),
  pending: z.array(z.number().int().nonnegative()),
});

/**
 * Proposes a fixed list of candidates once each, then nothing (DARTS scores its discretized
 * architecture this way, through the same trial bookkeeping as every search).
 */
export class FixedProposals implements Strategy {
  readonly name = 'fixed';
  private nextId = 0;
  private readonly pending = new Set<number>();

  constructor(
    readonly space: SearchSpace,
    private samples: Sample[],
  ) {}

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const out: Proposal[] = [];
    while (out.length < n && this.nextId < this.samples.length) {
      const id = this.nextId++;
      this.pending.add(id);
      out.push({ id, sample: { ...this.samples[id] } });
    }
    return out;
  }

  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    if (!this.pending.delete(id)) throw new Error(`${this.name}.tell(${id}): no pending proposal with this id`);
  }

  state(): z.infer<typeof fixedState> {
    return { strategy: 'fixed', version: 1, space: this.space.name, rng: 0, nextId: this.nextId, samples: this.samples, pending: [...this.pending] };
  }

  restore(state: unknown): void {
    const s = parseState(fixedState, state, this.name, this.space);
    this.samples = s.samples.map((x) => checkSample(this.space, x));
    this.nextId = s.nextId;
    this.pending.clear();
    for (const id of s.pending) this.pending.add(id);
  }
}

/** Reads an Rng state saved in JSON (shared by the strategies' `restoreState`). */
export function restoreRng(rng: Rng, json: unknown, who: string): void {
  const v = (json as { rng?: unknown } | null)?.rng;
  if (typeof v !== 'number') throw new Error(`${who}.restoreState: no rng state`);
  rng.state = v;
}
