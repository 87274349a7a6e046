/**
 * Writes `last.ckpt` after every epoch and `best.ckpt` when the epoch is the best so far,
 * each followed by a `checkpoint` event. The checkpoint holds the loop's own state (epoch,
 * step, Rng, history, weights, optimizer state) plus the fields other callbacks contribute
 * (early stopping's state and snapshot, the best-epoch record), so it must come after them.
 */
import { saveCheckpoint, type Checkpoint } from '../checkpoint.js';
import type { BestEpochTracker } from './best-epoch.js';
import type { EpochEnd, LoopContext, TrainCallback } from './types.js';

/** Saves checkpoints into `dir` at the end of every epoch. */
export class Checkpointer implements TrainCallback {
  constructor(
    private readonly dir: string,
    private readonly best: BestEpochTracker,
    /** Callbacks whose `checkpointFields` go into each checkpoint, in order. */
    private readonly contributors: readonly TrainCallback[],
  ) {}

  async onEpochEnd(ctx: LoopContext, e: EpochEnd): Promise<void> {
    const extra: Partial<Checkpoint> = {};
    for (const c of this.contributors) Object.assign(extra, c.checkpointFields?.());
    const ckpt: Checkpoint = {
      epoch: e.epoch,
      globalStep: ctx.globalStep,
      seed: ctx.config.seed,
      rngState: ctx.rngState,
      optimizer: ctx.config.optimizer.name,
      best: { ...this.best.best },
      ...extra,
      history: ctx.history.map((m) => ({ ...m })),
      savedAt: new Date().toISOString(),
      modelWeights: await ctx.stepper.getWeights(),
      optimizerWeights: await ctx.stepper.getOptimizerState(),
    };
    const lastPath = await saveCheckpoint(this.dir, 'last', ckpt);
    ctx.emit({ event: 'checkpoint', epoch: e.epoch, path: lastPath, best: false });
    if (this.best.isBest) {
      const bestPath = await saveCheckpoint(this.dir, 'best', ckpt);
      ctx.emit({ event: 'checkpoint', epoch: e.epoch, path: bestPath, best: true });
    }
  }
}
