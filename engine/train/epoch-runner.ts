/**
 * One epoch's optimizer steps: shuffle, gather (and augment) each batch, step the backend
 * with the scheduled learning rate and a per-step dropout seed, accumulate the epoch's
 * training metrics, and hand every step to the callbacks. Yields to the event loop between
 * batches so cancellation, timers and a hosting server's requests can run.
 */
import type { Rng } from '../util/rng.js';
import { augmentBatch } from './augment.js';
import { gatherRows, gatherTargets, targetBatchShape } from './batches.js';
import type { BatchEnd, LoopContext, TrainCallback } from './callbacks/types.js';
import type { TrainingConfig } from './config.js';
import { EpochStats } from './epoch-stats.js';
import type { LoopPlan } from './loop-plan.js';
import { learningRateAt } from './schedule.js';
import { stepSeed } from './step-seed.js';
import type { Stepper } from './stepper.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What one epoch's steps need. */
export interface EpochInput {
  plan: LoopPlan;
  config: TrainingConfig;
  stepper: Stepper;
  rng: Rng;
  /** 0-based epoch. */
  epoch: number;
  /** The run's state; `globalStep` advances with every step (the seeds continue from it). */
  ctx: LoopContext & { globalStep: number };
  callbacks: readonly TrainCallback[];
  signal?: AbortSignal;
}

/** What an epoch's steps produced. `cancelled` when the signal fired before a step. */
export interface EpochSteps {
  stats: EpochStats;
  lr: number;
  cancelled: boolean;
}

/** Runs the steps of one epoch. */
export async function runEpochSteps(o: EpochInput): Promise<EpochSteps> {
  const { plan, config, stepper, rng, epoch, signal } = o;
  const { train, batchSize, stepsPerEpoch, xSize, ySize, targets: tplan, augment } = plan;
  const epochStart = performance.now();
  const perm = rng.permutation(train.count);
  const stats = new EpochStats({ task: plan.statsTask, units: plan.units, fromLogits: plan.fromLogits });
  let lr = config.optimizer.learningRate;
  for (let step = 0; step < stepsPerEpoch; step++) {
    if (signal?.aborted) return { stats, lr, cancelled: true };
    lr = learningRateAt(config, { epoch, step, stepsPerEpoch, totalEpochs: config.epochs });
    const start = step * batchSize;
    const end = Math.min(train.count, start + batchSize);
    const n = end - start;
    const xv = gatherRows(train.x, xSize, perm, start, end);
    const xin = augment ? augmentBatch(xv, n, train.inputShape, augment, rng) : xv;
    const y = gatherTargets(train, tplan, perm, start, end, xv);
    const { loss, preds } = await stepper.step(
      { n, x: xin, xShape: [n, ...train.inputShape], y, yShape: targetBatchShape(tplan, n) },
      lr,
      stepSeed(config.seed, o.ctx.globalStep),
    );
    const statTargets =
      plan.statsTask === 'classification' ? gatherRows(train.y, 1, perm, start, end) : tplan.fromInput ? xv : gatherRows(train.y, ySize, perm, start, end);
    stats.add(n, loss, preds, statTargets);
    o.ctx.globalStep++;
    const b: BatchEnd = { epoch, step, loss, lr, epochSamples: stats.count, epochStart };
    for (const c of o.callbacks) c.onBatchEnd?.(o.ctx, b);
    await tick();
  }
  return { stats, lr, cancelled: false };
}
