/**
 * Training from the designer. Jobs belong to the engine, not to a connection: `train.start`
 * returns a run id at once, `train.watch` streams a run's events (replaying what it emitted
 * so far, so a reloaded page re-attaches), and cancelling a watch only unsubscribes.
 */
import { z } from 'zod';
import { method, noParams } from './define.js';
import { errorInfoSchema } from './envelope.js';

/** A number that may be NaN or infinite in the engine: those travel as null in JSON. */
export const looseNumber = z.number().nullable();

/** Metrics by name (`loss`, `valAccuracy`, …). */
export const metricsSchema = z.record(z.string(), looseNumber);

/** A run id (also a file name under the data folder, hence the narrow alphabet). */
export const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'a run id such as r20260101120000-a1b2c3');

/** Lifecycle of a stored run. */
export const runStatusSchema = z.enum(['running', 'completed', 'cancelled', 'stopped-early', 'failed', 'interrupted']);

/** The training engine to use (`auto`: the engine picks and says why). */
export const backendChoiceSchema = z.enum(['auto', 'onnxruntime', 'webgpu', 'tensorflow', 'wasm', 'cpu']);

/** Settings that override the document's `training` section for one run. */
export const trainOverridesSchema = z
  .object({
    dataset: z.string().min(1).optional(),
    target: z.string().optional(),
    epochs: z.number().int().positive().optional(),
    batchSize: z.number().int().positive().optional(),
    limit: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
  })
  .strict();

/** A sample drawn as 8-bit pixels, height × width × channels. */
export const sampleImageSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.number().int().min(1).max(4),
  pixels: z.array(z.number().int().min(0).max(255)),
});

/** Statistics of one node after training (absent: not measured). */
export const nodeStatsSchema = z.object({
  weightNorm: looseNumber.optional(),
  activationMean: looseNumber.optional(),
  activationStd: looseNumber.optional(),
  zeroFraction: looseNumber.optional(),
});

/** The end-of-run evaluation on the validation set and per-node statistics. */
export const runReportSchema = z.object({
  task: z.enum(['classification', 'regression']),
  count: z.number().int().nonnegative(),
  loss: looseNumber,
  classNames: z.array(z.string()).optional(),
  classification: z
    .object({
      accuracy: looseNumber,
      precision: looseNumber,
      recall: looseNumber,
      f1: looseNumber,
      auc: looseNumber,
      /** `confusion[true][predicted]`. */
      confusion: z.array(z.array(z.number().int())),
      perClass: z.array(z.object({ precision: looseNumber, recall: looseNumber, f1: looseNumber, support: z.number().int() })),
      /** One-vs-rest curves as points (thinned), with the exact AUC. */
      roc: z.array(z.object({ classIndex: z.number().int(), auc: looseNumber, fpr: z.array(z.number()), tpr: z.array(z.number()) })),
    })
    .optional(),
  regression: z.object({ mse: looseNumber, mae: looseNumber }).optional(),
  /** The most confident mistakes (index into the validation set). */
  misclassified: z.array(
    z.object({
      index: z.number().int(),
      trueClass: z.number().int(),
      predictedClass: z.number().int(),
      confidence: looseNumber,
      image: sampleImageSchema.optional(),
    }),
  ),
  nodeStats: z.record(z.string(), nodeStatsSchema),
});

/** What `train.watch` streams (epoch and batch numbers are 1-based). */
export const trainEventSchema = z.discriminatedUnion('event', [
  /** The engine that trains and why it was chosen. */
  z.object({ event: z.literal('backend'), name: z.string(), reason: z.string() }),
  z.object({
    event: z.literal('start'),
    epochs: z.number().int(),
    stepsPerEpoch: z.number().int(),
    trainCount: z.number().int(),
    valCount: z.number().int(),
    params: z.number().int(),
    /** 1 for a fresh run; later when resumed from a checkpoint. */
    startEpoch: z.number().int(),
  }),
  /** Throttled per-batch progress. */
  z.object({
    event: z.literal('batch'),
    epoch: z.number().int(),
    batch: z.number().int(),
    loss: looseNumber,
    lr: looseNumber,
    samplesPerSec: looseNumber,
    etaSeconds: looseNumber,
  }),
  z.object({
    event: z.literal('epoch'),
    epoch: z.number().int(),
    metrics: metricsSchema,
    lr: looseNumber,
    samplesPerSec: looseNumber,
    etaSeconds: looseNumber,
    durationMs: looseNumber,
  }),
  z.object({ event: z.literal('checkpoint'), epoch: z.number().int(), best: z.boolean() }),
  z.object({ event: z.literal('early-stop'), epoch: z.number().int(), monitor: z.string(), best: looseNumber, bestEpoch: z.number().int() }),
  /** The end-of-run evaluation (completed or stopped-early runs), before `done`. */
  z.object({ event: z.literal('report'), report: runReportSchema }),
  /** Training ended and the run's status is stored. */
  z.object({
    event: z.literal('done'),
    status: z.enum(['completed', 'cancelled', 'stopped-early']),
    metrics: metricsSchema.nullable(),
    bestEpoch: z.number().int().nullable(),
    epochs: z.number().int(),
  }),
  /** The job could not run (bad data, a graph the data does not fit, an engine error). */
  z.object({ event: z.literal('failed'), error: errorInfoSchema }),
  /** The training process died; the run is stored as interrupted and can be resumed. */
  z.object({ event: z.literal('interrupted'), message: z.string() }),
]);

/** A job the engine is running now. */
export const activeJobSchema = z.object({
  runId: z.string(),
  project: z.string(),
  status: z.enum(['starting', 'running', 'stopping']),
  /** Start time, ms since the epoch. */
  startedAt: z.number(),
  resumed: z.boolean(),
  /** Last finished epoch (0 before the first) and the planned total (null until known). */
  epoch: z.number().int(),
  epochs: z.number().int().nullable(),
});

const runRef = z.object({ runId: runIdSchema });

export const trainMethods = {
  'train.start': method({
    doc: 'Starts training the document text in an engine job; returns its run id at once.',
    params: z.object({
      text: z.string().max(64 * 1024 * 1024),
      /** The project the run is listed under (default: the document name). */
      project: z.string().min(1).max(200).optional(),
      overrides: trainOverridesSchema.optional(),
      backend: backendChoiceSchema.default('auto'),
    }),
    result: z.object({ runId: z.string() }),
  }),
  'train.watch': method({
    doc: "Streams a run's events until it ends, replaying what it emitted so far; cancelling only unsubscribes.",
    params: runRef,
    result: z.object({ runId: z.string(), status: runStatusSchema }),
    event: trainEventSchema,
  }),
  'train.stop': method({
    doc: 'Stops a running job after its current batch; the run stays resumable.',
    params: runRef,
    result: z.object({ runId: z.string() }),
  }),
  'train.resume': method({
    doc: 'Continues a stopped or interrupted run from its last checkpoint, with its own graph and settings.',
    params: runRef.extend({ backend: backendChoiceSchema.default('auto') }),
    result: z.object({ runId: z.string() }),
  }),
  'train.active': method({
    doc: 'The training jobs running now.',
    params: noParams,
    result: z.array(activeJobSchema),
  }),
};

export type TrainEventOut = z.output<typeof trainEventSchema>;
export type RunReportOut = z.output<typeof runReportSchema>;
