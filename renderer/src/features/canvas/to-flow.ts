/**
 * Document + analysis + view state -> the node and edge objects React Flow renders. Pure
 * apart from the caches, which hand back the previous object whenever nothing it shows
 * changed: during a drag only the dragged node gets a new object, so React Flow and the
 * memoized node components skip the other 999.
 */
import type { Edge, Node } from '@xyflow/react';
import { messageOnNode, type NodeReport } from '../../../../engine/graph/analyze.js';
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import { getLayer } from '../../../../engine/layers/index.js';
import type { PortSpec } from '../../../../engine/layers/types.js';
import { NB201_EDGES } from '../../../../nas/space/nb201.js';
import type { CanvasAnalysis } from '../../store/analysis.js';
import { isContainerKind, isFrameKind, portsOf } from '../../store/containers.js';
import { badgeText } from '../../store/search-spec.js';
import { noCheckMarks, type CheckMarks } from '../../store/view-store.js';
import { DEFAULT_NODE_SIZE } from './auto-layout.js';
import { centre, computeFrames, dropTarget, type Frame, type Lane } from './frames.js';
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
  /** Badges of searchable params, e.g. `filters ∈ {16,32,64}`. */
  badges: readonly string[];
  /** What the space summary's shape check blames on this node, e.g. `head.kernelSize=9`. */
  failing: string | null;
  /** In a drawn space: the shape is that of the candidate shown ("e.g."). */
  example: boolean;
  /** In a drawn space: the candidate shown leaves this node out. */
  absent: boolean;
  /** A Choice / Repeat frame's geometry and header. */
  frame: FrameView | null;
  /** A Cell: whether its DAG is open and the op each edge has in the candidate shown. */
  cell: CellView | null;
}

/** What a Choice or Repeat frame draws. */
export interface FrameView {
  width: number;
  height: number;
  /** Choice lanes (the last adds an alternative). */
  lanes: readonly Lane[];
  /** Repeat: `×1..3`. */
  range: string;
  /** The count or alternative in the candidate shown, e.g. `e.g. ×1`. */
  shown: string;
  /** A member being dragged would land here. */
  dropTarget: boolean;
  /** Nothing inside yet. */
  empty: boolean;
}

/** What a Cell node draws. */
export interface CellView {
  open: boolean;
  /** The op of each NB201 edge (NB201_EDGES order) in the candidate shown. */
  ops: readonly string[];
}

/** What an edge shows. */
export interface ShapeEdgeData extends Record<string, unknown> {
  shape: string | null;
  error: string | null;
  heat: number | null;
  highlighted: boolean;
  /** A drawn space's optional edge (dashed). */
  optional: boolean;
  /** The shape is that of the candidate shown ("e.g."). */
  example: boolean;
  /** The candidate shown switches this optional edge off. */
  off: boolean;
  /** What the shape check blames on this edge. */
  failing: string | null;
  /** The edge can be edited (its optional toggle shows). */
  editable: boolean;
}

/** Node component types: layers, Choice / Repeat frames, Cells. */
export type FlowNodeType = 'layer' | 'container' | 'cell';
export type LayerFlowNode = Node<LayerNodeData, FlowNodeType>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

type XY = { x: number; y: number };

/** Everything the nodes are derived from. */
export interface NodeInputs {
  doc: LoomDocument;
  analysis: CanvasAnalysis;
  selected: ReadonlySet<string>;
  /** Positions of nodes being dragged (not yet in the document). */
  drag: ReadonlyMap<string, XY>;
  /** Sizes React Flow measured. */
  measured: ReadonlyMap<string, { width: number; height: number }>;
  heat: Readonly<Record<string, number>>;
  highlight: ReadonlySet<string>;
  readOnly: boolean;
  checkMarks?: CheckMarks;
  openCells?: ReadonlySet<string>;
}

/** Everything the edges are derived from. */
export interface EdgeInputs {
  doc: LoomDocument;
  analysis: CanvasAnalysis;
  selected: ReadonlySet<string>;
  heat: Readonly<Record<string, number>>;
  highlight: ReadonlySet<string>;
  checkMarks?: CheckMarks;
  readOnly?: boolean;
}

const interned = new Map<string, unknown>();

/** One object per distinct value, so data holding it compares by identity. */
function intern<T>(value: T): T {
  const key = JSON.stringify(value);
  const hit = interned.get(key);
  if (hit !== undefined) return hit as T;
  if (interned.size > 5000) interned.clear();
  interned.set(key, value);
  return value;
}

