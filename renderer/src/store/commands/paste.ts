/** Copy and paste: a fragment of the graph (nodes and the edges among them) and its insertion. */
import type { LoomDocument, LoomEdge, LoomNode } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';
import { edgeIds, idBase, freshId, newEdgeId } from './ids.js';

/** What the clipboard holds. */
export interface Fragment {
  nodes: LoomNode[];
  edges: LoomEdge[];
}

/** The ids plus the members of every container among them (a frame is copied or deleted whole). */
export function withMembers(doc: LoomDocument, nodeIds: Iterable<string>): ReadonlySet<string> {
  const ids = new Set(nodeIds);
  for (const n of doc.nodes) if (n.group !== undefined && ids.has(n.group)) ids.add(n.id);
  return ids;
}

/** The selected nodes (with the members of selected containers) and the edges between them. */
export function copyFragment(doc: LoomDocument, nodeIds: Iterable<string>): Fragment {
  const ids = withMembers(doc, nodeIds);
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)),
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/**
 * Inserts a fragment with fresh ids, shifted by `offset`. Returns the command and the ids the
 * pasted nodes will have in `doc` (to select them).
 */
export function pasteFragment(doc: LoomDocument, fragment: Fragment, offset: { x: number; y: number }): { command: Command; ids: string[] } {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of fragment.nodes) {
    const id = freshId(idBase(n.kind), taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  // A pasted member joins the pasted copy of its container, or the original one.
  const nodes: LoomNode[] = fragment.nodes.map((n) => ({
    ...n,
    ...(n.group !== undefined ? { group: rename.get(n.group) ?? n.group } : {}),
    id: rename.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  const ids = [...rename.values()];
  const command: Command = {
    name: 'paste',
    label: nodes.length === 1 ? `Paste ${nodes[0].kind}` : `Paste ${nodes.length} nodes`,
    apply(current) {
      if (!nodes.length || current.nodes.some((n) => ids.includes(n.id))) return current;
      const used = edgeIds(current);
      const edges = fragment.edges.map((e) => {
        const source = rename.get(e.source)!;
        const target = rename.get(e.target)!;
        const id = newEdgeId(source, target, used);
        used.add(id);
        return { ...e, id, source, target };
      });
      return { ...current, nodes: [...current.nodes, ...nodes], edges: [...current.edges, ...edges] };
    },
  };
  return { command, ids };
}
