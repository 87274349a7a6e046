/**
 * Grouping selected nodes into a new Repeat or Choice frame (Ctrl+G). A drawn space reaches a
 * frame's members only through the frame (nas/space/drawn-parse.ts), so edges that entered
 * the selection from outside now enter the frame, and edges that left it leave from the frame.
 */
import type { LoomDocument, LoomEdge } from '../../../../engine/graph/schema.js';
import { containerDefs, isContainerKind } from '../containers.js';
import type { Command } from '../document-store.js';
import { edgeIds, newEdgeId } from './ids.js';

/** Why `ids` cannot be grouped in `doc`, or null when they can. */
export function groupProblem(doc: LoomDocument, ids: ReadonlySet<string>): string | null {
  const chosen = doc.nodes.filter((n) => ids.has(n.id));
  if (!chosen.length) return 'select the layers to group first';
  const container = chosen.find((n) => isContainerKind(n.kind));
  if (container) return `"${container.id}" is a ${container.kind}; frames cannot be nested`;
  const inFrame = chosen.find((n) => n.group !== undefined);
  if (inFrame) return `"${inFrame.id}" already sits in "${inFrame.group}"`;
  const io = chosen.find((n) => n.kind === 'Input' || n.kind === 'Output');
  if (io) return `"${io.id}" is an ${io.kind}; a repeated or alternative block holds inner layers only`;
  return null;
}

/**
 * Puts the nodes into a new `kind` frame with id `frameId` (a Choice's first lane), rewiring
 * edges across the selection's border to the frame. Does nothing when {@link groupProblem} objects.
 */
export function groupInto(ids: Iterable<string>, kind: 'Repeat' | 'Choice', frameId: string): Command {
  const members = new Set(ids);
  return {
    name: 'group',
    label: `Group ${members.size === 1 ? [...members][0] : `${members.size} nodes`} into ${frameId}`,
    apply(doc) {
      if (groupProblem(doc, members) || doc.nodes.some((n) => n.id === frameId)) return doc;
      const chosen = doc.nodes.filter((n) => members.has(n.id));
      const x = Math.min(...chosen.map((n) => n.position.x));
      const y = Math.min(...chosen.map((n) => n.position.y));
      const frame = { id: frameId, kind, params: { ...containerDefs[kind].starter }, position: { x: x - 18, y: y - 56 } };
      const nodes = [...doc.nodes.map((n) => (members.has(n.id) ? { ...n, group: frameId, ...(kind === 'Choice' ? { alternative: 0 } : {}) } : n)), frame];
      const taken = edgeIds(doc);
      const seen = new Set<string>();
      const edges: LoomEdge[] = [];
      for (const e of doc.edges) {
        const [inS, inT] = [members.has(e.source), members.has(e.target)];
        if (inS === inT) {
          edges.push(e);
          continue;
        }
        // Entering: source -> frame; leaving: frame -> target (one edge per outside node and port).
        const rewired = inT ? { ...e, target: frameId, targetPort: 'in' } : { ...e, source: frameId, sourcePort: 'out' };
        const key = `${rewired.source}:${rewired.sourcePort}>${rewired.target}:${rewired.targetPort}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const id = newEdgeId(rewired.source, rewired.target, taken);
        taken.add(id);
        edges.push({ ...rewired, id });
      }
      return { ...doc, nodes, edges };
    },
  };
}
