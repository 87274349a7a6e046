/** Run history from SQLite: list, open (charts, report, the graph as trained), delete, export to ONNX. */
import { z } from 'zod';
import { documentSchema } from '../../graph/schema.js';
import { trainingConfigSchema } from '../../train/config.js';
import { method } from './define.js';
import { looseNumber, metricsSchema, runIdSchema, runReportSchema, runStatusSchema } from './train.js';

/** One row of the run history. */
export const runSummarySchema = z.object({
  id: z.string(),
  project: z.string(),
  status: runStatusSchema,
  /** ms since the epoch. */
  createdAt: z.number(),
  updatedAt: z.number(),
  dataset: z.string(),
  backend: z.string().nullable(),
  epochsDone: z.number().int(),
  /** Epochs the run was set to train. */
  epochs: z.number().int().nullable(),
  best: metricsSchema.nullable(),
  final: metricsSchema.nullable(),
  /** Training time summed over epochs. */
  durationMs: z.number(),
  error: z.string().nullable(),
  graphHash: z.string(),
  /** True while an engine job trains it. */
  active: z.boolean(),
});

/** A stored chart point: batch points at a fractional epoch, epoch points at the epoch. */
export const runPointSchema = z.object({ kind: z.enum(['batch', 'epoch']), step: z.number(), data: metricsSchema });

/**
 * Where a client asks the engine to write a file: an absolute path (checked by the engine's
 * client-paths rules), whether it may replace an existing file, and the grant Electron's
 * main process signed when the user picked the path in a native save dialog.
 */
export const clientTargetSchema = {
  path: z.string().min(1).max(4096).optional(),
  overwrite: z.boolean().optional(),
  grant: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
};

export const runsMethods = {
  'runs.list': method({
    doc: 'The runs of a project (or of every project), newest first.',
    params: z
      .object({ project: z.string().min(1).max(200).optional() })
      .optional()
      .default({}),
    result: z.object({ runs: z.array(runSummarySchema) }),
  }),
  'runs.get': method({
    doc: 'One run: its summary, the graph and settings it trained, per-epoch metrics, chart points and report.',
    params: z.object({ runId: runIdSchema }),
    result: z.object({
      run: runSummarySchema,
      graph: documentSchema,
      config: trainingConfigSchema,
      /** 1-based epochs. */
      epochs: z.array(z.object({ epoch: z.number().int(), metrics: metricsSchema })),
      points: z.array(runPointSchema),
      report: runReportSchema.nullable(),
    }),
  }),
  'runs.delete': method({
    doc: 'Deletes a run that is not training, with its checkpoints and export.',
    params: z.object({ runId: runIdSchema }),
    result: z.object({ runId: z.string() }),
  }),
  'runs.export': method({
    doc: "Exports a run's best weights to ONNX, verified against tf.js; to `path` (inside the data folder or an --allow-dir folder, or picked in a native dialog; never over a file without `overwrite`), else to the data folder's exports/ (downloadable).",
    params: z.object({ runId: runIdSchema, ...clientTargetSchema, opset: z.number().int().min(13).max(21).optional() }),
    result: z.object({
      path: z.string(),
      bytes: z.number().int(),
      /** `/download/…` URL path (add `?token=`) when written to the data folder. */
      downloadPath: z.string().nullable(),
      verify: z.object({ maxAbsDiff: looseNumber, tolerance: z.number(), inputs: z.enum(['dataset', 'random']) }).nullable(),
    }),
  }),
};
