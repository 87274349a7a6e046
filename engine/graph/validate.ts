/**
 * Semantic checks on a parsed document: kinds exist, params fit each kind's schema, edges
 * connect existing ports, single-input ports take one edge, no cycles, at least one Input
 * and one Output. The result is a `Graph` with parsed params and a topological order.
 */
import { z } from 'zod';
import { getLayer, layers } from '../layers/index.js';
import type { LayerDef } from '../layers/types.js';
import { GraphError } from './errors.js';
import { describeIssue } from './issues.js';
import type { LoomDocument, LoomEdge, LoomNode } from './schema.js';

/** A validated node: its kind's definition and parsed params. */
export interface GraphNode {
  id: string;
  kind: string;
  def: LayerDef<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  params: Record<string, unknown>;
  position: { x: number; y: number };
  label?: string;
}

/** One incoming connection of a node. */
export interface InputRef {
  port: string;
  source: string;
  sourcePort: string;
  edgeIndex: number;
}

/** A validated graph ready for shape inference and compilation. */
export interface Graph {
  doc: LoomDocument;
  nodes: Map<string, GraphNode>;
  /** Incoming connections per node, in port order then document edge order. */
  inputsOf: Map<string, InputRef[]>;
  /** Node ids in a topological order (document order among independent nodes). */
  order: string[];
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    }
  }
  return d[a.length][b.length];
}

function suggestKind(kind: string): string {
  const best = Object.keys(layers)
    .map((k) => [k, distance(kind, k)] as const)
    .sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? `; did you mean "${best[0]}"?` : `; known kinds: ${Object.keys(layers).join(', ')}`;
}

/** Checks one node's params against its kind's schema, rejecting unknown keys too. Throws GraphError. */
export function parseParams(node: LoomNode, index: number, def: LayerDef<unknown>): Record<string, unknown> {
  const field = `nodes[${index}].params`;
  const shape = def.params instanceof z.ZodObject ? (def.params.shape as Record<string, unknown>) : undefined;
  if (shape) {
    for (const key of Object.keys(node.params)) {
      if (!(key in shape)) {
        const known = Object.keys(shape).join(', ') || '(none)';
        throw new GraphError('invalid-param', `node "${node.id}": unknown param "${key}" for ${node.kind}; its params: ${known}`, {
          node: node.id,
          field: `${field}.${key}`,
        });
      }
    }
  }
  const result = def.params.safeParse(node.params);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = ['params', ...issue.path];
    throw new GraphError('invalid-param', `node "${node.id}": ${describeIssue({ ...issue, path })}`, {
      node: node.id,
      field: `nodes[${index}].${path.join('.')}`,
    });
  }
  return result.data as Record<string, unknown>;
}

function edgeLabel(i: number, e: { source: string; target: string }): string {
  return `edge ${i} ("${e.source}" -> "${e.target}")`;
}

/** Finds one cycle among the nodes Kahn's algorithm could not order, as a readable path. */
function describeCycle(stuck: Set<string>, inputsOf: Map<string, InputRef[]>): string {
  const start = [...stuck][0];
  const path: string[] = [start];
  const seen = new Map<string, number>([[start, 0]]);
  let cur = start;
  for (;;) {
    const next = (inputsOf.get(cur) ?? []).map((r) => r.source).find((s) => stuck.has(s));
    if (next === undefined) break;
    if (seen.has(next)) {
      const cycle = path.slice(seen.get(next)).reverse();
      return [...cycle, cycle[0]].map((n) => `"${n}"`).join(' -> ');
    }
    seen.set(next, path.length);
    path.push(next);
    cur = next;
  }
  return [...stuck].map((n) => `"${n}"`).join(', ');
}

/** The error for a node whose kind is not registered. */
export function unknownKindError(node: LoomNode, index: number): GraphError {
  return new GraphError('unknown-kind', `node "${node.id}": unknown kind "${node.kind}"${suggestKind(node.kind)}`, {
    node: node.id,
    field: `nodes[${index}].kind`,
  });
}

/** The error when the graph lacks an Input or an Output node; null when both are present. */
export function endpointsError(kinds: Iterable<string>): GraphError | null {
  const have = new Set(kinds);
  // Checked before edges: a graph without them has dangling ports everywhere, and this
  // message is the one that tells the user what to do.
  if (!have.has('Input')) return new GraphError('no-input-node', 'the graph has no Input node; add one to declare the data shape');
  if (!have.has('Output')) {
    return new GraphError('no-output-node', 'the graph has no Output node; add one after the last layer to declare the loss');
  }
  return null;
}

