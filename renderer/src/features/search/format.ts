/** Short, readable numbers for the search panel: metrics and durations. */
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

/** Seconds as `850 ms`, `12.4 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1).replace(/\.0$/, '')} s`;
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m} min ${String(whole - m * 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m - h * 60).padStart(2, '0')} min`;
}
