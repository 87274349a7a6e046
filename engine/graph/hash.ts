/**
 * Content hash of a graph: what determines the model (kinds, params, wiring), not where
 * nodes sit on the canvas. Two documents that train the same network hash the same.
 */
import { createHash } from 'node:crypto';
import type { LoomDocument } from './schema.js';

/** JSON with object keys sorted, so key order never changes the hash. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** sha256 (hex) over nodes' id/kind/params and edges' endpoints. */
export function graphHash(doc: LoomDocument): string {
  const content = {
    nodes: doc.nodes.map((n) => ({ id: n.id, kind: n.kind, params: n.params })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    edges: doc.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]).sort(),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
