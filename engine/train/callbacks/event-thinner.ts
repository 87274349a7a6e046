/**
 * Decides which optimizer steps become `batch` events: at most one per `intervalMs`, plus
 * the last step of every epoch (so charts end on the epoch's final loss). A listener that
 * must see every step (a search trial watching for a NaN loss) uses interval 0.
 */
import type { BatchEnd, LoopContext, TrainCallback } from './types.js';

/** Emits thinned `batch` events with the epoch's running rate and the run's ETA. */
export class BatchEventThinner implements TrainCallback {
  private last = -Infinity;

  constructor(private readonly intervalMs: number) {}

  onBatchEnd(ctx: LoopContext, b: BatchEnd): void {
    const now = performance.now();
    if (now - this.last < this.intervalMs && b.step !== ctx.stepsPerEpoch - 1) return;
    this.last = now;
    const rate = b.epochSamples / Math.max(1e-3, (now - b.epochStart) / 1000);
    const remaining = (ctx.epochs - b.epoch - 1) * ctx.trainCount + (ctx.trainCount - b.epochSamples);
    ctx.emit({ event: 'batch', epoch: b.epoch + 1, batch: b.step + 1, loss: b.loss, lr: b.lr, samplesPerSec: rate, etaSeconds: remaining / rate });
  }
}
