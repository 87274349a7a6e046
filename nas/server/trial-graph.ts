/**
 * A trial's architecture as the designer shows it: the concrete graph of its sample, every
 * edge with an id, and which nodes and edges differ from a reference — the design's default
 * candidate (each decision at its first option) or the trial's parent in an evolution.
 */
import type { LoomDocument, LoomEdge } from '../../engine/graph/schema.js';
import type { DrawnSpace } from '../space/drawn.js';
import type { Sample } from '../space/types.js';

/** The concrete graph and its differences from the reference. */
export interface TrialGraph {
  doc: LoomDocument;
  changedNodes: string[];
  changedEdges: string[];
}

const edgeKey = (e: LoomEdge) => `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;

/** Gives every edge an id (kept when present) so the canvas can address it. */
function withEdgeIds(doc: LoomDocument): LoomDocument {
  return { ...doc, edges: doc.edges.map((e) => ({ ...e, id: e.id ?? edgeKey(e) })) };
}

/** The design's default candidate: every decision at its first option. */
export function defaultSample(space: DrawnSpace): Sample {
  return Object.fromEntries(space.decisions.map((d) => [d.name, d.options[0]]));
}

/** Materializes `sample` and marks what differs from `reference`'s materialization. */
export function trialGraph(space: DrawnSpace, sample: Sample, reference: Sample): TrialGraph {
  const doc = withEdgeIds(space.materialize(sample));
  const ref = space.materialize(reference);
  const refNodes = new Map(ref.nodes.map((n) => [n.id, n]));
  const refEdges = new Set(ref.edges.map(edgeKey));
  const changedNodes = doc.nodes
    .filter((n) => {
      const r = refNodes.get(n.id);
      return !r || r.kind !== n.kind || JSON.stringify(r.params) !== JSON.stringify(n.params);
    })
    .map((n) => n.id);
  const changedEdges = doc.edges.filter((e) => !refEdges.has(edgeKey(e))).map((e) => e.id!);
  return { doc, changedNodes, changedEdges };
}
