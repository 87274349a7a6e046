/**
 * Sample -> concrete document. Steps, in this order so each sees a simpler graph:
 * 1. searchable params take the sampled value (shared by every Repeat copy made later);
 * 2. optional edges switched off are removed; an Add/Concatenate that lost one and has a
 *    single input left is bypassed (its consumers read that input); one left with none stays
 *    and validation reports it;
 * 3. each Choice keeps its sampled alternative and is replaced by that chain;
 * 4. each Repeat is replaced by k copies of its chain (`<id>_r1`..`<id>_rk`, chained);
 * 5. Cells (including copies inside Repeats) are expanded in topological order, so a Cell
 *    without `channels` can infer its input's channel count from concrete ancestors.
 * The result carries no searchable part: `group`, `alternative` and `optional` are stripped.
 * `origin` maps each materialized node id to the drawn node it came from (itself, a Repeat
 * copy's original, or the Cell that generated it), so failures can be traced to decisions.
 */
import { GraphError } from '../../engine/graph/errors.js';
import type { LoomDocument, LoomEdge, LoomNode } from '../../engine/graph/schema.js';
import { getLayer } from '../../engine/layers/index.js';
import { expandCell, type WorkGraph } from './drawn-cell.js';
import type { SpaceModel } from './drawn-parse.js';
import type { Sample } from './types.js';

/** A concrete document and where each of its nodes came from. */
export interface Materialized {
  doc: LoomDocument;
  origin: Map<string, string>;
}

function firstIn(g: WorkGraph, id: string): string {
  const n = g.nodes.find((m) => m.id === id);
  return (n && getLayer(n.kind)?.inputs[0]?.name) ?? 'in';
}

function firstOut(g: WorkGraph, id: string): string {
  const n = g.nodes.find((m) => m.id === id);
  return (n && getLayer(n.kind)?.outputs[0]?.name) ?? 'out';
}

/** Replaces container `id` by the chain `entry..exit`: its inputs feed entry, its consumers read exit. */
function splice(g: WorkGraph, id: string, entry: string, exit: string): void {
  const inPort = firstIn(g, entry);
  const outPort = firstOut(g, exit);
  g.nodes = g.nodes.filter((n) => n.id !== id);
  g.edges = g.edges.map((e) => {
    if (e.target === id) return { ...e, target: entry, targetPort: inPort };
    if (e.source === id) return { ...e, source: exit, sourcePort: outPort };
    return e;
  });
}

/** Node ids in a topological order of `g` (document order among ties; leftovers appended). */
function topo(g: WorkGraph): string[] {
  const indeg = new Map(g.nodes.map((n) => [n.id, 0]));
  for (const e of g.edges) if (indeg.has(e.target)) indeg.set(e.target, indeg.get(e.target)! + 1);
  const ready = g.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of g.edges) {
      if (e.source !== id || !indeg.has(e.target)) continue;
      indeg.set(e.target, indeg.get(e.target)! - 1);
      if (indeg.get(e.target) === 0) ready.push(e.target);
    }
  }
  return [...order, ...g.nodes.map((n) => n.id).filter((id) => !order.includes(id))];
}

/** Id of copy `r` (1-based) of Repeat member `m`. */
export function repeatCopyId(m: string, r: number): string {
  return `${m}_r${r}`;
}

/** Materializes `s` (assumed a valid point of the model's decisions) into a concrete document. */
export function materializeModel(model: SpaceModel, s: Sample): Materialized {
  const clone = <T>(x: T): T => structuredClone(x);
  const g: WorkGraph = { nodes: model.doc.nodes.map(clone), edges: model.doc.edges.map(clone) };
  const origin = new Map(g.nodes.map((n) => [n.id, n.id]));

  // 1. Params.
  for (const p of model.params) g.nodes.find((n) => n.id === p.node)!.params[p.param] = s[p.decision];

  // 2. Optional edges, then merges left with one input.
  const off = new Set(model.optionalEdges.filter((o) => s[o.decision] === false).map((o) => g.edges[o.index]));
  const lost = new Set([...off].map((e) => e.target));
  g.edges = g.edges.filter((e) => !off.has(e));
  for (const id of lost) {
    const node = g.nodes.find((n) => n.id === id);
    const ins = g.edges.filter((e) => e.target === id);
    if (!node || !getLayer(node.kind)?.collapsesWithOneInput || ins.length !== 1) continue;
    const [only] = ins;
    g.nodes = g.nodes.filter((n) => n !== node);
    g.edges = g.edges.filter((e) => e !== only).map((e) => (e.source === id ? { ...e, source: only.source, sourcePort: only.sourcePort } : e));
  }

  // 3. Choices.
  for (const [id, { alternatives }] of model.choices) {
    const keep = alternatives[Number(s[id])];
    const drop = new Set(alternatives.flat().filter((m) => !keep.includes(m)));
    g.nodes = g.nodes.filter((n) => !drop.has(n.id));
    g.edges = g.edges.filter((e) => !drop.has(e.source) && !drop.has(e.target));
    splice(g, id, keep[0], keep[keep.length - 1]);
  }

  // 4. Repeats.
  for (const [id, { chain }] of model.repeats) {
    const k = Number(s[id]);
    const members = new Set(chain);
    const originals = chain.map((m) => g.nodes.find((n) => n.id === m)!);
    const inner = g.edges.filter((e) => members.has(e.source) && members.has(e.target));
    const copies: LoomNode[] = [];
    const edges: LoomEdge[] = [];
    const name = repeatCopyId;
    for (let r = 1; r <= k; r++) {
      for (const n of originals) {
        copies.push({ ...clone(n), id: name(n.id, r), position: { x: n.position.x + 30 * (r - 1), y: n.position.y + 30 * (r - 1) } });
        origin.set(name(n.id, r), origin.get(n.id) ?? n.id);
      }
      for (const e of inner) edges.push({ ...clone(e), id: undefined, source: name(e.source, r), target: name(e.target, r) });
      if (r > 1) {
        const exit = chain[chain.length - 1];
        edges.push({ source: name(exit, r - 1), sourcePort: firstOut(g, exit), target: name(chain[0], r), targetPort: firstIn(g, chain[0]) });
      }
    }
    const at = g.nodes.indexOf(originals[0]);
    g.nodes = g.nodes.filter((n) => !members.has(n.id));
    g.nodes.splice(Math.min(at, g.nodes.length), 0, ...copies);
    g.edges = [...g.edges.filter((e) => !(members.has(e.source) && members.has(e.target))), ...edges];
    splice(g, id, name(chain[0], 1), name(chain[chain.length - 1], k));
  }

  // 5. Cells, upstream first.
  for (const id of topo(g)) {
    const node = g.nodes.find((n) => n.id === id);
    if (node?.kind !== 'Cell') continue;
    const o = origin.get(id) ?? id;
    const before = new Set(g.nodes.map((n) => n.id));
    try {
      expandCell(g, id, o, s, model.cells.get(o)?.channels);
    } catch (e) {
      // Point at the drawn Cell (not a Repeat copy), which is what carries the decisions.
      if (e instanceof GraphError && e.where.node === id) throw new GraphError(e.code, e.message, { ...e.where, node: o });
      throw e;
    }
    for (const n of g.nodes) if (!before.has(n.id)) origin.set(n.id, o);
  }

  const nodes = g.nodes.map(({ group: _g, alternative: _a, ...n }) => n);
  const edges = g.edges.map(({ optional: _o, ...e }) => (e.id === undefined ? (({ id: _i, ...rest }) => rest)(e) : e));
  return { doc: { ...model.doc, nodes, edges }, origin };
}
