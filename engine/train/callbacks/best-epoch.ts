/**
 * Which epoch is the run's best: by the early-stopping monitor when there is one, else by
 * `valLoss` (or `loss` without validation). The checkpointer writes `best.ckpt` on a new
 * best, and the run reports this epoch as `bestEpoch`.
 */
import type { Checkpoint } from '../checkpoint.js';
import { isImprovement, monitoredValue } from '../early-stopping.js';
import type { EpochEnd, TrainCallback, TrainOutcome } from './types.js';

/** Tracks the best epoch by one monitored metric. */
export class BestEpochTracker implements TrainCallback {
  best: Checkpoint['best'];
  /** Whether the epoch just ended is a new best (read by the checkpointer after this callback). */
  isBest = false;

  constructor(
    readonly monitor: string,
    readonly mode: 'min' | 'max',
  ) {
    this.best = { monitor, value: null, epoch: 0 };
  }

  /** A checkpoint's best counts only when it watched the same metric. */
  restore(ckpt: Checkpoint): void {
    if (ckpt.best.monitor === this.monitor) this.best = { ...ckpt.best };
  }

  checkpointFields(): Partial<Checkpoint> {
    return { best: { ...this.best } };
  }

  onEpochEnd(_ctx: unknown, e: EpochEnd): void {
    const value = monitoredValue(e.metrics, this.monitor);
    this.isBest = isImprovement(this.mode, value, this.best.value);
    if (this.isBest) this.best = { monitor: this.monitor, value, epoch: e.epoch };
  }

  onTrainEnd(_ctx: unknown, outcome: TrainOutcome): void {
    outcome.bestEpoch = this.best.epoch || null;
  }
}
