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
import { hashString, Rng } from '../util/rng.js';
import { augmentBatch, isIdentityAugmentation } from './augment.js';
import { gatherRows, gatherTargets, planTargets, sizeOf, splitDataset, subsetDataset, targetBatchShape, type TargetPlan } from './batches.js';
import { saveCheckpoint, type Checkpoint } from './checkpoint.js';
import type { TrainingConfig } from './config.js';
import { EarlyStopping, isImprovement, monitoredValue, resolveMode } from './early-stopping.js';
import { EpochStats } from './epoch-stats.js';
import type { EpochMetrics, TrainEvent, TrainStatus } from './events.js';
import { assertLossName, type LossName } from './losses.js';
import type { SavedTensor } from './saved-tensor.js';
import { learningRateAt } from './schedule.js';
import type { Stepper } from './stepper.js';
import { TfjsStepper } from './tfjs-stepper.js';

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

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Seed for the dropout masks of one step: a function of the run seed and the step only. */
export function stepSeed(seed: number, globalStep: number): number {
  return hashString(`${seed}:${globalStep}`);
}

/** Names of the epoch metrics a run will report, for validating a monitor up front. */
export function reportedMetrics(task: 'classification' | 'regression', validation: Dataset | null): string[] {
  const names = task === 'classification' ? ['loss', 'accuracy'] : ['loss', 'mse', 'mae'];
  if (validation) {
    names.push('valLoss');
    if (task === 'classification') names.push('valAccuracy', 'valPrecision', 'valRecall', 'valF1', 'valAuc');
    else names.push('valMse', 'valMae');
  }
  return names;
}

/** Inputs of `trainWithStepper`: `TrainOptions` with a backend in place of tf and the model. */
export type StepperTrainOptions = Omit<TrainOptions, 'tf' | 'model'> & {
  /**
   * The backend holding the model and optimizer, configured with the same `output` and
   * `config` (loss, fromLogits, optimizer, clipping, targetIsInput). Not disposed here.
   */
  stepper: Stepper;
};

/** Splits / limits the data as the config asks. */
function prepareData(opts: StepperTrainOptions): { train: Dataset; validation: Dataset | null } {
  const { config } = opts;
  let train = opts.train;
  let validation: Dataset | null = opts.validation ?? null;
  if (!validation && config.validationSplit > 0 && train.count > 1) {
    ({ train, validation } = splitDataset(train, config.validationSplit, config.seed));
  }
  if (config.limit !== undefined && train.count > config.limit) {
    train = subsetDataset(train, Int32Array.from({ length: config.limit }, (_, i) => i));
  }
  if (train.count === 0) throw new Error(`training set '${train.name}' is empty`);
  return { train, validation };
}

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
 * for unknown losses or data that does not fit the model.
 */
