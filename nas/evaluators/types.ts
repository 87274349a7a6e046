/**
 * Evaluators turn a candidate (its canonical key from the space) into numbers: the signal the
 * strategy optimises, the field reported at the end, every metric, and the cost of the query
 * in simulated seconds so budgets can be expressed in the benchmark's time.
 */

/** One evaluation of one candidate. */
export interface Evaluation {
  /** The objective the strategy maximises (e.g. validation accuracy). */
  signal: number;
  /** The field reported for the final choice (e.g. test accuracy); never seen by the strategy. */
  report: number;
  /** All numeric fields known for the candidate. */
  metrics: Record<string, number>;
  params?: number;
  flops?: number;
  /** Simulated cost of this query, seconds (charged against a time budget). */
  costSeconds: number;
}

/** The evaluator contract. Async so training-based evaluators fit the same loop. */
export interface Evaluator {
  /** The spec it was created from, e.g. `tabular:/path/nb201_cifar10.json`. */
  readonly spec: string;
  evaluate(key: string): Evaluation | Promise<Evaluation>;
  /**
   * Evaluates at a share `fidelity` in (0, 1] of the full budget (multi-fidelity search);
   * evaluators without it only evaluate at full fidelity. The evaluation's metrics carry
   * `fidelity` (the share actually used) when it is below 1.
   */
  evaluateAt?(key: string, fidelity: number): Evaluation | Promise<Evaluation>;
  /**
   * The fidelities it can evaluate at, ascending and ending in 1, when only some are possible
   * (a table's fidelity fields); unset when any share works (epochs of the train evaluator).
   */
  readonly fidelities?: readonly number[];
}
