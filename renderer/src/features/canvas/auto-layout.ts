/**
 * Auto-layout with elkjs's layered algorithm (top to bottom, like the examples). elkjs is
 * loaded on first use, so it costs nothing until the user asks for a layout.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { Positions } from '../../store/commands/move.js';
import { isFrameKind } from '../../store/containers.js';

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

/** Room inside a Choice / Repeat frame: its header on top (see frames.ts). */
const frameOptions = { 'elk.padding': '[top=56,left=18,bottom=18,right=18]' };

/**
 * The ELK input graph for a document. Choice and Repeat frames become compound nodes holding
 * their members (laid out inside them, hierarchy included), so frames do not overlap.
 */
export function elkGraph(doc: LoomDocument, sizeOf: SizeOf): ElkNode {
  const ids = new Set(doc.nodes.map((n) => n.id));
  const frames = new Set(doc.nodes.filter((n) => isFrameKind(n.kind)).map((n) => n.id));
  const parent = new Map<string, string>();
  for (const n of doc.nodes) if (n.group !== undefined && frames.has(n.group) && n.id !== n.group) parent.set(n.id, n.group);
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  const elkEdges = (owner: string | undefined) =>
    edges
      .filter((e) => parent.get(e.source) === owner && parent.get(e.target) === owner)
      .map((e) => ({ id: e.id ?? `edge_${doc.edges.indexOf(e)}`, sources: [e.source], targets: [e.target] }));
  const node = (id: string): ElkNode =>
    frames.has(id)
      ? { id, layoutOptions: frameOptions, children: [...ids].filter((m) => parent.get(m) === id).map(node), edges: elkEdges(id) }
      : { id, ...sizeOf(id) };
  return {
    id: 'root',
    layoutOptions: frames.size ? { ...layoutOptions, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' } : layoutOptions,
    children: [...ids].filter((id) => !parent.has(id)).map(node),
    edges: elkEdges(undefined),
  };
}

/** Node positions from ELK's result (frames' members too), moved so the layout starts where the graph started. */
export function positionsFromLayout(doc: LoomDocument, layout: ElkNode): Positions {
  const origin = {
    x: Math.min(...doc.nodes.map((n) => n.position.x)),
    y: Math.min(...doc.nodes.map((n) => n.position.y)),
  };
  const children = layout.children ?? [];
  const min = { x: Math.min(...children.map((c) => c.x ?? 0)), y: Math.min(...children.map((c) => c.y ?? 0)) };
  const out: Positions = {};
  const place = (nodes: ElkNode[], dx: number, dy: number) => {
    for (const c of nodes) {
      const x = dx + (c.x ?? 0);
      const y = dy + (c.y ?? 0);
      out[c.id] = { x: Math.round(x), y: Math.round(y) };
      if (c.children?.length) place(c.children, x, y);
    }
  };
  place(children, origin.x - min.x, origin.y - min.y);
  return out;
}

/** Computes a layered layout of the document. */
export async function autoLayout(doc: LoomDocument, sizeOf: SizeOf): Promise<Positions> {
  if (!doc.nodes.length) return {};
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const layout = await new ELK().layout(elkGraph(doc, sizeOf));
  return positionsFromLayout(doc, layout);
}