export async function trainWithStepper(opts: StepperTrainOptions): Promise<TrainResult> {
  const { stepper, config, signal } = opts;
  assertLossName(opts.output.loss);
  const loss: LossName = opts.output.loss;
  const fromLogits = opts.output.fromLogits;
  const emit = (e: TrainEvent) => opts.onEvent?.(e);
  const { train, validation } = prepareData(opts);
  const outShape = stepper.outputShape;
  const plan: TargetPlan = planTargets(train, loss, outShape, config.targetIsInput);
  const augment = isIdentityAugmentation(config.augmentation) ? undefined : config.augmentation;
  if (augment && train.inputShape.length !== 3) {
    throw new Error(`augmentation needs image data [height, width, channels]; '${train.name}' samples are [${train.inputShape}]`);
  }
  const units = outShape[outShape.length - 1] ?? 1;
  const statsTask = train.task === 'classification' && !plan.fromInput ? 'classification' : 'regression';
  const xSize = sizeOf(train.inputShape);
  const ySize = train.task === 'classification' ? 1 : sizeOf(train.targetShape);
  const batchSize = Math.min(config.batchSize, train.count);
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const totalEpochs = config.epochs;

  // Which epoch is "best": the early-stopping monitor when there is one, else valLoss.
  const es = config.earlyStopping ? new EarlyStopping(config.earlyStopping) : null;
  const bestMonitor = es?.cfg.monitor ?? (validation ? 'valLoss' : 'loss');
  const bestMode = es ? es.mode : resolveMode(bestMonitor, 'auto');
  const reported = reportedMetrics(statsTask, validation);
  if (!reported.includes(bestMonitor)) {
    throw new Error(`early stopping monitors '${bestMonitor}', which this run does not report; it reports ${reported.join(', ')}`);
  }
  let best: Checkpoint['best'] = { monitor: bestMonitor, value: null, epoch: 0 };
  const keepBest = es?.cfg.restoreBest ?? false;
  // Early stopping's best weights, as plain arrays: no backend memory held between epochs.
  let bestWeights: SavedTensor[] | null = null;

  const rng = new Rng(config.seed);
  let history: EpochMetrics[] = [];
  let startEpoch = 0;
  let globalStep = 0;
  if (opts.resume) {
    const r = opts.resume;
    if (r.optimizer !== config.optimizer.name) {
      throw new Error(`checkpoint was written by optimizer '${r.optimizer}', the config asks for '${config.optimizer.name}'`);
    }
    stepper.setWeights(r.modelWeights);
    await stepper.setOptimizerState(r.optimizerWeights);
    rng.state = r.rngState;
    globalStep = r.globalStep;
    startEpoch = r.epoch;
    history = r.history.slice();
    if (es && r.earlyStopping) es.state = { ...r.earlyStopping };
    if (r.best.monitor === bestMonitor) best = { ...r.best };
    const bw = r.bestWeights;
    if (keepBest && bw) {
      const count = r.modelWeights.length;
      if (bw.length !== count) throw new Error(`checkpoint best weights hold ${bw.length} tensors, the model has ${count}`);
      bestWeights = bw;
    }
  }

  emit({
    event: 'start',
    epochs: totalEpochs,
    stepsPerEpoch,
    trainCount: train.count,
    valCount: validation?.count ?? 0,
    params: stepper.paramCount,
    startEpoch: startEpoch + 1,
  });

  const runStart = performance.now();
  let runSamples = 0;
  let lastBatchEvent = -Infinity;
  const interval = opts.batchEventIntervalMs ?? 100;
  let status: TrainStatus = 'completed';
  let lr = config.optimizer.learningRate;

  epochs: for (let epoch = startEpoch; epoch < totalEpochs; epoch++) {
    const epochStart = performance.now();
    const perm = rng.permutation(train.count);
    const stats = new EpochStats({ task: statsTask, units, fromLogits });
    for (let step = 0; step < stepsPerEpoch; step++) {
      if (signal?.aborted) {
        status = 'cancelled';
        break epochs;
      }
      lr = learningRateAt(config, { epoch, step, stepsPerEpoch, totalEpochs });
      const start = step * batchSize;
      const end = Math.min(train.count, start + batchSize);
      const n = end - start;
      const xv = gatherRows(train.x, xSize, perm, start, end);
      const xin = augment ? augmentBatch(xv, n, train.inputShape, augment, rng) : xv;
      const y = gatherTargets(train, plan, perm, start, end, xv);
      const { loss: lossValue, preds } = await stepper.step(
        { n, x: xin, xShape: [n, ...train.inputShape], y, yShape: targetBatchShape(plan, n) },
        lr,
        stepSeed(config.seed, globalStep),
      );
      const targets =
        statsTask === 'classification' ? gatherRows(train.y, 1, perm, start, end) : plan.fromInput ? xv : gatherRows(train.y, ySize, perm, start, end);
      stats.add(n, lossValue, preds, targets);
      globalStep++;
      runSamples += n;

      const now = performance.now();
      if (now - lastBatchEvent >= interval || step === stepsPerEpoch - 1) {
        lastBatchEvent = now;
        const rate = stats.count / Math.max(1e-3, (now - epochStart) / 1000);
        const remaining = (totalEpochs - epoch - 1) * train.count + (train.count - stats.count);
        emit({ event: 'batch', epoch: epoch + 1, batch: step + 1, loss: lossValue, lr, samplesPerSec: rate, etaSeconds: remaining / rate });
      }
      // Let cancellation, timers and a hosting server's requests run between batches.
      await tick();
    }

    const metrics: EpochMetrics = stats.metrics();
    if (validation) {
      const ev = await stepper.evaluate(validation, Math.max(256, batchSize));
      metrics.valLoss = ev.loss;
      if (ev.classification) {
        const c = ev.classification;
        Object.assign(metrics, { valAccuracy: c.accuracy, valPrecision: c.precision, valRecall: c.recall, valF1: c.f1 });
        if (c.auc !== undefined) metrics.valAuc = c.auc;
      }
      if (ev.regression) Object.assign(metrics, { valMse: ev.regression.mse, valMae: ev.regression.mae });
    }
    history.push(metrics);
    const epochNo = epoch + 1;

    let stop = false;
    if (es) {
      const r = es.update(epochNo, metrics);
      if (r.improved && keepBest) bestWeights = await stepper.getWeights();
      stop = r.stop;
    }
    const monitored = monitoredValue(metrics, bestMonitor);
    const isBest = isImprovement(bestMode, monitored, best.value);
    if (isBest) best = { monitor: bestMonitor, value: monitored, epoch: epochNo };

    if (opts.checkpointDir) {
      const ckpt: Checkpoint = {
        epoch: epochNo,
        globalStep,
        seed: config.seed,
        rngState: rng.state,
        optimizer: config.optimizer.name,
        ...(es ? { earlyStopping: { ...es.state } } : {}),
        best: { ...best },
        history: history.map((m) => ({ ...m })),
        savedAt: new Date().toISOString(),
        modelWeights: await stepper.getWeights(),
        optimizerWeights: await stepper.getOptimizerState(),
        ...(keepBest && bestWeights ? { bestWeights } : {}),
      };
      const lastPath = await saveCheckpoint(opts.checkpointDir, 'last', ckpt);
      emit({ event: 'checkpoint', epoch: epochNo, path: lastPath, best: false });
      if (isBest) {
        const bestPath = await saveCheckpoint(opts.checkpointDir, 'best', ckpt);
        emit({ event: 'checkpoint', epoch: epochNo, path: bestPath, best: true });
      }
    }

    const durationMs = performance.now() - epochStart;
    const runRate = runSamples / Math.max(1e-3, (performance.now() - runStart) / 1000);
    emit({
      event: 'epoch',
      epoch: epochNo,
      metrics,
      lr,
      samplesPerSec: train.count / Math.max(1e-3, durationMs / 1000),
      etaSeconds: ((totalEpochs - epochNo) * train.count) / runRate,
      durationMs,
    });
    if (stop && es) {
      emit({ event: 'early-stop', epoch: epochNo, monitor: es.cfg.monitor, best: es.state.best ?? NaN, bestEpoch: es.state.bestEpoch });
      status = 'stopped-early';
      break;
    }
  }

  let finalMetrics = history.at(-1) ?? null;
  let bestEpoch = best.epoch || null;
  if (status !== 'cancelled' && keepBest && bestWeights && es) {
    stepper.setWeights(bestWeights);
    finalMetrics = history[es.state.bestEpoch - 1] ?? finalMetrics;
    bestEpoch = es.state.bestEpoch;
  }
  emit({ event: 'done', status, metrics: finalMetrics, bestEpoch, epochs: history.length });
  return { status, metrics: finalMetrics, history, bestEpoch, epochs: history.length };
}