/** Checks that edge `i` joins existing ports; returns the connection it makes. Throws GraphError. */
export function checkEdge(nodes: Map<string, GraphNode>, e: LoomEdge, i: number): InputRef {
  const where = { edge: e.id ?? String(i), field: `edges[${i}]` };
  const src = nodes.get(e.source);
  const dst = nodes.get(e.target);
  if (!src) throw new GraphError('dangling-edge', `${edgeLabel(i, e)}: source node "${e.source}" does not exist`, where);
  if (!dst) throw new GraphError('dangling-edge', `${edgeLabel(i, e)}: target node "${e.target}" does not exist`, where);
  if (!src.def.outputs.some((p) => p.name === e.sourcePort)) {
    const have = src.def.outputs.map((p) => p.name).join(', ') || '(none)';
    throw new GraphError('unknown-port', `${edgeLabel(i, e)}: node "${src.id}" (${src.kind}) has no output port "${e.sourcePort}"; its outputs: ${have}`, {
      ...where,
      node: src.id,
      port: e.sourcePort,
    });
  }
  if (!dst.def.inputs.some((p) => p.name === e.targetPort)) {
    const have = dst.def.inputs.map((p) => p.name).join(', ') || '(none)';
    throw new GraphError('unknown-port', `${edgeLabel(i, e)}: node "${dst.id}" (${dst.kind}) has no input port "${e.targetPort}"; its inputs: ${have}`, {
      ...where,
      node: dst.id,
      port: e.targetPort,
    });
  }
  return { port: e.targetPort, source: e.source, sourcePort: e.sourcePort, edgeIndex: i };
}

/**
 * Orders a node's incoming connections by port declaration, then edge order, and checks port
 * occupancy (a single-input port takes one edge) and missing inputs. `problem` is the first
 * violation, if any; `ordered` is complete either way.
 */
export function checkPorts(node: GraphNode, refs: InputRef[]): { ordered: InputRef[]; problem: GraphError | null } {
  const ordered: InputRef[] = [];
  let problem: GraphError | null = null;
  for (const port of node.def.inputs) {
    const on = refs.filter((r) => r.port === port.name);
    ordered.push(...on);
    if (problem) continue;
    if (!port.multi && on.length > 1) {
      const from = on.map((r) => `"${r.source}"`).join(' and ');
      problem = new GraphError(
        'port-occupied',
        `node "${node.id}" port "${port.name}": ${on.length} edges arrive (from ${from}) but it takes one; merge them with Add or Concatenate first`,
        { node: node.id, port: port.name, edge: String(on[1].edgeIndex) },
      );
      continue;
    }
    const min = port.multi ? (port.min ?? 1) : 1;
    if (on.length < min) {
      const want = port.multi ? `at least ${min} inputs` : 'an input';
      problem = new GraphError('missing-input', `node "${node.id}" (${node.kind}) port "${port.name}": needs ${want}, has ${on.length}`, {
        node: node.id,
        port: port.name,
      });
    }
  }
  return { ordered, problem };
}

/**
 * Kahn's algorithm in the given node order, so independent nodes keep a stable order.
 * Returns the ordered ids, and the cycle error when some nodes could not be ordered.
 */
export function topologicalOrder(ids: string[], inputsOf: Map<string, InputRef[]>): { order: string[]; cycle: GraphError | null; stuck: Set<string> } {
  const indegree = new Map(ids.map((id) => [id, inputsOf.get(id)?.length ?? 0]));
  const consumers = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, refs] of inputsOf) for (const r of refs) consumers.get(r.source)?.push(id);
  const order: string[] = [];
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const c of consumers.get(id)!) {
      indegree.set(c, indegree.get(c)! - 1);
      if (indegree.get(c) === 0) ready.push(c);
    }
  }
  if (order.length === ids.length) return { order, cycle: null, stuck: new Set() };
  const done = new Set(order);
  const stuck = new Set(ids.filter((id) => !done.has(id)));
  const first = [...stuck][0];
  const cycle = new GraphError('cycle', `cycle: ${describeCycle(stuck, inputsOf)}; a network must flow one way from Input to Output`, { node: first });
  return { order, cycle, stuck };
}

/** Validates a parsed document. Throws GraphError naming the node, port, edge or field. */
export function validateDocument(doc: LoomDocument): Graph {
  const nodes = new Map<string, GraphNode>();
  const firstIndex = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (firstIndex.has(n.id)) {
      throw new GraphError('duplicate-node', `node "${n.id}": id used twice (nodes[${firstIndex.get(n.id)}] and nodes[${i}])`, {
        node: n.id,
        field: `nodes[${i}].id`,
      });
    }
    firstIndex.set(n.id, i);
    const def = getLayer(n.kind);
    if (!def) throw unknownKindError(n, i);
    nodes.set(n.id, { id: n.id, kind: n.kind, def, params: parseParams(n, i, def), position: n.position, label: n.label });
  });

  const missing = endpointsError([...nodes.values()].map((n) => n.kind));
  if (missing) throw missing;
  const incoming = new Map<string, InputRef[]>([...nodes.keys()].map((id) => [id, []]));
  doc.edges.forEach((e, i) => {
    const ref = checkEdge(nodes, e, i);
    incoming.get(e.target)!.push(ref);
  });

  // Port occupancy and missing inputs; order inputs by port declaration, then edge order.
  for (const node of nodes.values()) {
    const { ordered, problem } = checkPorts(node, incoming.get(node.id)!);
    if (problem) throw problem;
    incoming.set(node.id, ordered);
  }

  const { order, cycle } = topologicalOrder([...nodes.keys()], incoming);
  if (cycle) throw cycle;
  return { doc, nodes, inputsOf: incoming, order };
}
