/**
 * Objectives and constraints of a search.
 *
 * An objective is a metric with a direction (`valAccuracy` is maximised, `params` minimised);
 * a search may have several (`--objective valAccuracy,params`) and then reports the Pareto
 * front, while strategies, which take one number, optimise the first ({@link primary}).
 *
 * Constraints (`params<=100000`, `flops<=2e6`) bound the *static* cost of a candidate, which
 * is known from shape inference alone, so a violator is skipped before any training is spent
 * on it. Metrics only known after training cannot be constraints for that reason.
 */
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { parseDocument } from '../../engine/graph/load.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { validateDocument } from '../../engine/graph/validate.js';

/** Whether larger or smaller is better. */
export type Direction = 'max' | 'min';

/** One objective: a metric name and its direction. */
export interface Objective {
  metric: string;
  direction: Direction;
}

/** Comparison operators a constraint may use. */
export type ConstraintOp = '<=' | '<' | '>=' | '>';

/** A bound on a static cost metric, e.g. `params <= 100000`. */
export interface Constraint {
  metric: StaticMetric;
  op: ConstraintOp;
  value: number;
  /** The text it was parsed from (for messages). */
  text: string;
}

/** Metrics known before training (from `graphCost` on the inferred shapes). */
export const STATIC_METRICS = ['params', 'flops'] as const;

/** One of {@link STATIC_METRICS}. */
export type StaticMetric = (typeof STATIC_METRICS)[number];

/** A candidate's static cost. `flops` are per sample, as `graphCost` counts them. */
export type StaticCost = Record<StaticMetric, number>;

// Order matters: "valLoss" must hit the min rule before anything accuracy-like could match.
const MIN_PATTERN = /loss|mse|mae|error|^params$|^flops$|latency|seconds|time|_ms$|Ms$/i;
const MAX_PATTERN = /acc|precision|recall|f1|auc|^valid|(^|_)test|score|reward/i;

/**
 * The natural direction of a metric name: losses, errors, size, FLOPs and latency are
 * minimised; accuracy-like metrics (and NAS-Bench-201's `valid` / `test` accuracies) are
 * maximised. Returns null for a name it cannot classify.
 */
export function directionOf(metric: string): Direction | null {
  if (MIN_PATTERN.test(metric)) return 'min';
  if (MAX_PATTERN.test(metric)) return 'max';
  return null;
}

/**
 * Parses an objective spec: comma-separated metric names, each optionally suffixed with
 * `:max` or `:min` (needed for names {@link directionOf} cannot classify). Accepts one string
 * or several (repeated `--objective` flags). Throws naming the bad part.
 */
export function parseObjectives(spec: string | readonly string[]): Objective[] {
  const parts = (typeof spec === 'string' ? [spec] : spec).flatMap((s) => s.split(',')).map((s) => s.trim());
  const out: Objective[] = [];
  for (const part of parts) {
    if (part === '') throw new Error(`objective "${[spec].flat().join(',')}": empty metric name`);
    const m = /^([A-Za-z_][\w.-]*)(?::(max|min))?$/.exec(part);
    if (!m) throw new Error(`objective "${part}": expected METRIC or METRIC:max / METRIC:min`);
    const direction = (m[2] as Direction | undefined) ?? directionOf(m[1]);
    if (!direction) throw new Error(`objective "${part}": cannot tell whether to maximise or minimise it; write ${m[1]}:max or ${m[1]}:min`);
    if (out.some((o) => o.metric === m[1])) throw new Error(`objective "${m[1]}" is given twice`);
    out.push({ metric: m[1], direction });
  }
  if (out.length === 0) throw new Error('no objective given');
  return out;
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/**
 * Parses one constraint like `params<=100000`, `flops < 2e6` or `params<=50k` (k/M/G
 * suffixes). Only static metrics are allowed, because constraints are checked before training.
 */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([A-Za-z_]\w*)\s*(<=|>=|<|>)\s*(.*?)\s*$/.exec(text);
  if (!m) throw new Error(`constraint "${text}": expected METRIC<=NUMBER (or <, >=, >), e.g. params<=100000`);
  const [, metric, op, raw] = m;
  if (!(STATIC_METRICS as readonly string[]).includes(metric)) {
    throw new Error(`constraint "${text}": unknown metric "${metric}"; constraints apply to the static cost before training: ${STATIC_METRICS.join(', ')}`);
  }
  const n = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)([kKmMgG]?)$/.exec(raw);
  const value = n ? Number(n[1]) * SUFFIX[n[2]] : NaN;
  if (!Number.isFinite(value)) throw new Error(`constraint "${text}": "${raw}" is not a number`);
  return { metric: metric as StaticMetric, op: op as ConstraintOp, value, text: text.trim() };
}

