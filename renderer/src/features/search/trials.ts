/**
 * The trials table's model: which columns to show for the metrics the trials carry, the
 * cost axes of the scatter, sorting (nulls last) and filtering (text and `metric>value`).
 */
import { formatDuration } from '../../ui/duration.js';
import { formatMetric } from './format.js';
import type { DecisionInfo, TrialInfo } from './types.js';

/** A decision name -> option text, parsed from a trial's `arch` key (`a=1,b=true`). */
export function archSample(arch: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!arch) return out;
  for (const part of arch.split(',')) {
    const eq = part.lastIndexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** `head.filters=32`: the decision an evolution child changed and its new value. */
export function changedLabel(t: TrialInfo): string {
  if (!t.changed) return '';
  const v = t.sample?.[t.changed] ?? archSample(t.arch)[t.changed];
  return v === undefined ? t.changed : `${t.changed}=${String(v)}`;
}

/** One decision of a shown trial: its value and whether it differs from the reference. */
export interface DecisionValue {
  name: string;
  value: string;
  changed: boolean;
}

/**
 * A trial's decisions against a reference: the design's default candidate (every decision at
 * its first option, as the engine's trial graphs take it) or the parent's architecture.
 */
export function decisionValues(
  sample: Readonly<Record<string, string | number | boolean>>,
  decisions: readonly DecisionInfo[],
  parentArch?: string,
): DecisionValue[] {
  const parent = parentArch === undefined ? null : archSample(parentArch);
  const names = decisions.length > 0 ? decisions.map((d) => d.name).filter((n) => n in sample) : Object.keys(sample);
  return names.map((name) => {
    const value = String(sample[name]);
    const first = decisions.find((d) => d.name === name)?.options[0];
    const reference = parent ? parent[name] : first === undefined ? undefined : String(first);
    return { name, value, changed: reference !== undefined && reference !== value };
  });
}

/** The first objective's metric name (`valAccuracy:max` -> `valAccuracy`). */
export function primaryMetric(objectives: readonly string[]): string {
  return (objectives[0] ?? 'valAccuracy').split(':')[0];
}

/** A table column. `value` sorts and filters; `text` displays. */
export interface Column {
  id: string;
  label: string;
  value(t: TrialInfo): number | string | null;
  text(t: TrialInfo): string;
  numeric: boolean;
}

const metricColumn = (name: string): Column => ({
  id: name,
  label: name,
  value: (t) => t.metrics[name] ?? null,
  text: (t) => formatMetric(name, t.metrics[name]),
  numeric: true,
});

/** Metrics shown when present, in this order, after the objectives' own metrics. */
const SHOWN_METRICS = ['valAccuracy', 'valLoss', 'accuracy', 'params', 'flops', 'latencyMs'];

/** The columns for these trials: id, status, objective, the metrics present, duration, parent, change. */
export function tableColumns(trials: readonly TrialInfo[], objectives: readonly string[]): Column[] {
  const present = new Set(trials.flatMap((t) => Object.keys(t.metrics)));
  const wanted = [...objectives.map((o) => o.split(':')[0]), ...SHOWN_METRICS];
  const metrics = [...new Set(wanted)].filter((m) => present.has(m));
  // The objective is the first objective's metric (negated when minimised): shown only when
  // that metric is not a column of its own.
  const objective: Column[] = metrics.includes(primaryMetric(objectives))
    ? []
    : [{ id: 'objective', label: 'objective', value: (t) => t.objective, text: (t) => formatMetric('objective', t.objective), numeric: true }];
  return [
    { id: 'trialId', label: '#', value: (t) => t.trialId, text: (t) => String(t.trialId), numeric: true },
    { id: 'status', label: 'status', value: (t) => t.status, text: (t) => t.status, numeric: false },
    ...objective,
    ...metrics.map(metricColumn),
    { id: 'duration', label: 'duration', value: (t) => t.costSeconds, text: (t) => formatDuration(t.costSeconds), numeric: true },
    { id: 'parent', label: 'parent', value: (t) => t.parent, text: (t) => (t.parent === null ? '' : `#${t.parent}`), numeric: true },
    { id: 'changed', label: 'changed', value: (t) => changedLabel(t) || null, text: changedLabel, numeric: false },
  ];
}

/** Sort direction. */
export type SortDir = 'asc' | 'desc';

/** Trials sorted by a column; missing values last in both directions; ties by trial id. */
export function sortTrials(trials: readonly TrialInfo[], column: Column, dir: SortDir): TrialInfo[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...trials].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    const na = va === null || (typeof va === 'number' && !Number.isFinite(va));
    const nb = vb === null || (typeof vb === 'number' && !Number.isFinite(vb));
    if (na || nb) return na === nb ? a.trialId - b.trialId : na ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c === 0 ? a.trialId - b.trialId : sign * c;
  });
}

const COMPARISON = /^([A-Za-z_][\w.]*)(<=|>=|<|>|=)(-?[\d.]+(?:e[-+]?\d+)?)([kKmMgG]?)$/;
const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/** The numeric value of `name` for a trial: a column (objective, duration, …) or a metric. */
function numberOf(t: TrialInfo, name: string, columns: readonly Column[]): number | null {
  const v = name === 'objective' ? t.objective : (columns.find((c) => c.id === name)?.value(t) ?? t.metrics[name]);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function compare(v: number, op: string, x: number): boolean {
  return op === '<=' ? v <= x : op === '>=' ? v >= x : op === '<' ? v < x : op === '>' ? v > x : v === x;
}

/**
 * Trials matching every whitespace-separated term of `query`: `valAccuracy>0.9`,
 * `params<=50k` compare a column or metric; any other term matches the status, the
 * architecture, the changed decision or `#id` as text (case-insensitive).
 */
export function filterTrials(trials: readonly TrialInfo[], query: string, columns: readonly Column[]): TrialInfo[] {
  const terms = query.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...trials];
  // A comparison names a column or a metric; `head.filters=32` (a decision) stays text.
  const known = new Set(['objective', ...columns.map((c) => c.id), ...trials.flatMap((t) => Object.keys(t.metrics))]);
  return trials.filter((t) =>
    terms.every((term) => {
      const m = COMPARISON.exec(term);
      if (m && known.has(m[1])) {
        const v = numberOf(t, m[1], columns);
        return v !== null && compare(v, m[2], Number(m[3]) * SUFFIX[m[4]]);
      }
      const hay = `#${t.trialId} ${t.status} ${t.arch} ${changedLabel(t)}`.toLowerCase();
      return hay.includes(term.toLowerCase());
    }),
  );
}

/** A cost axis of the scatter. */
export interface CostAxis {
  id: 'params' | 'flops' | 'duration' | 'latencyMs';
  label: string;
  of(t: TrialInfo): number | null;
}

/** The cost axes: params, FLOPs, training time, inference latency. */
export const costAxes: CostAxis[] = [
  { id: 'params', label: 'params', of: (t) => t.metrics.params ?? null },
  { id: 'flops', label: 'FLOPs', of: (t) => t.metrics.flops ?? null },
  { id: 'duration', label: 'duration (s)', of: (t) => t.costSeconds },
  { id: 'latencyMs', label: 'latency (ms)', of: (t) => t.metrics.latencyMs ?? null },
];

/** The axes at least one trial has a value for (params first when present). */
export function availableAxes(trials: readonly TrialInfo[]): CostAxis[] {
  return costAxes.filter((a) => trials.some((t) => Number.isFinite(a.of(t) ?? NaN)));
}
