/** Public API of the training engine: the loop, evaluation, checkpoints and their parts. */
export {
  trainModel,
  trainWithStepper,
  reportedMetrics,
  stepSeed,
  type StepperTrainOptions,
  type TrainOptions,
  type TrainOutputSpec,
  type TrainResult,
} from './loop.js';
export { ITERATIONS_STATE, OPTIMIZER_SLOTS, optimizerSlotName, type Stepper, type StepBatch, type StepResult } from './stepper.js';
export { TfjsStepper, type TfjsStepperOptions } from './tfjs-stepper.js';
export {
  evaluateModel,
  classificationMetrics,
  classProbabilities,
  type EvaluateOptions,
  type EvaluationResult,
  type ClassificationMetrics,
} from './evaluate.js';
export { saveCheckpoint, loadCheckpoint, checkpointPath, encodeCheckpoint, decodeCheckpoint, type Checkpoint, type CheckpointKind } from './checkpoint.js';
export type { TrainEvent, TrainStatus, EpochMetrics, StartEvent, BatchEvent, EpochEvent, CheckpointEvent, EarlyStopEvent, DoneEvent } from './events.js';
export { createOptimizer, isDecayed, type TrainOptimizer, type OptimizerConfig } from './optimizers.js';
export { computeLoss, regularizationLoss, assertLossName, isClassificationLoss, type LossName } from './losses.js';
export { learningRateAt, baseLearningRate, warmupFactor, type SchedulePosition } from './schedule.js';
export { clipByGlobalNorm, clipByValue, clipGradients, globalNorm, type GradMap } from './clip.js';
export { EarlyStopping, WeightSnapshot, resolveMode, isImprovement, type EarlyStoppingState } from './early-stopping.js';
export * from './metrics.js';
export { augmentBatch, isIdentityAugmentation, type AugmentationConfig } from './augment.js';
export { splitDataset, subsetDataset, planTargets, gatherTargets, targetBatchShape, type TargetPlan } from './batches.js';
export { saveModelWeights, restoreModelWeights, type SavedTensor } from './saved-tensor.js';
export { trainingConfigSchema, type TrainingConfig } from './config.js';
