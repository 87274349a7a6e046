/**
 * Tolerant analysis for the designer: where `validateDocument` + `inferShapes` stop at the
 * first problem, this keeps going and reports every problem against the node (or edge) it
 * belongs to, with the shapes and costs of everything that does work. Same checks, same
 * messages (they come from validate.ts, infer.ts and each layer's inferShape).
 */
import { getLayer } from '../layers/index.js';
import type { Cost, Shape } from '../layers/types.js';
import { edgeShapes, inferShapesTolerant } from './infer.js';
import { estimateTrainingMemory, trainingOf, type MemoryEstimate } from './memory.js';
import type { LoomDocument } from './schema.js';
import {
  checkEdge,
  checkPorts,
  endpointsError,
  parseParams,
  topologicalOrder,
  unknownKindError,
  type Graph,
  type GraphNode,
  type InputRef,
} from './validate.js';

/** What the designer shows for one node. */
export interface NodeReport {
  /** Output shapes (one per output port) when inference reached and passed this node. */
  shapes?: Shape[];
  /** The problem with this node itself (params, ports, cycle, shape), as the engine words it. */
  error?: string;
  /** True when the node has no problem of its own but an upstream node has one. */
  blocked?: boolean;
  /** Params and FLOPs per sample, when the shapes are known. */
  cost?: Cost;
}

/** The whole analysis of a document. */
export interface DocumentAnalysis {
  nodes: Map<string, NodeReport>;
  /** Shape flowing along each edge, by index in `doc.edges`. */
  edgeShapes: Map<number, Shape>;
  /** Problems that belong to an edge (dangling, unknown port), by edge index. */
  edgeErrors: Map<number, string>;
  /** Problems of the graph as a whole (no Input, no Output). */
  problems: string[];
  /** Sum over the nodes whose cost is known. */
  total: Cost;
  /**
   * Training memory at the document's batch size and optimizer, over the nodes whose shapes
   * are known (absent where the analysis is not of one concrete graph, e.g. a search space).
   */
  memory?: MemoryEstimate;
  /** True when nothing is wrong anywhere: the document would validate and infer. */
  ok: boolean;
}

function setError(reports: Map<string, NodeReport>, id: string, message: string): void {
  const r = reports.get(id);
  if (r && !r.error) r.error = message;
}

/** Analyses a parsed document without throwing. */
export function analyzeDocument(doc: LoomDocument): DocumentAnalysis {
  const reports = new Map<string, NodeReport>(doc.nodes.map((n) => [n.id, {}]));
  const nodes = new Map<string, GraphNode>();
  const broken = new Set<string>();
  const seen = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (seen.has(n.id)) {
      // The first node with this id keeps it; the report map has one entry per id.
      setError(reports, n.id, `node "${n.id}": id used twice (nodes[${seen.get(n.id)}] and nodes[${i}])`);
      return;
    }
    seen.set(n.id, i);
    const def = getLayer(n.kind);
    if (!def) {
      setError(reports, n.id, unknownKindError(n, i).message);
      return;
    }
    let params = n.params;
    try {
      params = parseParams(n, i, def);
    } catch (e) {
      setError(reports, n.id, (e as Error).message);
      broken.add(n.id);
    }
    nodes.set(n.id, { id: n.id, kind: n.kind, def, params, position: n.position, label: n.label });
  });

  const problems: string[] = [];
  const missing = endpointsError([...nodes.values()].map((n) => n.kind));
  if (missing) problems.push(missing.message);

  const edgeErrors = new Map<number, string>();
  const incoming = new Map<string, InputRef[]>([...nodes.keys()].map((id) => [id, []]));
  doc.edges.forEach((e, i) => {
    // Edges touching a node of unknown kind say nothing new; that node already has the error.
    const unknown = [e.source, e.target].some((id) => seen.has(id) && !nodes.has(id));
    if (unknown) return;
    try {
      const ref = checkEdge(nodes, e, i);
      incoming.get(e.target)!.push(ref);
    } catch (err) {
      edgeErrors.set(i, (err as Error).message);
    }
  });

  for (const node of nodes.values()) {
    const { ordered, problem } = checkPorts(node, incoming.get(node.id)!);
    incoming.set(node.id, ordered);
    if (problem) {
      setError(reports, node.id, problem.message);
      broken.add(node.id);
    }
  }

  const { order, cycle, stuck } = topologicalOrder([...nodes.keys()], incoming);
  if (cycle) {
    for (const id of stuck) setError(reports, id, cycle.message);
  }

  // Nodes with a problem of their own are left out of the order, so inference marks what
  // depends on them as waiting instead of running them with bad params or missing inputs.
  const graph: Graph = { doc, nodes, inputsOf: incoming, order: order.filter((id) => !broken.has(id)) };
  const { shapes, errors } = inferShapesTolerant(graph);
  const flowing = edgeShapes(graph, shapes);
  const total: Cost = { params: 0, flops: 0 };
  for (const id of graph.order) {
    const report = reports.get(id)!;
    const refs = incoming.get(id)!;
    const failure = errors.get(id);
    if (failure !== undefined) {
      if (refs.some((r) => !shapes.has(r.source))) report.blocked = true;
      else report.error = failure;
      continue;
    }
    report.shapes = shapes.get(id);
    try {
      const node = nodes.get(id)!;
      report.cost = node.def.cost(
        node.params,
        refs.map((r) => flowing.get(r.edgeIndex)!),
      );
      total.params += report.cost.params;
      total.flops += report.cost.flops;
    } catch {
      // A cost that cannot be computed (unknown dimension) is simply not shown.
    }
  }
  const known = graph.order.flatMap((id) => {
    const r = reports.get(id)!;
    return r.shapes && r.cost ? [{ id, params: r.cost.params, shapes: r.shapes }] : [];
  });
  const memory = estimateTrainingMemory(known, trainingOf(doc));
  const ok = problems.length === 0 && edgeErrors.size === 0 && [...reports.values()].every((r) => !r.error && !r.blocked);
  return { nodes: reports, edgeShapes: flowing, edgeErrors, problems, total, memory, ok };
}

/** The message without its `node "<id>"` prefix, for display on that node. */
export function messageOnNode(id: string, message: string): string {
  const prefix = `node "${id}"`;
  if (!message.startsWith(prefix)) return message;
  return message.slice(prefix.length).replace(/^:\s*/, '').replace(/^\s+/, '');
}
