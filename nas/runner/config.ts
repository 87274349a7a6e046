/**
 * What an experiment is: space, strategy (+ options), evaluator spec, objective, budget and
 * seed. The config is stored as JSON with the experiment and is all `resumeExperiment` needs to
 * rebuild the search, so it is validated on the way in and again on the way out of the store.
 */
import { z } from 'zod';

/** Strategy names the runner knows: ask/tell strategies, then weight-sharing ones (evaluator `supernet`). */
export const STRATEGY_NAMES = ['random', 'evolution', 'reinforce', 'local', 'bayesopt', 'asha', 'spos', 'enas', 'darts'] as const;

/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

const finiteNonNeg = z.number().finite().nonnegative();

const posInt = z.number().int().positive();

/** Schema of the `train` evaluator's persisted options. */
export const trainOptionsSchema = z
  .object({
    dataset: z.string().min(1).optional(),
    target: z.string().optional(),
    seed: z.number().int().nonnegative().optional(),
    epochs: posInt.optional(),
    limit: posInt.optional(),
    valLimit: posInt.optional(),
    batchSize: posInt.optional(),
    backend: z.enum(['auto', 'onnxruntime', 'webgpu', 'tensorflow', 'wasm', 'cpu']).optional(),
    /** onnxruntime threads per trial (a queue worker's `--threads` sets it there); unset: the cores, split between parallel workers. */
    threads: posInt.optional(),
    /** Measure ONNX inference latency (`latencyMs`). */
    latency: z.boolean().optional(),
  })
  .strict();

/** Persisted options of the `train` evaluator. */
export type TrainOptions = z.infer<typeof trainOptionsSchema>;

/** Schema of the `supernet` evaluator's options (weight-sharing search). */
export const supernetOptionsSchema = z
  .object({
    /** Dataset spec; unset: the space document's `training.dataset`. */
    dataset: z.string().min(1).optional(),
    target: z.string().optional(),
    /** Epochs of supernet training. */
    epochs: posInt,
    /** Minibatch size of supernet training (default 32). */
    batchSize: posInt.optional(),
    /** Training samples (seeded subset). */
    limit: posInt.optional(),
    /** Validation samples (seeded subset). */
    valLimit: posInt.optional(),
    /** Fraction of the data that scores architectures (default 0.5, DARTS's split). */
    valFraction: z.number().gt(0).lt(1).optional(),
    /** Initial learning rate of the shared weights (SGD with momentum 0.9, cosine; default 0.1). */
    learningRate: z.number().positive().optional(),
  })
  .strict();

/** Persisted options of the `supernet` evaluator. */
export type SupernetConfig = z.infer<typeof supernetOptionsSchema>;

/** Schema of {@link ExperimentConfig}. */
export const experimentConfigSchema = z
  .object({
    /** `nb201`, or a display name (file name) of a drawn space when `spaceDoc` is set. */
    space: z.string().min(1),
    /**
     * The drawn space's `.loom.json` text, stored verbatim so a resumed experiment rebuilds the
     * very same space even if the file was edited or moved since. With space `nb201` it is the
     * skeleton the cell is trained in (nas/space/nb201-skeleton.ts).
     */
    spaceDoc: z.string().min(1).optional(),
    strategy: z.object({
      name: z.enum(STRATEGY_NAMES),
      options: z.record(z.string(), z.unknown()).optional(),
    }),
    evaluator: z.object({
      spec: z.string().min(1),
      /** Simulated-cost coefficients (tabular: `trainEpochs * train_time + evalPasses * eval_time`). */
      cost: z.object({ trainEpochs: finiteNonNeg.optional(), evalPasses: finiteNonNeg.optional() }).optional(),
      /** Training budget of the `train` evaluator (unset fields come from the document's `training`). */
      train: trainOptionsSchema.optional(),
      /** Supernet training of the `supernet` evaluator (weight-sharing strategies). */
      supernet: supernetOptionsSchema.optional(),
    }),
    /** The metric the evaluator returns as its signal (maximised when `objectives` is unset). */
    objective: z.object({ metric: z.string().min(1) }),
    /**
     * Objectives as `METRIC:max|min` specs (see objectives.ts); strategies optimise the first,
     * and a Pareto front is reported when there are several. Unset: maximise `objective.metric`.
     */
    objectives: z.array(z.string().min(1)).min(1).optional(),
    /** Static-cost constraints such as `params<=100000`; violators are skipped, not trained. */
    constraints: z.array(z.string().min(1)).optional(),
    /** Field reported for the best-by-objective trial (never seen by the strategy). */
    report: z.string().min(1),
    budget: z
      .object({
        trials: z.number().int().positive().optional(),
        /** Simulated seconds; a query that would exceed it is not run (NAS-Bench-201's rule). */
        seconds: z.number().finite().positive().optional(),
      })
      .refine((b) => b.trials !== undefined || b.seconds !== undefined, { message: 'set budget.trials and/or budget.seconds' }),
    seed: z.number().int().nonnegative(),
    /**
     * Trials evaluated at once, each in its own worker process (see pool.ts). Unset or 1: the
     * sequential in-process runner (deterministic). Above 1, results are told in completion
     * order, so a run is not bit-reproducible, but trials are never lost or duplicated.
     */
    workers: posInt.optional(),
    /**
     * The trial queue the experiment ran on, without its password (set by the runner), so a
     * resume goes back to it: without a password it is reused; with one the user gives it again.
     */
    queue: z.string().min(1).optional(),
  })
  .strict();

/** A complete experiment description. */
export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;

/** Validates a config (from a caller or from the store); errors name the field. */
export function parseExperimentConfig(raw: unknown, where = 'experiment config'): ExperimentConfig {
  const r = experimentConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

/** Mean and population standard deviation (ddof 0, as NAS-Bench-201's tables use). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}
