/**
 * Early stopping as a loop callback: watches the configured monitor after every epoch, ends
 * the run after `patience` epochs without improvement, and with `restoreBest` keeps the best
 * epoch's weights (as plain arrays, so no backend memory is held between epochs) and puts
 * them back at the end. Its state and snapshot travel in checkpoints.
 */
import type { Checkpoint } from '../checkpoint.js';
import { EarlyStopping, type EarlyStoppingConfig } from '../early-stopping.js';
import type { SavedTensor } from '../saved-tensor.js';
import type { EpochEnd, LoopContext, TrainCallback, TrainOutcome } from './types.js';

/** Early stopping (and optional best-weights restore) for the training loop. */
export class EarlyStoppingCallback implements TrainCallback {
  readonly rule: EarlyStopping;
  private bestWeights: SavedTensor[] | null = null;

  constructor(cfg: EarlyStoppingConfig) {
    this.rule = new EarlyStopping(cfg);
  }

  /** The monitored metric and its direction (also what "best epoch" means for the run). */
  get monitor(): string {
    return this.rule.cfg.monitor;
  }

  get mode(): 'min' | 'max' {
    return this.rule.mode;
  }

  private get keepBest(): boolean {
    return this.rule.cfg.restoreBest;
  }

  restore(ckpt: Checkpoint): void {
    if (ckpt.earlyStopping) this.rule.state = { ...ckpt.earlyStopping };
    const bw = ckpt.bestWeights;
    if (this.keepBest && bw) {
      const count = ckpt.modelWeights.length;
      if (bw.length !== count) throw new Error(`checkpoint best weights hold ${bw.length} tensors, the model has ${count}`);
      this.bestWeights = bw;
    }
  }

  checkpointFields(): Partial<Checkpoint> {
    return { earlyStopping: { ...this.rule.state }, ...(this.keepBest && this.bestWeights ? { bestWeights: this.bestWeights } : {}) };
  }

  async onEpochEnd(ctx: LoopContext, e: EpochEnd): Promise<void> {
    const r = this.rule.update(e.epoch, e.metrics);
    if (r.improved && this.keepBest) this.bestWeights = await ctx.stepper.getWeights();
    if (r.stop) {
      const s = this.rule.state;
      e.stop = { event: 'early-stop', epoch: e.epoch, monitor: this.monitor, best: s.best ?? NaN, bestEpoch: s.bestEpoch };
    }
  }

  /** With `restoreBest`, a finished run ends on the best epoch's weights and metrics. */
  onTrainEnd(ctx: LoopContext, outcome: TrainOutcome): void {
    if (outcome.status === 'cancelled' || !this.keepBest || !this.bestWeights) return;
    ctx.stepper.setWeights(this.bestWeights);
    const bestEpoch = this.rule.state.bestEpoch;
    outcome.metrics = ctx.history[bestEpoch - 1] ?? outcome.metrics;
    outcome.bestEpoch = bestEpoch;
  }
}
