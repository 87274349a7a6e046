/** Short, readable numbers for the search panel: metrics (durations: ui/duration.ts). */
import { formatFlops } from '../canvas/node-summary.js';

/**
 * A metric value: K / M / G counts for params and FLOPs (as the canvas shows them),
 * milliseconds with one decimal, else 3 significant digits.
 */
export function formatMetric(name: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (/^(params|flops)$/i.test(name)) return formatFlops(v);
  if (/ms$/i.test(name)) return `${v.toFixed(1)} ms`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}
