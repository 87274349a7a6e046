/** The one duration format of the UI (ETAs, run durations, trial costs, estimates). */

/** Seconds as `850 ms`, `12.4 s`, `3 min 05 s` or `2 h 07 min`; `—` when absent, negative or not finite. */
export function formatDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1).replace(/\.0$/, '')} s`;
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m} min ${String(whole - m * 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m - h * 60).padStart(2, '0')} min`;
}
