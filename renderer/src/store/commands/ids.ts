/**
 * Readable ids for new nodes (`conv2d_1`) and edges (`e_conv2d_1_dense_1`). Node ids satisfy
 * the engine's nodeIdSchema (they become tf.js layer and weight names); edge ids are kept in
 * the document so the canvas and tests can address an edge by a stable name.
 */
import { nodeIdSchema, type LoomDocument, type LoomEdge } from '../../../../engine/graph/schema.js';

/** The id prefix for a kind: `Conv2D` -> `conv2d`. */
export function idBase(kind: string): string {
  const base = kind.toLowerCase().replace(/[^a-z0-9_.-]/g, '');
  return /^[a-z0-9]/.test(base) ? base : `n${base}`;
}

/** The first free `<base>_<n>` (n from 1) not in `taken`. */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new node id for `kind` in `doc`. */
export function newNodeId(doc: LoomDocument, kind: string, alsoTaken: Iterable<string> = []): string {
  return freshId(idBase(kind), new Set([...doc.nodes.map((n) => n.id), ...alsoTaken]));
}

/** True when `id` is a valid node id (engine rule). */
export function isValidNodeId(id: string): boolean {
  return nodeIdSchema.safeParse(id).success;
}

/** A new edge id `e_<source>_<target>`, suffixed `_2`, `_3`… when taken. */
export function newEdgeId(source: string, target: string, taken: ReadonlySet<string>): string {
  const base = `e_${source}_${target}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** The document with every edge given a unique id (files written by hand often have none). */
export function withEdgeIds(doc: LoomDocument): LoomDocument {
  const seen = new Set<string>();
  const complete = doc.edges.every((e) => {
    if (!e.id || seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  if (complete) return doc;
  const all = edgeIds(doc);
  const used = new Set<string>();
  const edges: LoomEdge[] = doc.edges.map((e) => {
    if (e.id && !used.has(e.id)) {
      used.add(e.id);
      return e;
    }
    const id = newEdgeId(e.source, e.target, all);
    all.add(id);
    used.add(id);
    return { ...e, id };
  });
  return { ...doc, edges };
}

/** The set of edge ids in use. */
export function edgeIds(doc: LoomDocument): Set<string> {
  return new Set(doc.edges.map((e) => e.id).filter((id): id is string => !!id));
}
