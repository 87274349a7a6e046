/**
 * The training loop, shared by every training backend: shuffling, augmentation, target
 * layout, learning-rate schedules, early stopping, checkpoints, events and cancellation live
 * here; everything that touches tensors goes through a `Stepper` (stepper.ts). Seeded end to
 * end: shuffles and augmentation use an Rng whose state goes into checkpoints, and each step
 * gets a seed for its dropout masks that depends on the run seed and the step only, so a
 * resumed run reproduces an uninterrupted one.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import type { Tf } from '../layers/types.js';
import { Rng } from '../util/rng.js';
import { BestEpochTracker } from './callbacks/best-epoch.js';
import { Checkpointer } from './callbacks/checkpointer.js';
import { EarlyStoppingCallback } from './callbacks/early-stopping.js';
import { BatchEventThinner } from './callbacks/event-thinner.js';
import type { EpochEnd, LoopContext, TrainCallback, TrainOutcome } from './callbacks/types.js';
import type { Checkpoint } from './checkpoint.js';
import type { TrainingConfig } from './config.js';
import { resolveMode } from './early-stopping.js';
import { runEpochSteps } from './epoch-runner.js';
import type { EpochMetrics, TrainEvent, TrainStatus } from './events.js';
import { planLoop } from './loop-plan.js';
import type { LossName } from './losses.js';
import type { Stepper } from './stepper.js';
import { TfjsStepper } from './tfjs-stepper.js';
import { addValidationMetrics, reportedMetrics } from './validation.js';

export { stepSeed } from './step-seed.js';
export { reportedMetrics } from './validation.js';
export type { TrainCallback } from './callbacks/types.js';

/** What an Output node asks of training (same fields as the compiler's OutputSpec). */
export interface TrainOutputSpec {
  loss: LossName | string;
  metrics: readonly string[];
  fromLogits: boolean;
}

/** Inputs of `trainModel`. */
export interface TrainOptions {
  /** The tf.js namespace, with the backend already chosen by the caller. */
  tf: Tf;
  /** A single-input, single-output model. Trained in place. */
  model: tfNs.LayersModel;
  output: TrainOutputSpec;
  train: Dataset;
  /** Held-out data; when absent, `config.validationSplit` of `train` is split off (seeded). */
  validation?: Dataset;
  config: TrainingConfig;
  /** Where `last.ckpt` / `best.ckpt` go; no checkpoints when absent. */
  checkpointDir?: string;
  /** A checkpoint from `loadCheckpoint`: continue after its epoch. */
  resume?: Checkpoint;
  /** Checked between batches; on abort the loop returns status `cancelled`. */
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** Minimum milliseconds between `batch` events (default 100, i.e. at most ~10/s). */
  batchEventIntervalMs?: number;
  /** More callbacks, run after the built-in ones (best epoch, early stopping, checkpoints, batch events). */
  callbacks?: readonly TrainCallback[];
}

/** What `trainModel` returns. */
export interface TrainResult {
  status: TrainStatus;
  /**
   * Metrics of the weights the model holds at the end: the best epoch's when early stopping
   * restored best weights, otherwise the last epoch's. Null when no epoch finished.
   */
  metrics: EpochMetrics | null;
  /** Every completed epoch (including those before a resume), index 0 = epoch 1. */
  history: EpochMetrics[];
  /** 1-based epoch that was best by the checkpoint/early-stopping monitor. */
  bestEpoch: number | null;
  /** Epochs completed in total. */
  epochs: number;
}

/** Inputs of `trainWithStepper`: `TrainOptions` with a backend in place of tf and the model. */
export type StepperTrainOptions = Omit<TrainOptions, 'tf' | 'model'> & {
  /**
   * The backend holding the model and optimizer, configured with the same `output` and
   * `config` (loss, fromLogits, optimizer, clipping, targetIsInput). Not disposed here.
   */
  stepper: Stepper;
};

/**
 * Trains `model` in place with tf.js and resolves when training completes, stops early or is
 * cancelled. Throws (before any step) for models with several inputs/outputs, unknown
 * losses, or data that does not fit the model.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const { tf, model, ...rest } = opts;
  const stepper = new TfjsStepper({ tf, model, output: opts.output, config: opts.config });
  try {
    return await trainWithStepper({ ...rest, stepper });
  } finally {
    stepper.dispose();
  }
}

/**
 * The loop of `trainModel` over any backend: trains the stepper's model in place and
 * resolves when training completes, stops early or is cancelled. Throws (before any step)
 * for unknown losses or data that does not fit the model. The loop itself only runs epochs
 * (epoch-runner.ts) and validation; what happens around them is its callbacks' job.
 */
