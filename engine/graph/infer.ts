/**
 * Shape inference over a validated graph: each node's output shapes from its inputs' shapes,
 * in topological order. `inferShapes` throws the first ShapeError (prefixed with the node
 * id); `inferShapesTolerant` records every failure and keeps going, as the designer needs.
 */
import { GraphError, ShapeError } from './errors.js';
import type { Shape } from '../layers/types.js';
import type { Graph, GraphNode } from './validate.js';

/** Output shapes per node id (one entry per output port, in port order). */
export type ShapeMap = Map<string, Shape[]>;

/** Result of tolerant inference: shapes where known, and an error per failing node. */
export interface InferenceReport {
  shapes: ShapeMap;
  /** Node id -> message. Nodes downstream of a failure are listed as blocked. */
  errors: Map<string, string>;
}

function inputShapes(graph: Graph, node: GraphNode, shapes: ShapeMap): Shape[] | undefined {
  const out: Shape[] = [];
  for (const ref of graph.inputsOf.get(node.id) ?? []) {
    const src = graph.nodes.get(ref.source)!;
    const s = shapes.get(ref.source);
    if (!s) return undefined;
    const idx = src.def.outputs.findIndex((p) => p.name === ref.sourcePort);
    out.push(s[idx]);
  }
  return out;
}

function runNode(node: GraphNode, inputs: Shape[]): Shape[] {
  try {
    return node.def.inferShape(node.params, inputs);
  } catch (e) {
    if (e instanceof GraphError) {
      throw new ShapeError(`node "${node.id}": ${e.message}`, { ...e.where, node: node.id });
    }
    throw new ShapeError(`node "${node.id}": ${(e as Error).message}`, { node: node.id });
  }
}

/** Infers every node's output shapes; throws ShapeError at the first node that fails. */
export function inferShapes(graph: Graph): ShapeMap {
  const shapes: ShapeMap = new Map();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    shapes.set(id, runNode(node, inputShapes(graph, node, shapes)!));
  }
  return shapes;
}

/** Infers as far as possible, collecting an error for each node that fails or is blocked. */
export function inferShapesTolerant(graph: Graph): InferenceReport {
  const shapes: ShapeMap = new Map();
  const errors = new Map<string, string>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    const inputs = inputShapes(graph, node, shapes);
    if (!inputs) {
      errors.set(id, `node "${id}": waiting for an upstream node that has an error`);
      continue;
    }
    try {
      shapes.set(id, runNode(node, inputs));
    } catch (e) {
      errors.set(id, (e as Error).message);
    }
  }
  return { shapes, errors };
}

/** The shape flowing along each edge (by edge index), for edge labels. */
export function edgeShapes(graph: Graph, shapes: ShapeMap): Map<number, Shape> {
  const out = new Map<number, Shape>();
  for (const refs of graph.inputsOf.values()) {
    for (const ref of refs) {
      const src = graph.nodes.get(ref.source)!;
      const s = shapes.get(ref.source);
      if (s) out.set(ref.edgeIndex, s[src.def.outputs.findIndex((p) => p.name === ref.sourcePort)]);
    }
  }
  return out;
}

/** Total parameters and FLOPs per sample over all nodes. */
export function graphCost(graph: Graph, shapes: ShapeMap): { params: number; flops: number; perNode: Map<string, { params: number; flops: number }> } {
  let params = 0;
  let flops = 0;
  const perNode = new Map<string, { params: number; flops: number }>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    const ins = inputShapes(graph, node, shapes);
    if (!ins) continue;
    const c = node.def.cost(node.params, ins);
    perNode.set(id, c);
    params += c.params;
    flops += c.flops;
  }
  return { params, flops, perNode };
}
