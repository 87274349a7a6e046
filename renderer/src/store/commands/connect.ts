/**
 * Connecting two ports, and the rules the canvas checks while a connection is being dragged:
 * no self-loops, no cycles, no second edge into a single-input port, no duplicate edge, and
 * no edge across a container frame's border (drawn spaces reach a frame's nodes through it).
 */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { portsOf, slotOf } from '../containers.js';
import type { Command } from '../document-store.js';
import { edgeIds, newEdgeId } from './ids.js';

/** A proposed connection (xyflow's Connection, handles being port names). */
export interface ConnectionRequest {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

/** Whether a connection may be made, and if not, why (shown while dragging). */
export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** True when `to` can be reached from `from` by following edges. */
export function reaches(doc: LoomDocument, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const next of out.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/** Checks a connection against the document. */
export function canConnect(doc: LoomDocument, c: ConnectionRequest): ConnectionCheck {
  const src = doc.nodes.find((n) => n.id === c.source);
  const dst = doc.nodes.find((n) => n.id === c.target);
  if (!src || !dst) return { ok: false, reason: 'both ends must be nodes of this graph' };
  if (src.id === dst.id) return { ok: false, reason: `"${src.id}" cannot feed itself` };
  const sourcePort = c.sourceHandle ?? 'out';
  const targetPort = c.targetHandle ?? 'in';
  if (!portsOf(src.kind).outputs.some((p) => p.name === sourcePort)) return { ok: false, reason: `"${src.id}" has no output port "${sourcePort}"` };
  const port = portsOf(dst.kind).inputs.find((p) => p.name === targetPort);
  if (!port) return { ok: false, reason: `"${dst.id}" has no input port "${targetPort}"` };
  const into = doc.edges.filter((e) => e.target === dst.id && e.targetPort === targetPort);
  if (into.some((e) => e.source === src.id && e.sourcePort === sourcePort)) {
    return { ok: false, reason: `"${src.id}" already feeds "${dst.id}"` };
  }
  if (!port.multi && into.length > 0) {
    return {
      ok: false,
      reason: `"${dst.id}" takes one input and already has one (from "${into[0].source}"); merge with Add or Concatenate first`,
    };
  }
  if (slotOf(src) !== slotOf(dst)) {
    const inner = src.group !== undefined ? src : dst;
    return {
      ok: false,
      reason: `"${inner.id}" sits in "${inner.group}"${inner.alternative !== undefined ? ` (alternative ${inner.alternative})` : ''}; connect to the container instead`,
    };
  }
  if (reaches(doc, dst.id, src.id)) return { ok: false, reason: `would create a cycle: "${dst.id}" already feeds "${src.id}"` };
  return { ok: true };
}

/** Adds the edge when `canConnect` allows it (otherwise the command changes nothing). */
export function connect(c: ConnectionRequest): Command {
  return {
    name: 'connect',
    label: `Connect ${c.source} → ${c.target}`,
    apply(doc) {
      if (!canConnect(doc, c).ok) return doc;
      const edge = {
        id: newEdgeId(c.source, c.target, edgeIds(doc)),
        source: c.source,
        sourcePort: c.sourceHandle ?? 'out',
        target: c.target,
        targetPort: c.targetHandle ?? 'in',
      };
      return { ...doc, edges: [...doc.edges, edge] };
    },
  };
}
