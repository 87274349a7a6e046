/**
 * The `training` section of a `.loom.json` document: everything needed to reproduce a run
 * except the graph and the data itself. All fields have defaults, so `{}` is valid.
 */
import { z } from 'zod';

/** Optimizer settings. `adamw` applies decoupled weight decay (Loshchilov & Hutter 2019). */
export const optimizerSchema = z.object({
  name: z.enum(['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw']).default('adam'),
  learningRate: z.number().positive().default(0.001),
  /** Momentum for `momentum`, `nesterov` and `rmsprop`. */
  momentum: z.number().min(0).max(1).default(0.9),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  epsilon: z.number().positive().default(1e-7),
  /** RMSprop decay rate (rho). */
  rho: z.number().min(0).max(1).default(0.9),
  /** Decoupled weight decay for `adamw` (fraction of the weight removed per step × lr). */
  weightDecay: z.number().min(0).default(0.01),
});

/** Learning-rate schedule, evaluated per epoch (warm-up per step). */
export const lrScheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  z.object({ type: z.literal('step'), stepEpochs: z.number().int().positive().default(10), gamma: z.number().positive().default(0.1) }),
  z.object({ type: z.literal('exponential'), gamma: z.number().positive().default(0.95) }),
  z.object({ type: z.literal('cosine'), minLearningRate: z.number().min(0).default(0) }),
]);

/** Early stopping on a validation metric. */
export const earlyStoppingSchema = z.object({
  monitor: z.string().default('valLoss'),
  /** `min` for losses, `max` for accuracy-like metrics; `auto` picks from the name. */
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  patience: z.number().int().nonnegative().default(5),
  minDelta: z.number().nonnegative().default(0),
  restoreBest: z.boolean().default(true),
});

/** On-the-fly image augmentation, applied to training batches only. */
export const augmentationSchema = z.object({
  flip: z.enum(['none', 'horizontal', 'vertical', 'both']).default('none'),
  /** Max shift as a fraction of height/width (random crop after padding). */
  shift: z.number().min(0).max(0.5).default(0),
  /** Max rotation in degrees. */
  rotation: z.number().min(0).max(180).default(0),
  /** Std of additive Gaussian noise. */
  noise: z.number().min(0).default(0),
  /** Max absolute brightness delta added to every pixel. */
  brightness: z.number().min(0).default(0),
});

/** The whole training section. */
export const trainingConfigSchema = z.object({
  /** Dataset spec: `digits`, `mnist`, `spirals`, `shapes`, `sine`, `idx:…`, `csv:PATH`, `npy:…`, `images:DIR`. */
  dataset: z.string().optional(),
  /** CSV target column name or index. */
  target: z.string().optional(),
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(32),
  /** Fraction held out for validation when the data has no test split. */
  validationSplit: z.number().min(0).max(0.9).default(0.2),
  /** Use at most this many training samples (quick experiments). */
  limit: z.number().int().positive().optional(),
  seed: z.number().int().default(42),
  optimizer: optimizerSchema.default(optimizerSchema.parse({})),
  lrSchedule: lrScheduleSchema.default({ type: 'constant' }),
  /** Linear warm-up from 0 over this many epochs (fractional allowed). */
  warmupEpochs: z.number().min(0).default(0),
  clipNorm: z.number().positive().optional(),
  clipValue: z.number().positive().optional(),
  earlyStopping: earlyStoppingSchema.optional(),
  augmentation: augmentationSchema.optional(),
  /** Train to reproduce the input (autoencoders): targets are the features. */
  targetIsInput: z.boolean().default(false),
  /** onnxruntime intra-op threads (a user setting); unset: the machine's available cores. */
  threads: z.number().int().positive().optional(),
});

/** Parsed training config (defaults applied). */
export type TrainingConfig = z.output<typeof trainingConfigSchema>;