/** Parses comma-separated constraints, or a list of them (repeated `--constraint` flags). */
export function parseConstraints(spec: string | readonly string[]): Constraint[] {
  return (typeof spec === 'string' ? [spec] : spec)
    .flatMap((s) => s.split(','))
    .filter((s) => s.trim() !== '')
    .map(parseConstraint);
}

function holds(c: Constraint, v: number): boolean {
  switch (c.op) {
    case '<=':
      return v <= c.value;
    case '<':
      return v < c.value;
    case '>=':
      return v >= c.value;
    case '>':
      return v > c.value;
  }
}

/**
 * The constraints `cost` violates, one message each (`params 120000 violates params<=100000`);
 * empty when the candidate is admissible.
 */
export function violations(constraints: readonly Constraint[], cost: StaticCost): string[] {
  return constraints.filter((c) => !holds(c, cost[c.metric])).map((c) => `${c.metric} ${cost[c.metric]} violates ${c.text}`);
}

/**
 * Params and FLOPs per sample of a concrete graph document, from shape inference alone (no
 * weights are built). Throws the graph's own error (naming the node) for a broken graph.
 */
export function staticCost(doc: LoomDocument): StaticCost {
  const graph = validateDocument(parseDocument(doc));
  const { params, flops } = graphCost(graph, inferShapes(graph));
  return { params, flops };
}

/** Values a metric set gives the objectives, oriented so that larger is better (NaN if missing). */
function oriented(objectives: readonly Objective[], metrics: Readonly<Record<string, number>>): number[] {
  return objectives.map((o) => {
    const v = metrics[o.metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) return NaN;
    return o.direction === 'max' ? v : -v;
  });
}

/**
 * The scalar a single-objective strategy maximises: the first objective, negated when it is
 * minimised. NaN when the metric is missing or not finite (a failed trial).
 */
export function primary(objectives: readonly Objective[], metrics: Readonly<Record<string, number>>): number {
  if (objectives.length === 0) throw new Error('no objective given');
  return oriented(objectives.slice(0, 1), metrics)[0];
}

/** True when `a` is at least as good as `b` on every objective and better on one. */
export function dominates(objectives: readonly Objective[], a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const va = oriented(objectives, a);
  const vb = oriented(objectives, b);
  let better = false;
  for (let i = 0; i < va.length; i++) {
    if (!(va[i] >= vb[i])) return false;
    if (va[i] > vb[i]) better = true;
  }
  return better;
}

/**
 * The non-dominated points, in input order. Points with a missing or non-finite objective
 * value (failed or skipped trials) never enter the front. Points with identical objective
 * values do not dominate each other, so duplicates on the front are all kept; with one
 * objective the front is every point attaining the best value. O(n²·k), fine for searches of
 * thousands of trials.
 */
export function paretoFront<T extends { metrics: Readonly<Record<string, number>> }>(points: readonly T[], objectives: readonly Objective[]): T[] {
  if (objectives.length === 0) throw new Error('no objective given');
  const valid = points.filter((p) => oriented(objectives, p.metrics).every(Number.isFinite));
  return valid.filter((p) => !valid.some((q) => q !== p && dominates(objectives, q.metrics, p.metrics)));
}
