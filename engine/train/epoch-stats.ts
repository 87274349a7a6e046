/**
 * Running training-set statistics over one epoch (loss, accuracy or MSE/MAE), accumulated
 * from each batch's training-mode predictions so no extra pass over the data is needed.
 */
import type { EpochMetrics } from './events.js';

/** What the accumulator needs to know about the task. */
export interface StatsKind {
  /** `classification`: count correct predictions; `regression`: squared/absolute errors. */
  task: 'classification' | 'regression';
  /** Output units per sample (classification: 1 = single sigmoid/logit unit). */
  units: number;
  /** Whether a single unit holds a logit (threshold 0) rather than a probability (0.5). */
  fromLogits: boolean;
}

/** Accumulates one epoch of batch results. */
export class EpochStats {
  private samples = 0;
  private lossSum = 0;
  private correct = 0;
  private sse = 0;
  private sae = 0;
  private values = 0;

  constructor(private readonly kind: StatsKind) {}

  /** Samples seen so far this epoch. */
  get count(): number {
    return this.samples;
  }

  /**
   * Adds one batch: its mean `loss`, predictions (`n × units` values) and targets — class
   * indices for classification, values matching `preds` for regression.
   */
  add(n: number, loss: number, preds: ArrayLike<number>, targets: ArrayLike<number>): void {
    this.samples += n;
    this.lossSum += loss * n;
    if (this.kind.task === 'classification') {
      const u = this.kind.units;
      for (let i = 0; i < n; i++) {
        let cls: number;
        if (u === 1) {
          cls = preds[i] > (this.kind.fromLogits ? 0 : 0.5) ? 1 : 0;
        } else {
          cls = 0;
          for (let c = 1; c < u; c++) if (preds[i * u + c] > preds[i * u + cls]) cls = c;
        }
        if (cls === targets[i]) this.correct++;
      }
    } else {
      for (let i = 0; i < preds.length; i++) {
        const d = preds[i] - targets[i];
        this.sse += d * d;
        this.sae += Math.abs(d);
      }
      this.values += preds.length;
    }
  }

  /** The epoch's training metrics so far. */
  metrics(): EpochMetrics {
    const loss = this.samples ? this.lossSum / this.samples : NaN;
    if (this.kind.task === 'classification') return { loss, accuracy: this.samples ? this.correct / this.samples : 0 };
    return { loss, mse: this.values ? this.sse / this.values : 0, mae: this.values ? this.sae / this.values : 0 };
  }
}
