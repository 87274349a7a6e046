/**
 * Document + analysis + view state -> the node and edge objects React Flow renders. Pure
 * apart from the caches, which hand back the previous object whenever nothing it shows
 * changed: during a drag only the dragged node gets a new object, so React Flow and the
 * memoized node components skip the other 999.
 */
import type { Edge, Node } from '@xyflow/react';
import { messageOnNode, type DocumentAnalysis, type NodeReport } from '../../../../engine/graph/analyze.js';
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import { getLayer } from '../../../../engine/layers/index.js';
import type { PortSpec } from '../../../../engine/layers/types.js';
import { keyParams, shapeText } from './node-summary.js';

/** What a layer node shows. Flat values only, so two can be compared field by field. */
export interface LayerNodeData extends Record<string, unknown> {
  kind: string;
  category: string;
  /** The label, or the id when there is none. */
  title: string;
  summary: string;
  /** Output shape (for Output: the shape it receives). */
  shape: string | null;
  error: string | null;
  /** An upstream node has an error, so this one has no shape. */
  blocked: boolean;
  /** Heat overlay in [0, 1], null when none. */
  heat: number | null;
  highlighted: boolean;
  readOnly: boolean;
  params: number | null;
  flops: number | null;
  inputs: PortSpec[];
  outputs: PortSpec[];
}

/** What an edge shows. */
export interface ShapeEdgeData extends Record<string, unknown> {
  shape: string | null;
  error: string | null;
  heat: number | null;
  highlighted: boolean;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

type XY = { x: number; y: number };

/** Everything the nodes are derived from. */
export interface NodeInputs {
  doc: LoomDocument;
  analysis: DocumentAnalysis;
  selected: ReadonlySet<string>;
  /** Positions of nodes being dragged (not yet in the document). */
  drag: ReadonlyMap<string, XY>;
  /** Sizes React Flow measured. */
  measured: ReadonlyMap<string, { width: number; height: number }>;
  heat: Readonly<Record<string, number>>;
  highlight: ReadonlySet<string>;
  readOnly: boolean;
}

/** Everything the edges are derived from. */
export interface EdgeInputs {
  doc: LoomDocument;
  analysis: DocumentAnalysis;
  selected: ReadonlySet<string>;
  heat: Readonly<Record<string, number>>;
  highlight: ReadonlySet<string>;
}

const noPorts: PortSpec[] = [];

function sameFlat(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  return true;
}

function heatOf(heat: Readonly<Record<string, number>>, id: string): number | null {
  const h = heat[id];
  return typeof h === 'number' && Number.isFinite(h) ? Math.min(1, Math.max(0, h)) : null;
}

function nodeData(n: LoomNode, report: NodeReport | undefined, inp: NodeInputs): LayerNodeData {
  const def = getLayer(n.kind);
  return {
    kind: n.kind,
    category: def?.category ?? 'unknown',
    title: n.label || n.id,
    summary: keyParams(n.kind, n.params),
    shape: shapeText(report?.shapes?.[0]),
    error: report?.error ? messageOnNode(n.id, report.error) : null,
    blocked: report?.blocked ?? false,
    heat: heatOf(inp.heat, n.id),
    highlighted: inp.highlight.has(n.id),
    readOnly: inp.readOnly,
    params: report?.cost?.params ?? null,
    flops: report?.cost?.flops ?? null,
    inputs: def?.inputs ?? noPorts,
    outputs: def?.outputs ?? noPorts,
  };
}

/** What a node's data was computed from; when all are the same, so is the data. */
interface DataSource {
  node: LoomNode;
  report: NodeReport | undefined;
  heat: number | null;
  highlighted: boolean;
  readOnly: boolean;
}

/** Builds React Flow nodes, reusing unchanged objects from the previous call. */
export class NodeCache {
  private prev = new Map<string, LayerFlowNode>();
  private sources = new WeakMap<LayerNodeData, DataSource>();

  private dataFor(n: LoomNode, old: LayerFlowNode | undefined, inp: NodeInputs): LayerNodeData {
    const src: DataSource = {
      node: n,
      report: inp.analysis.nodes.get(n.id),
      heat: heatOf(inp.heat, n.id),
      highlighted: inp.highlight.has(n.id),
      readOnly: inp.readOnly,
    };
    // Position-only changes (a drag, a move) keep params and report: skip rebuilding the data.
    const was = old && this.sources.get(old.data);
    if (old && was && was.report === src.report && was.heat === src.heat && was.highlighted === src.highlighted && was.readOnly === src.readOnly) {
      if (was.node === n || (was.node.params === n.params && was.node.kind === n.kind && was.node.label === n.label)) return old.data;
    }
    let data = nodeData(n, src.report, inp);
    if (old && sameFlat(data, old.data)) data = old.data;
    this.sources.set(data, src);
    return data;
  }

  nodes(inp: NodeInputs): LayerFlowNode[] {
    const next = new Map<string, LayerFlowNode>();
    const out: LayerFlowNode[] = [];
    for (const n of inp.doc.nodes) {
      if (next.has(n.id)) continue; // a duplicate id (hand-edited file): the analysis names it
      const old = this.prev.get(n.id);
      const data = this.dataFor(n, old, inp);
      const dragPos = inp.drag.get(n.id);
      const pos = dragPos ?? n.position;
      const position = old && old.position.x === pos.x && old.position.y === pos.y ? old.position : pos;
      const selected = inp.selected.has(n.id);
      const dragging = dragPos !== undefined;
      const measured = inp.measured.get(n.id);
      const node: LayerFlowNode =
        old && old.data === data && old.position === position && old.selected === selected && old.dragging === dragging && old.measured === measured
          ? old
          : { id: n.id, type: 'layer', position, data, selected, dragging, measured, draggable: !inp.readOnly, connectable: !inp.readOnly };
      next.set(n.id, node);
      out.push(node);
    }
    this.prev = next;
    return out;
  }
}

/** Builds React Flow edges, reusing unchanged objects from the previous call. */
export class EdgeCache {
  private prev = new Map<string, ShapeFlowEdge>();

  edges(inp: EdgeInputs): ShapeFlowEdge[] {
    const next = new Map<string, ShapeFlowEdge>();
    const out: ShapeFlowEdge[] = [];
    inp.doc.edges.forEach((e, i) => {
      const id = e.id ?? `edge_${i}`;
      if (next.has(id)) return;
      const old = this.prev.get(id);
      let data: ShapeEdgeData = {
        shape: shapeText(inp.analysis.edgeShapes.get(i)),
        error: inp.analysis.edgeErrors.get(i) ?? null,
        heat: heatOf(inp.heat, id),
        highlighted: inp.highlight.has(id),
      };
      if (old?.data && sameFlat(data, old.data)) data = old.data;
      const selected = inp.selected.has(id);
      const same =
        old &&
        old.data === data &&
        old.selected === selected &&
        old.source === e.source &&
        old.target === e.target &&
        old.sourceHandle === e.sourcePort &&
        old.targetHandle === e.targetPort;
      const edge: ShapeFlowEdge = same
        ? old
        : { id, type: 'shape', source: e.source, target: e.target, sourceHandle: e.sourcePort, targetHandle: e.targetPort, data, selected };
      next.set(id, edge);
      out.push(edge);
    });
    this.prev = next;
    return out;
  }
}
