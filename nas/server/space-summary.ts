/**
 * The live summary of a drawn space for the designer: size, each decision tied to the part
 * of the drawing it belongs to (so the canvas can badge it), the smallest and largest
 * candidates, and the pre-launch shape check with the decision values to blame.
 */
import type { z } from 'zod';
import { GraphError } from '../../engine/graph/errors.js';
import type { decisionInfoSchema, spaceSummarySchema } from '../../engine/server/protocol/search.js';
import { drawnSpace, type DrawnSpace } from '../space/drawn.js';

type SpaceSummary = z.input<typeof spaceSummarySchema>;
type DecisionInfo = z.input<typeof decisionInfoSchema>;

/** Where in the drawing each decision lives. */
export function describeDecisions(space: DrawnSpace): DecisionInfo[] {
  const { model } = space;
  const edgeIds = new Map(model.optionalEdges.map((o) => [o.decision, model.doc.edges[o.index].id ?? String(o.index)]));
  const params = new Map(model.params.map((p) => [p.decision, p]));
  return space.decisions.map((d) => {
    const base = { name: d.name, options: [...d.options] };
    const p = params.get(d.name);
    if (p) return { ...base, kind: 'param', node: p.node, param: p.param };
    const edge = edgeIds.get(d.name);
    if (edge !== undefined) return { ...base, kind: 'edge', edge };
    if (model.choices.has(d.name)) return { ...base, kind: 'choice', node: d.name };
    if (model.repeats.has(d.name)) return { ...base, kind: 'repeat', node: d.name };
    const cell = d.name.slice(0, d.name.lastIndexOf('.'));
    return { ...base, kind: 'cell', node: cell };
  });
}

/** Decision names a shape-check message blames (its `a=1, b=2:` prefix). */
function blamed(space: DrawnSpace, message: string): string[] {
  const names = new Set(space.decisions.map((d) => d.name));
  const head = message.split(': ')[0];
  return head
    .split(', ')
    .map((part) => part.slice(0, part.lastIndexOf('=')))
    .filter((n) => names.has(n));
}

/** Summarizes `.loom.json` text; a malformed space gives `error` instead of throwing. */
export function summarizeSpace(text: string, seed = 0): SpaceSummary {
  let space: DrawnSpace;
  try {
    space = drawnSpace(text);
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    const where = Object.fromEntries(Object.entries(e.where).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
    return { searchable: false, size: 0, decisions: [], extremes: null, check: { checked: 0, failures: [] }, error: { message: e.message, where } };
  }
  const check = space.shapeCheck(seed);
  let extremes: SpaceSummary['extremes'] = null;
  try {
    extremes = space.extremes(seed);
  } catch {
    // No valid candidate: the failures say why.
  }
  return {
    searchable: space.decisions.length > 0,
    size: space.size(),
    decisions: describeDecisions(space),
    extremes,
    check: { checked: check.checked, failures: check.failures.slice(0, 50).map((f) => ({ ...f, decisions: blamed(space, f.message) })) },
  };
}
