/**
 * Expanding a drawn `Cell` node into concrete layers: a NAS-Bench-201 cell (Dong & Yang,
 * ICLR 2020) on 4 nodes, node 0 being whatever feeds the Cell and node 3 its output.
 *
 * Ops per edge i->j (the NB201 op names, so a sample's 6 decisions form a cell string):
 * - `none`: the edge is dropped;
 * - `skip_connect`: identity (no layer);
 * - `nor_conv_1x1` / `nor_conv_3x3`: ReLU -> Conv2D(channels, k, same, no bias) -> BatchNorm,
 *   as NB201's ReLUConvBN;
 * - `avg_pool_3x3`: AvgPool2D(3, stride 1, same).
 * Node j sums its incoming edges: an Add when two or more arrive, the single input itself when
 * one does. A node with none is absent (in NB201 it outputs zeros, which add nothing), so edges
 * leaving it are dropped too, and nodes that cannot reach node 3 produce no layers. When node 3
 * ends up absent (every path crosses a `none`, e.g. the all-`none` cell) the candidate is
 * invalid: expansion throws a GraphError naming the Cell, and the shape check reports it.
 *
 * Without `channels`, convs keep the channel count of the Cell's input, found by shape
 * inference over the Cell's (already concrete) ancestors.
 */
import { GraphError } from '../../engine/graph/errors.js';
import type { LoomEdge, LoomNode } from '../../engine/graph/schema.js';
import { getLayer, type Shape } from '../../engine/layers/index.js';
import { NB201_EDGES, nb201 } from './nb201.js';
import type { Sample } from './types.js';

/** A tensor reference: a node's output port. */
interface Ref {
  source: string;
  sourcePort: string;
}

/** The working graph materialization edits in place. */
export interface WorkGraph {
  nodes: LoomNode[];
  edges: LoomEdge[];
}

/** Incoming edges of `id` in port-declaration order, then edge order (as validate.ts orders them). */
function inputsOf(g: WorkGraph, node: LoomNode): LoomEdge[] {
  const ports = getLayer(node.kind)?.inputs.map((p) => p.name) ?? [];
  const mine = g.edges.filter((e) => e.target === node.id);
  return ports.flatMap((p) => mine.filter((e) => e.targetPort === p));
}

/** Output shape of `ref`, inferred over its ancestors only; throws naming the node that fails. */
export function shapeOf(g: WorkGraph, ref: Ref, memo = new Map<string, Shape[]>()): Shape {
  const visit = (id: string): Shape[] => {
    const hit = memo.get(id);
    if (hit) return hit;
    const node = g.nodes.find((n) => n.id === id);
    const def = node && getLayer(node.kind);
    if (!node || !def) throw new GraphError('shape', `node "${id}": cannot infer its shape (missing or not a layer)`, { node: id });
    memo.set(id, []); // breaks cycles: a cyclic ancestor shows up as a missing input
    const ins = inputsOf(g, node).map((e) => {
      const src = g.nodes.find((n) => n.id === e.source);
      const idx = src ? (getLayer(src.kind)?.outputs.findIndex((p) => p.name === e.sourcePort) ?? 0) : 0;
      return visit(e.source)[Math.max(idx, 0)];
    });
    try {
      const out = def.inferShape(def.params.parse(node.params), ins);
      memo.set(id, out);
      return out;
    } catch (e) {
      throw new GraphError('shape', `node "${id}": ${(e as Error).message}`, { node: id });
    }
  };
  const node = g.nodes.find((n) => n.id === ref.source);
  const idx = node ? (getLayer(node.kind)?.outputs.findIndex((p) => p.name === ref.sourcePort) ?? 0) : 0;
  return visit(ref.source)[Math.max(idx, 0)];
}

/** One layer of an NB201 op on a cell edge: its id suffix, kind and params. */
export interface CellOpLayer {
  part: string;
  kind: string;
  params: Record<string, unknown>;
}

/**
 * The layers NB201 op `op` puts on an edge, in order: `[]` for `skip_connect` (identity),
 * null for `none` (the edge is dropped). Convs are ReLU -> Conv2D(width, k, same, no bias)
 * -> BatchNorm, as NB201's ReLUConvBN (its PyTorch BatchNorm momentum 0.1 is 0.9 here: the
 * weight of the old moving average). Shared by materialization and the supernet, so both
 * build the same layers under the same ids.
 */
