/** The colour scale of the heat overlay: pale yellow (0) to light red (1), light enough to keep text readable. */
export function heatColor(h: number): string {
  const t = Math.min(1, Math.max(0, h));
  return `hsl(${Math.round(52 - 52 * t)} 90% ${Math.round(90 - 26 * t)}%)`;
}

/** `v` clamped to [0, 1]; 0 for NaN. */
export function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/**
 * One number per decision for the canvas. For an optional edge it is the probability that
 * the edge is kept (`true`), so a skip the search is dropping fades out. For every other
 * decision it is the probability of the leading option other than `none` (a cell edge's
 * "no op"): near 1/n while the search is undecided, near 1 once one option wins, and low on
 * a cell edge the search is removing.
 */
export function decisionHeat(d: { kind: string }, probs: Readonly<Record<string, number>>): number {
  if (d.kind === 'edge') return clamp01(probs.true ?? 0);
  let best = 0;
  for (const [option, p] of Object.entries(probs)) if (option !== 'none' && p > best) best = p;
  return clamp01(best);
}
