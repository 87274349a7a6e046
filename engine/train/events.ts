/**
 * Progress events the training loop emits. A plain discriminated union on `event`, so the
 * CLI, the server (SSE/WebSocket) and tests can switch on it without a schema library.
 *
 * Epoch and batch numbers are 1-based ("epoch 3 of 10"), as is `bestEpoch`.
 */

/** How a run ended. */
export type TrainStatus = 'completed' | 'cancelled' | 'stopped-early';

/**
 * Metrics for one epoch. Training-set values are computed on the fly from the training
 * batches (training mode, so with dropout); `val*` values come from a full pass over the
 * validation set and are absent when there is no validation data.
 */
export interface EpochMetrics {
  /** Mean training objective over the epoch (data loss + regularization). */
  loss: number;
  /** Training accuracy (classification). */
  accuracy?: number;
  /** Training MSE / MAE (regression). */
  mse?: number;
  mae?: number;
  /** Validation data loss (without regularization). */
  valLoss?: number;
  valAccuracy?: number;
  /** Macro-averaged over classes. */
  valPrecision?: number;
  valRecall?: number;
  valF1?: number;
  /** Binary ROC AUC, or the one-vs-rest macro average for more than two classes. */
  valAuc?: number;
  valMse?: number;
  valMae?: number;
  [name: string]: number | undefined;
}

/** Emitted once before the first batch. */
export interface StartEvent {
  event: 'start';
  epochs: number;
  stepsPerEpoch: number;
  trainCount: number;
  valCount: number;
  /** Total parameter count of the model. */
  params: number;
  /** First epoch that will run (1 for a fresh run, later when resuming). */
  startEpoch: number;
}

/** Throttled (about 10 per second at most) per-batch progress. */
export interface BatchEvent {
  event: 'batch';
  epoch: number;
  batch: number;
  /** Objective on this batch. */
  loss: number;
  lr: number;
  samplesPerSec: number;
  etaSeconds: number;
}

/** Emitted at the end of every epoch, after validation. */
export interface EpochEvent {
  event: 'epoch';
  epoch: number;
  metrics: EpochMetrics;
  /** Learning rate at the last step of the epoch. */
  lr: number;
  samplesPerSec: number;
  etaSeconds: number;
  durationMs: number;
}

/** A checkpoint was written. */
export interface CheckpointEvent {
  event: 'checkpoint';
  epoch: number;
  path: string;
  /** True for the `best` checkpoint, false for `last`. */
  best: boolean;
}

/** Early stopping fired after `epoch`. */
export interface EarlyStopEvent {
  event: 'early-stop';
  epoch: number;
  monitor: string;
  /** Best monitored value seen. */
  best: number;
  bestEpoch: number;
}

/** Emitted once when training ends, whatever the status. */
export interface DoneEvent {
  event: 'done';
  status: TrainStatus;
  metrics: EpochMetrics | null;
  bestEpoch: number | null;
  /** Epochs completed (including those before a resume). */
  epochs: number;
}

/** Every event the loop emits. */
export type TrainEvent = StartEvent | BatchEvent | EpochEvent | CheckpointEvent | EarlyStopEvent | DoneEvent;
