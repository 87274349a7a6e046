/** Number formatting of the training views. */

/** A metric value: 4 significant decimals, scientific when tiny or huge, `—` when absent. */
export function fmtValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return v === null || v === undefined ? '—' : String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 1 : 4);
}

/** Samples per second, rounded. */
export function fmtRate(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v).toLocaleString('en-US')}/s`;
}

/** A timestamp as local `MM-DD HH:MM` (the year too when it is not this one). */
export function fmtDate(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const year = d.getFullYear() === new Date(now).getFullYear() ? '' : `${d.getFullYear()}-`;
  return `${year}${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
