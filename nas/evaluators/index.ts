/** Builds an evaluator from its spec string (`tabular:PATH`, `train[:DATASET]`). */
import { TabularEvaluator, type TabularCost } from './tabular.js';
import { TrainEvaluator, type TrainEvaluatorOptions } from './train.js';
import type { Evaluator } from './types.js';

export type { Evaluation, Evaluator } from './types.js';
export { TabularEvaluator, DEFAULT_TABULAR_COST, NB201_LOW_FIDELITY, type TabularCost, type TabularOptions } from './tabular.js';
export { TrainEvaluator, type TrainEvaluation, type TrainEvaluatorOptions } from './train.js';

/** What an evaluator reads and how it charges queries; persisted with the experiment. */
export interface EvaluatorOptions {
  signal: string;
  report: string;
  cost?: Partial<TabularCost>;
  /** Tabular: queries must be charged (a time budget), so a table without timing fields is refused. */
  requireCost?: boolean;
  /** Budget, data and `materialize` of the `train` evaluator (`signal`/`report` above win). */
  train?: TrainEvaluatorOptions;
}

/** Creates the evaluator a spec names; throws a one-line error for an unknown kind. */
export function createEvaluator(spec: string, options: EvaluatorOptions): Evaluator {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'tabular':
      if (!arg) throw new Error('evaluator "tabular" needs a table path: tabular:PATH');
      return new TabularEvaluator(arg, options);
    case 'train':
      return new TrainEvaluator({ ...options.train, signal: options.signal, report: options.report, ...(arg ? { dataset: arg } : {}) });
    default:
      throw new Error(`unknown evaluator "${kind}" in "${spec}"; available: tabular:PATH, train[:DATASET]`);
  }
}
