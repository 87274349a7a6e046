/** The colour scale of the heat overlay: pale yellow (0) to light red (1), light enough to keep text readable. */
export function heatColor(h: number): string {
  const t = Math.min(1, Math.max(0, h));
  return `hsl(${Math.round(52 - 52 * t)} 90% ${Math.round(90 - 26 * t)}%)`;
}
