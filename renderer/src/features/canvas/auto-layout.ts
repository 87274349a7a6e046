/**
 * Auto-layout with elkjs's layered algorithm (top to bottom, like the examples). elkjs is
 * loaded on first use, so it costs nothing until the user asks for a layout.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { Positions } from '../../store/commands/move.js';

/** A node's size on screen. */
export type SizeOf = (id: string) => { width: number; height: number };

/** Default size for nodes React Flow has not measured yet. */
export const DEFAULT_NODE_SIZE = { width: 200, height: 80 };

const layoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/** The ELK input graph for a document. */
export function elkGraph(doc: LoomDocument, sizeOf: SizeOf): ElkNode {
  const ids = new Set(doc.nodes.map((n) => n.id));
  return {
    id: 'root',
    layoutOptions,
    children: [...ids].map((id) => ({ id, ...sizeOf(id) })),
    edges: doc.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e, i) => ({ id: e.id ?? `edge_${i}`, sources: [e.source], targets: [e.target] })),
  };
}

/** Node positions from ELK's result, moved so the layout starts where the graph started. */
export function positionsFromLayout(doc: LoomDocument, layout: ElkNode): Positions {
  const origin = {
    x: Math.min(...doc.nodes.map((n) => n.position.x)),
    y: Math.min(...doc.nodes.map((n) => n.position.y)),
  };
  const children = layout.children ?? [];
  const min = { x: Math.min(...children.map((c) => c.x ?? 0)), y: Math.min(...children.map((c) => c.y ?? 0)) };
  const out: Positions = {};
  for (const c of children) out[c.id] = { x: Math.round(origin.x + (c.x ?? 0) - min.x), y: Math.round(origin.y + (c.y ?? 0) - min.y) };
  return out;
}

/** Computes a layered layout of the document. */
export async function autoLayout(doc: LoomDocument, sizeOf: SizeOf): Promise<Positions> {
  if (!doc.nodes.length) return {};
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const layout = await new ELK().layout(elkGraph(doc, sizeOf));
  return positionsFromLayout(doc, layout);
}
