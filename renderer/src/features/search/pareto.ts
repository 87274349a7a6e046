/**
 * The Pareto front of the scatter: objective (larger is better, as the runner orients it)
 * against a cost (smaller is better). Points that tie exactly do not dominate each other, so
 * duplicates on the front are all kept, as nas/runner/objectives.ts does for the CLI.
 */

/** A point of the scatter. */
export interface ParetoInput {
  id: number;
  /** Larger is better. */
  objective: number;
  /** Smaller is better. */
  cost: number;
}

/**
 * The non-dominated points, cheapest first. Points with a non-finite coordinate (failed or
 * skipped trials, a missing metric) never enter the front. O(n log n): sorted by cost, a
 * point is on the front when no cheaper-or-equal point reached its objective.
 */
export function paretoFront<T extends ParetoInput>(points: readonly T[]): T[] {
  const valid = points.filter((p) => Number.isFinite(p.objective) && Number.isFinite(p.cost));
  valid.sort((a, b) => a.cost - b.cost || b.objective - a.objective);
  const front: T[] = [];
  let best = -Infinity;
  let bestCost = NaN;
  for (const p of valid) {
    if (p.objective > best) {
      best = p.objective;
      bestCost = p.cost;
      front.push(p);
    } else if (p.objective === best && p.cost === bestCost) {
      // The same point twice (two trials of one architecture): neither dominates.
      front.push(p);
    }
  }
  return front;
}
