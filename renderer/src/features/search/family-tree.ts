/**
 * The family tree of an evolution: who mutated from whom. Laid out as an indented tree (one
 * row per trial, children under their parent, one level deeper), which reads well in a narrow
 * side panel and keeps every trial on its own row however deep the lineage grows.
 */
import { changedLabel } from './trials.js';
import type { TrialInfo } from './types.js';

/** One row of the tree. */
export interface FamilyRow {
  trialId: number;
  /** Generations below its root (0 for the initial population). */
  depth: number;
  /** Row index, top to bottom. */
  row: number;
  /** The parent's row, null for a root (or a parent not in the list). */
  parentRow: number | null;
  /** `decision=value` the mutation changed; empty for roots. */
  change: string;
  objective: number | null;
  status: string;
}

/**
 * Pre-order layout: roots by trial id, each followed by its descendants (children by trial
 * id). Iterative, so a lineage thousands of generations deep does not overflow the stack.
 */
export function layoutFamily(trials: readonly TrialInfo[]): FamilyRow[] {
  const byId = new Map(trials.map((t) => [t.trialId, t]));
  const children = new Map<number, TrialInfo[]>();
  const roots: TrialInfo[] = [];
  for (const t of trials) {
    if (t.parent !== null && byId.has(t.parent) && t.parent !== t.trialId) {
      const list = children.get(t.parent) ?? [];
      list.push(t);
      children.set(t.parent, list);
    } else {
      roots.push(t);
    }
  }
  const byTrialId = (a: TrialInfo, b: TrialInfo) => a.trialId - b.trialId;
  const rows: FamilyRow[] = [];
  const rowOf = new Map<number, number>();
  // Roots first; then anything a parent cycle kept unreachable (malformed data), as a root.
  for (const start of [...roots.sort(byTrialId), ...[...trials].sort(byTrialId)]) {
    const stack = [{ t: start, depth: 0 }];
    while (stack.length > 0) {
      const { t, depth } = stack.pop()!;
      if (rowOf.has(t.trialId)) continue;
      rowOf.set(t.trialId, rows.length);
      const parentRow = depth > 0 && t.parent !== null ? (rowOf.get(t.parent) ?? null) : null;
      rows.push({ trialId: t.trialId, depth, row: rows.length, parentRow, change: changedLabel(t), objective: t.objective, status: t.status });
      const kids = [...(children.get(t.trialId) ?? [])].sort(byTrialId).reverse();
      for (const k of kids) stack.push({ t: k, depth: depth + 1 });
    }
  }
  return rows;
}

/** True when some trial has a parent among the trials (an evolution with children). */
export function hasLineage(trials: readonly TrialInfo[]): boolean {
  const ids = new Set(trials.map((t) => t.trialId));
  return trials.some((t) => t.parent !== null && ids.has(t.parent));
}
