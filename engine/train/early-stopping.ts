/**
 * Early stopping on a monitored epoch metric, plus an in-memory copy of the best weights so
 * they can be put back when training ends.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';
import type { TrainingConfig } from './config.js';
import type { EpochMetrics } from './events.js';

/** Early-stopping settings (the config's `earlyStopping` section). */
export type EarlyStoppingConfig = NonNullable<TrainingConfig['earlyStopping']>;

/** Serializable progress, stored in checkpoints so a resumed run keeps counting. */
export interface EarlyStoppingState {
  best: number | null;
  /** 1-based epoch of `best`, 0 before the first epoch. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * `min` or `max` for a monitor: `auto` picks `min` for names containing loss, mse or mae
 * (valLoss, valMse, mae…) and `max` for everything else (accuracy, f1, auc…).
 */
export function resolveMode(monitor: string, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /loss|mse|mae/i.test(monitor) ? 'min' : 'max';
}

/** True when `value` beats `best` by more than `minDelta` in the given direction. */
export function isImprovement(mode: 'min' | 'max', value: number, best: number | null, minDelta = 0): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === null) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

/** Reads the monitored value from epoch metrics, with an Error listing what exists. */
export function monitoredValue(metrics: EpochMetrics, monitor: string): number {
  const v = metrics[monitor];
  if (v === undefined) {
    const have = Object.keys(metrics).filter((k) => metrics[k] !== undefined);
    throw new Error(`monitored metric '${monitor}' is not reported; epoch metrics are: ${have.join(', ')}`);
  }
  return v;
}

/** Patience-based early stopping (Keras semantics). */
export class EarlyStopping {
  readonly mode: 'min' | 'max';
  state: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };

  constructor(readonly cfg: EarlyStoppingConfig) {
    this.mode = resolveMode(cfg.monitor, cfg.mode);
  }

  /**
   * Records one epoch's metrics. `improved` means a new best (the caller snapshots weights);
   * `stop` means `patience` epochs passed without one.
   */
  update(epoch: number, metrics: EpochMetrics): { improved: boolean; stop: boolean } {
    const value = monitoredValue(metrics, this.cfg.monitor);
    if (isImprovement(this.mode, value, this.state.best, this.cfg.minDelta)) {
      this.state = { best: value, bestEpoch: epoch, wait: 0 };
      return { improved: true, stop: false };
    }
    this.state = { ...this.state, wait: this.state.wait + 1 };
    return { improved: false, stop: this.state.wait >= this.cfg.patience };
  }
}

/**
 * A kept copy of a model's weights. Copies are tf tensors (not downloaded), so taking one
 * each improving epoch costs no device sync; `set` disposes the copy it replaces.
 */
export class WeightSnapshot {
  private tensors: tfNs.Tensor[] | null = null;

  constructor(private readonly tf: Tf) {}

  /** Whether a snapshot is held. */
  get has(): boolean {
    return this.tensors !== null;
  }

  /** Replaces the snapshot with the model's current weights. */
  take(model: tfNs.LayersModel): void {
    const next = model.weights.map((w) => this.tf.keep(this.tf.clone(w.read())));
    this.dispose();
    this.tensors = next;
  }

  /** Replaces the snapshot with given tensors (ownership passes to the snapshot). */
  set(tensors: tfNs.Tensor[]): void {
    this.dispose();
    this.tensors = tensors;
  }

  /** The held tensors (not copies), for saving. */
  get values(): readonly tfNs.Tensor[] | null {
    return this.tensors;
  }

  /** Writes the snapshot back into the model. */
  restore(model: tfNs.LayersModel): void {
    const t = this.tensors;
    if (!t) return;
    model.weights.forEach((w, i) => w.write(t[i]));
  }

  dispose(): void {
    if (this.tensors) this.tf.dispose(this.tensors);
    this.tensors = null;
  }
}
