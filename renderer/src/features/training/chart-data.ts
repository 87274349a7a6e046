/**
 * Data shaping for the charts (uPlot wants one shared x array and y arrays aligned to it):
 * merging series sampled at different x, grouping epoch metrics into train-vs-validation
 * charts, putting ROC curves on one FPR grid, and lining two runs up by epoch.
 */
import type { RunReport, RunView } from './run-state.js';

/** One line: y values at its own x values. */
export interface Line {
  x: number[];
  y: (number | null)[];
}

/** uPlot's aligned data: the shared x, then one y array per line (null where a line has no point). */
export type Aligned = [number[], ...(number | null)[][]];

/** Merges lines onto the sorted union of their x values. */
export function alignLines(lines: Line[]): Aligned {
  const xs = [...new Set(lines.flatMap((l) => l.x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((l) => {
    const y = new Array<number | null>(xs.length).fill(null);
    l.x.forEach((x, i) => (y[at.get(x)!] = l.y[i] ?? null));
    return y;
  });
  return [xs, ...ys];
}

/** A chart of epoch metrics: training and validation variants of one metric, or the validation-only ones. */
export interface MetricChart {
  id: string;
  title: string;
  series: { key: string; label: string; split: 'train' | 'val' }[];
}

const valName = (m: string) => `val${m[0].toUpperCase()}${m.slice(1)}`;
const plainName = (v: string) => `${v[3].toLowerCase()}${v.slice(4)}`;

/**
 * Charts for the metric names a run reports, loss excluded (it has its own chart): one per
 * training metric with its validation twin (`accuracy` + `valAccuracy`), then one for the
 * validation metrics without a training twin (precision, recall, F1, AUC).
 */
export function metricCharts(names: readonly string[]): MetricChart[] {
  const set = new Set(names);
  const charts: MetricChart[] = [];
  const paired = new Set(['loss', 'valLoss']);
  for (const m of names) {
    if (m.startsWith('val') || paired.has(m)) continue;
    const series: MetricChart['series'] = [{ key: m, label: `train ${m}`, split: 'train' }];
    if (set.has(valName(m))) {
      series.push({ key: valName(m), label: `val ${m}`, split: 'val' });
      paired.add(valName(m));
    }
    charts.push({ id: m, title: m, series });
    paired.add(m);
  }
  const rest = names.filter((n) => !paired.has(n));
  if (rest.length)
    charts.push({
      id: 'validation',
      title: 'validation metrics',
      series: rest.map((k) => ({ key: k, label: k.startsWith('val') ? plainName(k) : k, split: 'val' as const })),
    });
  return charts;
}

/** Every metric name the run's epochs reported, in first-seen order. */
export function metricNames(run: RunView): string[] {
  return [...new Set(run.epochRows.flatMap((r) => Object.keys(r.metrics)))];
}

/** The loss chart: training loss per batch and per epoch, validation loss per epoch. */
export function lossLines(run: RunView): Line[] {
  const ex = run.epochRows.map((r) => r.epoch);
  return [
    { x: run.batches.x, y: run.batches.loss },
    { x: ex, y: run.epochRows.map((r) => r.metrics.loss ?? null) },
    { x: ex, y: run.epochRows.map((r) => r.metrics.valLoss ?? null) },
  ];
}

/** One metric chart's lines, at epoch ends. */
export function metricLines(run: RunView, chart: MetricChart): Line[] {
  const ex = run.epochRows.map((r) => r.epoch);
  return chart.series.map((s) => ({ x: ex, y: run.epochRows.map((r) => r.metrics[s.key] ?? null) }));
}

/** Learning rate per batch and per epoch (stored runs may only have the epoch values). */
export function lrLines(run: RunView): Line[] {
  return [
    { x: run.batches.x, y: run.batches.lr },
    { x: run.epochRows.map((r) => r.epoch), y: run.epochRows.map((r) => r.lr) },
  ];
}

/** Throughput per batch and per epoch. */
export function throughputLines(run: RunView): Line[] {
  return [
    { x: run.batches.x, y: run.batches.samplesPerSec },
    { x: run.epochRows.map((r) => r.epoch), y: run.epochRows.map((r) => r.samplesPerSec) },
  ];
}

/** TPR of a ROC curve at `fpr`, interpolated linearly between its points (the AUC's own reading). */
export function tprAt(curve: { fpr: number[]; tpr: number[] }, fpr: number): number {
  const { fpr: xs, tpr: ys } = curve;
  let i = 0;
  while (i + 1 < xs.length && xs[i + 1] <= fpr) i++;
  if (xs[i] >= fpr || i + 1 >= xs.length) return ys[i];
  const t = (fpr - xs[i]) / (xs[i + 1] - xs[i]);
  return ys[i] + t * (ys[i + 1] - ys[i]);
}

/** Every class's ROC curve on one FPR grid of `n` points, plus the chance diagonal. */
export function rocAligned(roc: NonNullable<RunReport['classification']>['roc'], n = 101): Aligned {
  const grid = Array.from({ length: n }, (_, i) => i / (n - 1));
  return [grid, grid.slice(), ...roc.map((c) => grid.map((g) => tprAt(c, g)))];
}

/** Two runs' values of one epoch metric on the union of their epochs. */
export function compareLines(runs: RunView[], metric: string): Line[] {
  return runs.map((r) => ({ x: r.epochRows.map((e) => e.epoch), y: r.epochRows.map((e) => e.metrics[metric] ?? null) }));
}

/** Metric names two runs have in common (loss first), for the compare picker. */
export function sharedMetrics(runs: RunView[]): string[] {
  const [first, ...rest] = runs.map((r) => new Set(metricNames(r)));
  if (!first) return [];
  const shared = [...first].filter((m) => rest.every((s) => s.has(m)));
  return shared.sort((a, b) => Number(b === 'valLoss') - Number(a === 'valLoss') || Number(b === 'loss') - Number(a === 'loss'));
}
