/**
 * Where each decision sits in the drawn document, so a UI can paint per-decision
 * probabilities onto the canvas: a param on a node, an optional edge, a Choice or Repeat node,
 * or one edge of a Cell. A decision of the nb201 cell space drives the same edge of every Cell
 * of its skeleton, so it maps to several targets.
 */
import type { WeightSharingSpace } from './supernet.js';

/** One place on the canvas a decision controls. */
export interface DecisionTarget {
  /** The node (a param's node, a Choice/Repeat/Cell node, an optional edge's target). */
  node: string;
  /** A searchable param of `node`. */
  param?: string;
  /** An optional edge: its id (or `source->target`), source and target. */
  edge?: string;
  source?: string;
  /** The edge `i->j` inside the Cell `node`. */
  cellEdge?: string;
}

/** Targets of every decision of `space` (keyed by the space's own decision names). */
export function decisionTargets(space: WeightSharingSpace): Record<string, DecisionTarget[]> {
  const model = space.drawn.model;
  const where = new Map<string, DecisionTarget>();
  for (const p of model.params) where.set(p.decision, { node: p.node, param: p.param });
  for (const o of model.optionalEdges) {
    const e = model.doc.edges[o.index];
    where.set(o.decision, { node: e.target, edge: e.id ?? `${e.source}->${e.target}`, source: e.source });
  }
  for (const id of [...model.choices.keys(), ...model.repeats.keys()]) where.set(id, { node: id });
  for (const cell of model.cells.keys()) {
    for (const d of model.decisions) {
      if (d.name.startsWith(`${cell}.`) && !where.has(d.name)) where.set(d.name, { node: cell, cellEdge: d.name.slice(cell.length + 1) });
    }
  }
  const out: Record<string, DecisionTarget[]> = Object.fromEntries(space.decisions.map((d) => [d.name, []]));
  for (const d of model.decisions) {
    const t = where.get(d.name);
    if (t) out[space.sourceOf(d.name)]?.push(t);
  }
  return out;
}
