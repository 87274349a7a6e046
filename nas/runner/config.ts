/**
 * What an experiment is: space, strategy (+ options), evaluator spec, objective, budget and
 * seed. The config is stored as JSON with the experiment and is all `resumeExperiment` needs to
 * rebuild the search, so it is validated on the way in and again on the way out of the store.
 */
import { z } from 'zod';

/** Strategy names the runner knows. */
export const STRATEGY_NAMES = ['random', 'evolution', 'reinforce'] as const;

/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

const finiteNonNeg = z.number().finite().nonnegative();

/** Schema of {@link ExperimentConfig}. */
export const experimentConfigSchema = z
  .object({
    space: z.string().min(1),
    strategy: z.object({
      name: z.enum(STRATEGY_NAMES),
      options: z.record(z.string(), z.unknown()).optional(),
    }),
    evaluator: z.object({
      spec: z.string().min(1),
      /** Simulated-cost coefficients (tabular: `trainEpochs * train_time + evalPasses * eval_time`). */
      cost: z.object({ trainEpochs: finiteNonNeg.optional(), evalPasses: finiteNonNeg.optional() }).optional(),
    }),
    /** Single objective for now: maximise `metric`. */
    objective: z.object({ metric: z.string().min(1) }),
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