const noBadges: readonly string[] = [];
const noSet: ReadonlySet<string> = new Set();

function badgesOf(n: LoomNode): readonly string[] {
  const list: string[] = [];
  for (const [k, v] of Object.entries(n.params)) {
    const b = badgeText(k, v);
    if (b) list.push(b);
  }
  return list.length ? intern(list) : noBadges;
}

/** The node component type of a kind. */
function nodeType(kind: string): FlowNodeType {
  return isFrameKind(kind) ? 'container' : kind === 'Cell' ? 'cell' : 'layer';
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

function nodeData(n: LoomNode, src: DataSource, inp: NodeInputs): LayerNodeData {
  const def = getLayer(n.kind);
  const { report } = src;
  const ports = def ?? portsOf(n.kind);
  return {
    kind: n.kind,
    category: def?.category ?? (isContainerKind(n.kind) ? 'search' : 'unknown'),
    title: n.label || n.id,
    summary: keyParams(n.kind, n.params),
    shape: shapeText(report?.shapes?.[0]),
    error: report?.error ? messageOnNode(n.id, report.error) : null,
    blocked: report?.blocked ?? false,
    heat: src.heat,
    highlighted: src.highlighted,
    readOnly: src.readOnly,
    params: report?.cost?.params ?? null,
    flops: report?.cost?.flops ?? null,
    inputs: ports.inputs ?? noPorts,
    outputs: ports.outputs ?? noPorts,
    badges: badgesOf(n),
    failing: src.failing,
    example: inp.analysis.space !== null,
    absent: inp.analysis.space?.absent.has(n.id) ?? false,
    frame: src.frame,
    cell: src.cell,
  };
}

/** What a node's data was computed from; when all are the same, so is the data. */
interface DataSource {
  node: LoomNode;
  report: NodeReport | undefined;
  heat: number | null;
  highlighted: boolean;
  readOnly: boolean;
  failing: string | null;
  frame: FrameView | null;
  cell: CellView | null;
}

function sameSource(a: DataSource, b: DataSource): boolean {
  return (
    a.report === b.report &&
    a.heat === b.heat &&
    a.highlighted === b.highlighted &&
    a.readOnly === b.readOnly &&
    a.failing === b.failing &&
    a.frame === b.frame &&
    a.cell === b.cell
  );
}

/** A Cell's view: open or not, and its edges' ops in the candidate shown. */
function cellView(id: string, inp: NodeInputs): CellView {
  const ref = inp.analysis.space?.reference ?? {};
  return intern({ open: (inp.openCells ?? noSet).has(id), ops: NB201_EDGES.map((e) => String(ref[`${id}.${e}`] ?? '')) });
}

/** Builds React Flow nodes, reusing unchanged objects from the previous call. */
export class NodeCache {
  private prev = new Map<string, LayerFlowNode>();
  /** The frames of the last call (members being dragged left out): what a drop lands in. */
  frames: ReadonlyMap<string, Frame> = new Map();
  private sources = new WeakMap<LayerNodeData, DataSource>();

  private dataFor(n: LoomNode, old: LayerFlowNode | undefined, inp: NodeInputs, frame: FrameView | null): LayerNodeData {
    const src: DataSource = {
      node: n,
      report: inp.analysis.nodes.get(n.id),
      heat: heatOf(inp.heat, n.id),
      highlighted: inp.highlight.has(n.id),
      readOnly: inp.readOnly,
      failing: (inp.checkMarks ?? noCheckMarks).nodes[n.id] ?? null,
      frame,
      cell: n.kind === 'Cell' ? cellView(n.id, inp) : null,
    };
    // Position-only changes (a drag, a move) keep params and report: skip rebuilding the data.
    const was = old && this.sources.get(old.data);
    if (old && was && sameSource(was, src)) {
      if (was.node === n || (was.node.params === n.params && was.node.kind === n.kind && was.node.label === n.label)) return old.data;
    }
    let data = nodeData(n, src, inp);
    if (old && sameFlat(data, old.data)) data = old.data;
    this.sources.set(data, src);
    return data;
  }

  /**
   * Frames of Choice / Repeat nodes from the shown positions and sizes. Members being dragged
   * are left out, so a drag out of a frame shows the node leaving it; the frame a dragged
   * node would join is marked.
   */
  private frameViews(inp: NodeInputs) {
    const byId = new Map(inp.doc.nodes.map((n) => [n.id, n]));
    const pos = (id: string) => inp.drag.get(id) ?? byId.get(id)!.position;
    const size = (id: string) => inp.measured.get(id) ?? DEFAULT_NODE_SIZE;
    const dragged = new Set([...inp.drag.keys()].filter((id) => byId.get(id)?.group !== undefined));
    const frames = computeFrames(inp.doc, pos, size, dragged);
    this.frames = frames;
    const targets = new Set<string>();
    for (const id of inp.drag.keys()) {
      const n = byId.get(id);
      if (!n) continue;
      const hit = dropTarget(frames, centre(pos(id), size(id)), n.kind);
      if (hit) targets.add(hit.group);
    }
    const ref = inp.analysis.space?.reference ?? {};
    const views = new Map<string, { x: number; y: number; view: FrameView }>();
    for (const f of frames.values()) {
      const node = byId.get(f.id)!;
      const count = ref[f.id];
      const range = f.kind === 'Repeat' ? `×${String(node.params.min ?? '?')}..${String(node.params.max ?? '?')}` : '';
      const shown = count === undefined ? '' : f.kind === 'Repeat' ? `e.g. ×${String(count)}` : `e.g. alternative ${String(count)}`;
      const view = intern({ width: f.width, height: f.height, lanes: f.lanes, range, shown, dropTarget: targets.has(f.id), empty: f.empty });
      views.set(f.id, { x: f.x, y: f.y, view });
    }
    return views;
  }

  nodes(inp: NodeInputs): LayerFlowNode[] {
    const next = new Map<string, LayerFlowNode>();
    const frames = inp.doc.nodes.some((n) => isFrameKind(n.kind)) ? this.frameViews(inp) : null;
    if (!frames) this.frames = new Map();
    // React Flow wants a parent before its children: frames first.
    const ordered = frames ? [...inp.doc.nodes.filter((n) => frames.has(n.id)), ...inp.doc.nodes.filter((n) => !frames.has(n.id))] : inp.doc.nodes;
    const out: LayerFlowNode[] = [];
    for (const n of ordered) {
      if (next.has(n.id)) continue; // a duplicate id (hand-edited file): the analysis names it
      const old = this.prev.get(n.id);
      const frame = frames?.get(n.id);
      const data = this.dataFor(n, old, inp, frame?.view ?? null);
      const parent = n.group !== undefined ? frames?.get(n.group) : undefined;
      const dragPos = inp.drag.get(n.id);
      // Frames sit where their members put them (or where one is being dragged); members are
      // placed relative to their frame, so they move with it.
      const abs = dragPos ?? frame ?? n.position;
      const pos = parent ? { x: abs.x - parent.x, y: abs.y - parent.y } : { x: abs.x, y: abs.y };
      const position = old && old.position.x === pos.x && old.position.y === pos.y ? old.position : pos;
      const selected = inp.selected.has(n.id);
      const dragging = dragPos !== undefined;
      const measured = inp.measured.get(n.id);
      const parentId = parent ? n.group : undefined;
      const type = nodeType(n.kind);
      const node: LayerFlowNode =
        old &&
        old.data === data &&
        old.position === position &&
        old.selected === selected &&
        old.dragging === dragging &&
        old.measured === measured &&
        old.parentId === parentId &&
        old.type === type
          ? old
          : {
              id: n.id,
              type,
              position,
              data,
              selected,
              dragging,
              measured,
              draggable: !inp.readOnly,
              connectable: !inp.readOnly,
              ...(parentId ? { parentId } : {}),
              ...(frame ? { width: frame.view.width, height: frame.view.height } : {}),
            };
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
      const space = inp.analysis.space;
      let data: ShapeEdgeData = {
        shape: shapeText(inp.analysis.edgeShapes.get(i)),
        error: inp.analysis.edgeErrors.get(i) ?? null,
        heat: heatOf(inp.heat, id),
        highlighted: inp.highlight.has(id),
        optional: e.optional === true,
        example: space !== null,
        off: space?.offEdges.has(i) ?? false,
        failing: (inp.checkMarks ?? noCheckMarks).edges[id] ?? null,
        editable: !inp.readOnly && e.id !== undefined,
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
