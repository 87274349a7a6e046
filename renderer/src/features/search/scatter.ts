/** The scatter's data: one point per successful trial, objective against a cost, and the front. */
import { paretoFront } from './pareto.js';
import { primaryMetric, type CostAxis } from './trials.js';
import type { TrialInfo } from './types.js';

/** A plotted trial. */
export interface ScatterPoint {
  id: number;
  /** The cost axis value (x). */
  cost: number;
  /** The first objective's metric as measured (y), e.g. valAccuracy. */
  y: number;
  /** The runner's objective, oriented so larger is better (drives the front). */
  objective: number;
}

/** Points, Pareto front (cheapest first) and what the y axis shows. */
export interface ScatterModel {
  points: ScatterPoint[];
  front: ScatterPoint[];
  yLabel: string;
}

/**
 * Builds the scatter of `trials` against `axis`. The y axis shows the first objective's own
 * metric when the trials carry it (so a minimised metric reads as itself, not negated), else
 * the runner's objective value.
 */
export function scatterModel(trials: readonly TrialInfo[], axis: CostAxis, objectives: readonly string[]): ScatterModel {
  const metric = primaryMetric(objectives);
  const ok = trials.filter((t) => t.status === 'ok' && t.objective !== null && Number.isFinite(t.objective));
  const hasMetric = ok.length > 0 && ok.every((t) => Number.isFinite(t.metrics[metric]));
  const points = ok
    .map((t) => ({ id: t.trialId, cost: axis.of(t) ?? NaN, y: hasMetric ? t.metrics[metric] : t.objective!, objective: t.objective! }))
    .filter((p) => Number.isFinite(p.cost));
  return { points, front: paretoFront(points), yLabel: hasMetric ? metric : 'objective' };
}

/** The model as uPlot's aligned columns: x ascending, all points, the front (null elsewhere). */
export interface AlignedScatter {
  xs: number[];
  ys: number[];
  front: (number | null)[];
  /** Trial id of each column. */
  ids: number[];
  /** Plot x on a log scale (costs spanning two orders of magnitude or more). */
  logX: boolean;
}

/** Columns for the plot; one per point, cheapest first. */
export function alignedScatter(model: ScatterModel): AlignedScatter {
  const onFront = new Set(model.front.map((p) => p.id));
  const sorted = [...model.points].sort((a, b) => a.cost - b.cost || a.id - b.id);
  const xs = sorted.map((p) => p.cost);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return {
    xs,
    ys: sorted.map((p) => p.y),
    front: sorted.map((p) => (onFront.has(p.id) ? p.y : null)),
    ids: sorted.map((p) => p.id),
    logX: xs.length > 1 && min > 0 && max / min >= 100,
  };
}