export async function trainWithStepper(opts: StepperTrainOptions): Promise<TrainResult> {
  const { stepper, config, signal } = opts;
  const plan = planLoop({
    train: opts.train,
    validation: opts.validation,
    config,
    loss: opts.output.loss,
    fromLogits: opts.output.fromLogits,
    outputShape: stepper.outputShape,
  });
  const { train, validation } = plan;

  // Which epoch is "best": the early-stopping monitor when there is one, else valLoss.
  const es = config.earlyStopping ? new EarlyStoppingCallback(config.earlyStopping) : null;
  const bestMonitor = es?.monitor ?? (validation ? 'valLoss' : 'loss');
  const reported = reportedMetrics(plan.statsTask, validation);
  if (!reported.includes(bestMonitor)) {
    throw new Error(`early stopping monitors '${bestMonitor}', which this run does not report; it reports ${reported.join(', ')}`);
  }
  const best = new BestEpochTracker(bestMonitor, es ? es.mode : resolveMode(bestMonitor, 'auto'));
  // Order matters: the checkpointer reads the tracker and early stopping of the same epoch,
  // and early stopping's restored best epoch overrides the tracker's at the end.
  const callbacks: TrainCallback[] = [best, ...(es ? [es] : [])];
  if (opts.checkpointDir) callbacks.push(new Checkpointer(opts.checkpointDir, best, callbacks.slice()));
  callbacks.push(new BatchEventThinner(opts.batchEventIntervalMs ?? 100), ...(opts.callbacks ?? []));

  const rng = new Rng(config.seed);
  const history: EpochMetrics[] = [];
  // Callbacks first: a listener told of an epoch can read what a recorder stored for it.
  const emit = (e: TrainEvent) => {
    for (const c of callbacks) c.onEvent?.(e);
    opts.onEvent?.(e);
  };
  const ctx: LoopContext & { globalStep: number } = {
    stepper,
    config,
    epochs: config.epochs,
    stepsPerEpoch: plan.stepsPerEpoch,
    trainCount: train.count,
    hasValidation: validation !== null,
    globalStep: 0,
    get rngState() {
      return rng.state;
    },
    history,
    emit,
  };
  const startEpoch = opts.resume ? await resume(opts.resume, ctx, rng, history, callbacks) : 0;

  emit({
    event: 'start',
    epochs: config.epochs,
    stepsPerEpoch: plan.stepsPerEpoch,
    trainCount: train.count,
    valCount: validation?.count ?? 0,
    params: stepper.paramCount,
    startEpoch: startEpoch + 1,
  });
  for (const c of callbacks) await c.onTrainBegin?.(ctx);

  const runStart = performance.now();
  let runSamples = 0;
  let status: TrainStatus = 'completed';
  for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
    const epochStart = performance.now();
    const steps = await runEpochSteps({ plan, config, stepper, rng, epoch, ctx, callbacks, signal });
    if (steps.cancelled) {
      status = 'cancelled';
      break;
    }
    runSamples += train.count;
    const metrics: EpochMetrics = steps.stats.metrics();
    if (validation) await addValidationMetrics(stepper, validation, plan.batchSize, metrics);
    history.push(metrics);
    const end: EpochEnd = { epoch: epoch + 1, metrics };
    for (const c of callbacks) await c.onEpochEnd?.(ctx, end);

    const durationMs = performance.now() - epochStart;
    const runRate = runSamples / Math.max(1e-3, (performance.now() - runStart) / 1000);
    emit({
      event: 'epoch',
      epoch: end.epoch,
      metrics,
      lr: steps.lr,
      samplesPerSec: train.count / Math.max(1e-3, durationMs / 1000),
      etaSeconds: ((config.epochs - end.epoch) * train.count) / runRate,
      durationMs,
    });
    if (end.stop) {
      emit(end.stop);
      status = 'stopped-early';
      break;
    }
  }

  const outcome: TrainOutcome = { status, metrics: history.at(-1) ?? null, bestEpoch: null };
  for (const c of callbacks) await c.onTrainEnd?.(ctx, outcome);
  emit({ event: 'done', status, metrics: outcome.metrics, bestEpoch: outcome.bestEpoch, epochs: history.length });
  return { status, metrics: outcome.metrics, history, bestEpoch: outcome.bestEpoch, epochs: history.length };
}

/** Puts a checkpoint's state back into the stepper, the loop and its callbacks; returns the epoch to start at. */
async function resume(
  r: Checkpoint,
  ctx: LoopContext & { globalStep: number },
  rng: Rng,
  history: EpochMetrics[],
  callbacks: readonly TrainCallback[],
): Promise<number> {
  const { stepper, config } = ctx;
  if (r.optimizer !== config.optimizer.name) {
    throw new Error(`checkpoint was written by optimizer '${r.optimizer}', the config asks for '${config.optimizer.name}'`);
  }
  stepper.setWeights(r.modelWeights);
  await stepper.setOptimizerState(r.optimizerWeights);
  rng.state = r.rngState;
  ctx.globalStep = r.globalStep;
  history.push(...r.history);
  for (const c of callbacks) c.restore?.(r);
  return r.epoch;
}
