/**
 * The training loop's extension seam, Keras-style: the loop (../loop.ts) owns the batch
 * order, the optimizer steps and the epoch's metrics; everything a run does *around* that —
 * early stopping, checkpoints, which batch events go out, recording into the run store —
 * is a {@link TrainCallback}. New kinds of training (GAN/VAE, distillation, fine-tuning,
 * another backend) add callbacks instead of growing the loop.
 */
import type { Checkpoint } from '../checkpoint.js';
import type { TrainingConfig } from '../config.js';
import type { EpochMetrics, TrainEvent, TrainStatus } from '../events.js';
import type { Stepper } from '../stepper.js';

/** What every callback sees of the run: read-only except through `emit`. */
export interface LoopContext {
  readonly stepper: Stepper;
  readonly config: TrainingConfig;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly trainCount: number;
  /** Whether a validation set is evaluated after each epoch. */
  readonly hasValidation: boolean;
  /** Optimizer steps taken so far (advanced by the loop). */
  readonly globalStep: number;
  /** State of the shuffle/augmentation Rng (goes into checkpoints). */
  readonly rngState: number;
  /** Metrics of every completed epoch, index 0 = epoch 1 (including those before a resume). */
  readonly history: readonly EpochMetrics[];
  /** Sends an event to the run's listener and to every callback's `onEvent`. */
  emit(e: TrainEvent): void;
}

/** One finished optimizer step. */
export interface BatchEnd {
  /** 0-based epoch. */
  epoch: number;
  /** 0-based step within the epoch. */
  step: number;
  loss: number;
  lr: number;
  /** Samples seen so far in this epoch. */
  epochSamples: number;
  /** `performance.now()` when the epoch began. */
  epochStart: number;
}

/** One finished epoch, passed through every callback's `onEpochEnd` in order. */
export interface EpochEnd {
  /** 1-based epoch number. */
  epoch: number;
  /** Training and validation metrics of the epoch (already in `history`). */
  metrics: EpochMetrics;
  /**
   * Set by a callback that ends the run after this epoch: the event to send once the epoch
   * event is out (the loop then ends with status `stopped-early`).
   */
  stop?: TrainEvent;
}

/** How a run ends; `onTrainEnd` may change `metrics`/`bestEpoch` (e.g. restored best weights). */
export interface TrainOutcome {
  status: TrainStatus;
  metrics: EpochMetrics | null;
  bestEpoch: number | null;
}

/**
 * A participant in the loop. Every hook is optional; the loop calls them in the order the
 * callbacks were given, so a callback that reads another's state comes after it (the
 * checkpointer comes after early stopping and the best-epoch tracker).
 */
export interface TrainCallback {
  /** Takes this callback's part of a checkpoint being resumed (before the first step). */
  restore?(ckpt: Checkpoint): void;
  /** This callback's fields of a checkpoint being written. */
  checkpointFields?(): Partial<Checkpoint>;
  onTrainBegin?(ctx: LoopContext): void | Promise<void>;
  /** After every optimizer step; keep it cheap, it runs on the training thread. */
  onBatchEnd?(ctx: LoopContext, b: BatchEnd): void;
  /** After validation, before the epoch event is sent. */
  onEpochEnd?(ctx: LoopContext, e: EpochEnd): void | Promise<void>;
  /** After the last epoch (or the cancel), before the `done` event. */
  onTrainEnd?(ctx: LoopContext, outcome: TrainOutcome): void | Promise<void>;
  /** Sees every event the run emits, in order (e.g. to record them). */
  onEvent?(e: TrainEvent): void;
}
