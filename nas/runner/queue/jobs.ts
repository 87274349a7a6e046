/**
 * What travels through the trial queue, as zod schemas checked at both ends: a job carries
 * everything a worker on another machine needs (the experiment's config, the candidate's key and
 * its concrete graph), and a result carries the evaluation, the attempt and the worker's name.
 * Numbers that JSON cannot carry (NaN signals of failed trials) travel as null.
 */
import { z } from 'zod';
import type { Evaluation } from '../../evaluators/types.js';

/** Version of the job and result format; a worker refuses jobs of another version. */
export const JOB_FORMAT = 1;

const experimentIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an experiment id (letters, digits, - and _)');

/** A trial job as the coordinator enqueues it. */
export const trialJobSchema = z
  .object({
    v: z.literal(JOB_FORMAT),
    experimentId: experimentIdSchema,
    trialId: z.number().int().nonnegative(),
    key: z.string().max(1_000_000),
    /** The experiment config (parsed again with its own schema by the worker). */
    config: z.record(z.string(), z.unknown()),
    /** The concrete `.loom.json` of a materializing space (validated by the worker before anything runs). */
    graph: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A trial job. */
export type TrialJob = z.infer<typeof trialJobSchema>;

const num = z.number().nullable();

/** An evaluation with NaN as null. */
const wireEvaluationSchema = z
  .object({
    signal: num,
    report: num,
    metrics: z.record(z.string(), num),
    costSeconds: z.number(),
    params: num.optional(),
    flops: num.optional(),
    status: z.enum(['ok', 'failed', 'skipped']).optional(),
    error: z.string().optional(),
    node: z.string().optional(),
    backend: z.string().optional(),
    wallMs: num.optional(),
  })
  .passthrough();

/** A finished trial as a worker returns it. */
export const trialResultSchema = z.object({
  v: z.literal(JOB_FORMAT),
  experimentId: experimentIdSchema,
  trialId: z.number().int().nonnegative(),
  /** 1 = the first run; 2 = the re-run after the first worker was lost. */
  attempt: z.number().int().positive(),
  /** `host:pid` of the worker process. */
  worker: z.string(),
  evaluation: wireEvaluationSchema,
  /** Milliseconds the worker spent on the trial. */
  runMs: z.number().nonnegative(),
});

/** A trial result. */
export type TrialResult = z.infer<typeof trialResultSchema>;

/** The job id of a trial: one per (experiment, trial), so enqueuing a trial twice adds one job. */
export function jobIdOf(experimentId: string, trialId: number): string {
  return `${experimentId}-t${trialId}`;
}

/** An evaluation in JSON-safe form (non-finite numbers as null, per-epoch history dropped). */
export function encodeEvaluation(ev: Evaluation): TrialResult['evaluation'] {
  const fin = (x: number | undefined) => (x === undefined ? undefined : Number.isFinite(x) ? x : null);
  const { history: _history, ...rest } = ev as Evaluation & { history?: unknown };
  const metrics = Object.fromEntries(Object.entries(ev.metrics).map(([k, v]) => [k, fin(v) ?? null]));
  return {
    ...rest,
    signal: fin(ev.signal) ?? null,
    report: fin(ev.report) ?? null,
    metrics,
    params: fin(ev.params),
    flops: fin(ev.flops),
  } as TrialResult['evaluation'];
}

/** The evaluation back from its JSON form (null numbers as NaN; null metrics dropped). */
export function decodeEvaluation(w: TrialResult['evaluation']): Evaluation {
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(w.metrics)) if (v !== null) metrics[k] = v;
  const out = { ...w, signal: w.signal ?? NaN, report: w.report ?? NaN, metrics } as Evaluation & Record<string, unknown>;
  if (w.params === null || w.params === undefined) delete out.params;
  if (w.flops === null || w.flops === undefined) delete out.flops;
  return out;
}

/** The first problem of a failed zod parse as `path: message`. */
export function zodProblem(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i.path.join('.') || '(root)'}: ${i.message}`;
}