export function cellOpLayers(op: string, width: number): CellOpLayer[] | null {
  switch (op) {
    case 'none':
      return null;
    case 'skip_connect':
      return [];
    case 'avg_pool_3x3':
      return [{ part: 'pool', kind: 'AvgPool2D', params: { poolSize: 3, strides: 1, padding: 'same' } }];
    case 'nor_conv_1x1':
    case 'nor_conv_3x3':
      return [
        { part: 'relu', kind: 'Activation', params: { fn: 'relu' } },
        { part: 'conv', kind: 'Conv2D', params: { filters: width, kernelSize: op === 'nor_conv_1x1' ? 1 : 3, padding: 'same', useBias: false } },
        { part: 'bn', kind: 'BatchNorm', params: { momentum: 0.9 } },
      ];
    default:
      throw new Error(`unknown NB201 op "${op}"`);
  }
}

/** Id of layer `part` of edge i->j of the cell instance `cell` (e.g. `cell_r2_13_conv`). */
export function cellLayerId(cell: string, i: number, j: number, part: string): string {
  return `${cell}_${i}${j}_${part}`;
}

/** Id of the Add summing node j's incoming edges in cell instance `cell`. */
export function cellSumId(cell: string, j: number): string {
  return `${cell}_n${j}`;
}

/** Text of the error for a cell whose output no path reaches (see {@link isEmptyCellMessage}). */
const EMPTY_CELL = 'has no path from its input to its output';

/** True for the shape-check failure of a cell whose every path crosses "none". */
export function isEmptyCellMessage(message: string): boolean {
  return message.includes(EMPTY_CELL);
}

/** The NB201 cell string of one Cell's decisions in `s` (decision names `<origin>.i->j`). */
export function cellString(s: Sample, origin: string): string {
  return nb201.key(Object.fromEntries(NB201_EDGES.map((e) => [e, s[`${origin}.${e}`]])));
}

/** Replaces Cell node `id` (whose decisions live under `origin`) with its layers, in place. */
export function expandCell(g: WorkGraph, id: string, origin: string, s: Sample, channels: number | undefined): void {
  const cell = g.nodes.find((n) => n.id === id)!;
  const ins = g.edges.filter((e) => e.target === id);
  if (ins.length !== 1) {
    throw new GraphError('missing-input', `node "${id}" (Cell): takes exactly one input edge, has ${ins.length}`, { node: id });
  }
  const op = (i: number, j: number): string => String(s[`${origin}.${i}->${j}`]);
  const input: Ref = { source: ins[0].source, sourcePort: ins[0].sourcePort };
  // Only nodes that can still reach node 3 produce layers (dead branches would add cost only).
  const live = [false, false, false, true];
  for (let j = 2; j >= 0; j--) live[j] = [1, 2, 3].some((k) => k > j && live[k] && op(j, k) !== 'none');
  const width = channels ?? (shapeOf(g, input).at(-1) as number | null);
  if (typeof width !== 'number') {
    throw new GraphError('shape', `node "${id}" (Cell): cannot tell its channel count; set params.channels`, { node: id, field: 'params.channels' });
  }

  const added: LoomNode[] = [];
  const edges: LoomEdge[] = [];
  const at = (dy: number): { x: number; y: number } => ({ x: cell.position.x, y: cell.position.y + dy });
  const layer = (nid: string, kind: string, params: Record<string, unknown>, from: Ref, dy: number): Ref => {
    added.push({ id: nid, kind, params, position: at(dy) });
    edges.push({ source: from.source, sourcePort: from.sourcePort, target: nid, targetPort: 'in' });
    return { source: nid, sourcePort: 'out' };
  };
  const out: (Ref | undefined)[] = [input, undefined, undefined, undefined];
  for (let j = 1; j <= 3; j++) {
    if (!live[j]) continue;
    const terms: Ref[] = [];
    for (let i = 0; i < j; i++) {
      const from = out[i];
      const o = op(i, j);
      if (!from || o === 'none') continue;
      let ref = from;
      (cellOpLayers(o, width) ?? []).forEach((l, k) => (ref = layer(cellLayerId(id, i, j, l.part), l.kind, l.params, ref, 10 * j + 3 * k)));
      terms.push(ref);
    }
    if (terms.length === 1) out[j] = terms[0];
    else if (terms.length > 1) {
      const sum = cellSumId(id, j);
      added.push({ id: sum, kind: 'Add', params: {}, position: at(10 * j + 8) });
      for (const t of terms) edges.push({ ...t, target: sum, targetPort: 'in' });
      out[j] = { source: sum, sourcePort: 'out' };
    }
  }
  const result = out[3];
  if (!result) {
    throw new GraphError('shape', `node "${id}" (Cell): cell ${cellString(s, origin)} ${EMPTY_CELL} (every path crosses "none")`, {
      node: id,
    });
  }
  // Splice: drop the Cell and its input edge, rewire its consumers to node 3.
  g.nodes.splice(g.nodes.indexOf(cell), 1, ...added);
  g.edges = g.edges.filter((e) => e !== ins[0]).map((e) => (e.source === id ? { ...e, source: result.source, sourcePort: result.sourcePort } : e));
  g.edges.push(...edges);
}
