/**
 * Deleting nodes and edges. Deleting a node that sits in a chain splices it out: its one
 * upstream node is connected to each of its downstream nodes (as removing a layer from a
 * Sequential model would), so removing Flatten leaves Conv2D -> Dense and the canvas shows
 * Dense's rank error instead of a dangling input. Edges deleted on purpose stay deleted.
 */
import type { LoomDocument, LoomEdge } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';
import { canConnect } from './connect.js';
import { edgeIds, newEdgeId } from './ids.js';
import { withMembers } from './paste.js';

/** Follows single input edges up through deleted nodes to the first kept one. */
function keptSource(doc: LoomDocument, from: LoomEdge, deleted: ReadonlySet<string>): LoomEdge | null {
  let edge = from;
  const seen = new Set<string>();
  while (deleted.has(edge.source)) {
    if (seen.has(edge.source)) return null;
    seen.add(edge.source);
    const ins = doc.edges.filter((e) => e.target === edge.source);
    if (ins.length !== 1) return null;
    edge = ins[0];
  }
  return edge;
}

/** Removes the nodes and edges, splicing chains back together. */
export function deleteElements(nodeIds: Iterable<string>, edgeIdList: Iterable<string> = []): Command {
  const chosen = new Set(nodeIds);
  const edges = new Set(edgeIdList);
  const what = chosen.size === 1 && edges.size === 0 ? [...chosen][0] : `${chosen.size + edges.size} items`;
  return {
    name: 'delete',
    label: `Delete ${what}`,
    apply(doc) {
      // A container frame goes with what it holds.
      const nodes = withMembers(doc, chosen);
      const gone = (e: LoomEdge) => (e.id !== undefined && edges.has(e.id)) || nodes.has(e.source) || nodes.has(e.target);
      if (!doc.nodes.some((n) => nodes.has(n.id)) && !doc.edges.some(gone)) return doc;
      let next: LoomDocument = { ...doc, nodes: doc.nodes.filter((n) => !nodes.has(n.id)), edges: doc.edges.filter((e) => !gone(e)) };
      const taken = edgeIds(doc);
      for (const e of doc.edges) {
        const intoKept = nodes.has(e.source) && !nodes.has(e.target) && !(e.id !== undefined && edges.has(e.id));
        if (!intoKept) continue;
        const up = keptSource(doc, e, nodes);
        if (!up) continue;
        const request = { source: up.source, sourceHandle: up.sourcePort, target: e.target, targetHandle: e.targetPort };
        if (!canConnect(next, request).ok) continue;
        const id = newEdgeId(up.source, e.target, taken);
        taken.add(id);
        next = { ...next, edges: [...next.edges, { id, source: up.source, sourcePort: up.sourcePort, target: e.target, targetPort: e.targetPort }] };
      }
      return next;
    },
  };
}
