/**
 * What a training run works out before its first step: the data after the config's split
 * and limit, how targets are laid out, augmentation, and the epoch's shape. Pure; throws for
 * data that does not fit (empty sets, augmentation of non-image data, unknown losses).
 */
import type { Dataset } from '../data/types.js';
import { isIdentityAugmentation, type AugmentationConfig } from './augment.js';
import { planTargets, sizeOf, splitDataset, subsetDataset, type TargetPlan } from './batches.js';
import type { TrainingConfig } from './config.js';
import { assertLossName, type LossName } from './losses.js';

/** The fixed facts of one run. */
export interface LoopPlan {
  train: Dataset;
  validation: Dataset | null;
  loss: LossName;
  /** Whether the model outputs logits (epoch accuracy applies softmax first). */
  fromLogits: boolean;
  targets: TargetPlan;
  augment: AugmentationConfig | undefined;
  /** How epoch metrics are computed: class accuracy, or regression errors. */
  statsTask: 'classification' | 'regression';
  /** Output units per sample (the predictions' last dimension). */
  units: number;
  /** Values per input sample and per target sample. */
  xSize: number;
  ySize: number;
  batchSize: number;
  stepsPerEpoch: number;
}

/** Splits off validation and applies `limit` as the config asks. */
function prepareData(train: Dataset, validation: Dataset | null, config: TrainingConfig): { train: Dataset; validation: Dataset | null } {
  if (!validation && config.validationSplit > 0 && train.count > 1) {
    ({ train, validation } = splitDataset(train, config.validationSplit, config.seed));
  }
  if (config.limit !== undefined && train.count > config.limit) {
    train = subsetDataset(
      train,
      Int32Array.from({ length: config.limit }, (_, i) => i),
    );
  }
  if (train.count === 0) throw new Error(`training set '${train.name}' is empty`);
  return { train, validation };
}

/** Plans a run of `config` over the data for a model whose output has `outputShape`. */
export function planLoop(o: {
  train: Dataset;
  validation?: Dataset;
  config: TrainingConfig;
  loss: string;
  fromLogits: boolean;
  outputShape: readonly (number | null)[];
}): LoopPlan {
  assertLossName(o.loss);
  const loss: LossName = o.loss;
  const { config } = o;
  const { train, validation } = prepareData(o.train, o.validation ?? null, config);
  const targets = planTargets(train, loss, o.outputShape, config.targetIsInput);
  const augment = isIdentityAugmentation(config.augmentation) ? undefined : config.augmentation;
  if (augment && train.inputShape.length !== 3) {
    throw new Error(`augmentation needs image data [height, width, channels]; '${train.name}' samples are [${train.inputShape}]`);
  }
  const batchSize = Math.min(config.batchSize, train.count);
  return {
    train,
    validation,
    loss,
    fromLogits: o.fromLogits,
    targets,
    augment,
    statsTask: train.task === 'classification' && !targets.fromInput ? 'classification' : 'regression',
    units: o.outputShape[o.outputShape.length - 1] ?? 1,
    xSize: sizeOf(train.inputShape),
    ySize: train.task === 'classification' ? 1 : sizeOf(train.targetShape),
    batchSize,
    stepsPerEpoch: Math.ceil(train.count / batchSize),
  };
}
