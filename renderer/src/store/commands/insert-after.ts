/**
 * Inserting a layer after another one, wired in (the quick-add palette's Enter): the new node
 * takes over the chosen node's outgoing edges and is fed by it, so Input -> Output becomes
 * Input -> Conv2D -> Output in one undo step, and everything downstream moves down a row to
 * make room (a designer that inserts by keyboard should not stack nodes on top of each other).
 */
import type { LoomDocument, LoomEdge, LoomNode } from '../../../../engine/graph/schema.js';
import { portsOf } from '../containers.js';
import type { Command } from '../document-store.js';
import { canConnect } from './connect.js';
import { edgeIds, newEdgeId } from './ids.js';

/** Vertical room one inserted row takes (the examples' row pitch). */
export const ROW_PITCH = 110;

/** What to insert. */
export interface InsertedNode {
  id: string;
  kind: string;
  params: Record<string, unknown>;
}

/** Ids reachable from `from` by following edges (not including `from`). */
function downstream(doc: LoomDocument, from: string): Set<string> {
  const out = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    for (const e of doc.edges) {
      if (e.source !== id || out.has(e.target)) continue;
      out.add(e.target);
      stack.push(e.target);
    }
  }
  return out;
}

/**
 * Adds `node` below `afterId` and wires it in: `afterId -> node`, and `afterId`'s outgoing
 * edges leave from `node` instead when the new kind has an output (an Output node is only
 * appended). With `afterId` null, or unknown, the node is added at `fallback` unconnected.
 * The new node joins `afterId`'s frame (Repeat / Choice lane), where edges must stay.
 */
export function insertAfter(afterId: string | null, node: InsertedNode, fallback: { x: number; y: number }): Command {
  return {
    name: 'insert-after',
    label: afterId ? `Insert ${node.kind} after ${afterId}` : `Add ${node.kind}`,
    apply(doc) {
      if (doc.nodes.some((n) => n.id === node.id)) return doc;
      const after = afterId === null ? undefined : doc.nodes.find((n) => n.id === afterId);
      if (!after) return { ...doc, nodes: [...doc.nodes, { ...node, position: { x: Math.round(fallback.x), y: Math.round(fallback.y) } }] };
      const added: LoomNode = { ...node, position: { x: after.position.x, y: after.position.y + ROW_PITCH } };
      if (after.group !== undefined) {
        added.group = after.group;
        if (after.alternative !== undefined) added.alternative = after.alternative;
      }
      const ports = portsOf(node.kind);
      const takesOver = ports.outputs.length > 0 && ports.inputs.length > 0;
      const below = downstream(doc, after.id);
      const nodes = [...doc.nodes.map((n) => (below.has(n.id) ? { ...n, position: { ...n.position, y: n.position.y + ROW_PITCH } } : n)), added];
      const moved = (e: LoomEdge) => takesOver && e.source === after.id;
      const taken = edgeIds(doc);
      const edges: LoomEdge[] = [];
      for (const e of doc.edges) {
        if (!moved(e)) {
          edges.push(e);
          continue;
        }
        const id = newEdgeId(node.id, e.target, taken);
        taken.add(id);
        edges.push({ ...e, id, source: node.id, sourcePort: 'out' });
      }
      let next: LoomDocument = { ...doc, nodes, edges };
      const feed = { source: after.id, sourceHandle: 'out', target: node.id, targetHandle: 'in' };
      if (ports.inputs.length && portsOf(after.kind).outputs.length && canConnect(next, feed).ok) {
        const id = newEdgeId(after.id, node.id, taken);
        next = { ...next, edges: [...next.edges, { id, source: after.id, sourcePort: 'out', target: node.id, targetPort: 'in' }] };
      }
      return next;
    },
  };
}
