/**
 * The built-in factories the runner resolves a stored config with: space by name, strategy by
 * name, evaluator by spec. Tests inject their own through `RunnerDeps`.
 */
import { createEvaluator } from '../evaluators/index.js';
import type { Evaluator } from '../evaluators/types.js';
import { nb201 } from '../space/nb201.js';
import type { SearchSpace } from '../space/types.js';
import { createStrategy } from '../strategies/index.js';
import type { Strategy } from '../strategies/types.js';
import type { ExperimentConfig, StrategyName } from './config.js';

/** Factories the runner builds an experiment from. */
export interface RunnerDeps {
  space(name: string): SearchSpace;
  strategy(name: StrategyName, space: SearchSpace, seed: number, options: Record<string, unknown> | undefined): Strategy;
  evaluator(config: ExperimentConfig): Evaluator;
}

/** Spaces available by name in this version. */
export const SPACES: Record<string, SearchSpace> = { nb201 };

/** The built-in registry. */
export const defaultDeps: RunnerDeps = {
  space(name) {
    const s = SPACES[name];
    if (!s) throw new Error(`unknown search space "${name}"; available: ${Object.keys(SPACES).join(', ')}`);
    return s;
  },
  strategy(name, space, seed, options) {
    return createStrategy(name, space, seed, options as Parameters<typeof createStrategy>[3]);
  },
  evaluator(config) {
    return createEvaluator(config.evaluator.spec, { signal: config.objective.metric, report: config.report, cost: config.evaluator.cost });
  },
};
