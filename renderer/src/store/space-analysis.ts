/**
 * Analysis of a drawn search space for the canvas. The space is parsed (nas/space/drawn-parse),
 * one reference candidate is materialized (each decision at its first option other than a
 * cell edge's `none`, or the candidate the user picked) and analysed by the engine's own
 * `analyzeDocument`; the concrete graph's shapes, costs and errors are then mapped back to the
 * drawn nodes and edges through the materialization's `origin` map (Repeat copies -> the
 * original, Cell layers -> the Cell). Members of the Choice alternatives the reference does
 * not keep come from one more candidate per alternative, so every drawn node shows something.
 * The result has the shape of a concrete document's analysis, keyed by drawn ids and edge
 * indices, so the canvas, inspector and summary read both the same way.
 */
import { analyzeDocument, type DocumentAnalysis, type NodeReport } from '../../../engine/graph/analyze.js';
import { GraphError } from '../../../engine/graph/errors.js';
import type { LoomDocument, LoomEdge, LoomNode } from '../../../engine/graph/schema.js';
import type { Cost, Shape } from '../../../engine/layers/types.js';
import { materializeModel, repeatCopyId, type Materialized } from '../../../nas/space/drawn-materialize.js';
import { parseSpace, type SpaceModel } from '../../../nas/space/drawn-parse.js';
import type { Decision, Sample } from '../../../nas/space/types.js';
import { portsOf } from './containers.js';

/** What the canvas knows about the space besides per-node reports. */
export interface SpaceInfo {
  decisions: readonly Decision[];
  /** The candidate whose shapes are shown ("e.g." on the canvas). */
  reference: Sample;
  /** Drawn nodes the reference candidate does not contain (a merge bypassed when its optional input is off). */
  absent: ReadonlySet<string>;
  /** Indices of drawn edges the reference candidate switches off. */
  offEdges: ReadonlySet<number>;
  /** The space itself is malformed (its message is also on the node or edge at fault). */
  error: string | null;
}

/** A document analysis plus, for a drawn space, what the canvas needs about it. */
export interface CanvasAnalysis extends DocumentAnalysis {
  space: SpaceInfo | null;
}

/** The candidate shown: `picked`'s valid values, else each decision's first option (a cell edge's first op other than `none`). */
export function referenceSample(decisions: readonly Decision[], picked?: Sample | null): Sample {
  const s: Sample = {};
  for (const d of decisions) {
    const want = picked?.[d.name];
    s[d.name] = want !== undefined && d.options.includes(want) ? want : (d.options.find((o) => o !== 'none') ?? d.options[0]);
  }
  return s;
}

const noIds: ReadonlySet<string> = new Set();
const noIndices: ReadonlySet<number> = new Set();

/** The analysis of a space whose parse or materialization failed: the error on its node, edge or the whole graph. */
function failed(doc: LoomDocument, e: Error, decisions: readonly Decision[], reference: Sample): CanvasAnalysis {
  const nodes = new Map<string, NodeReport>(doc.nodes.map((n) => [n.id, {}]));
  const edgeErrors = new Map<number, string>();
  const problems: string[] = [];
  const where = e instanceof GraphError ? e.where : {};
  const edgeIndex = where.edge === undefined ? -1 : doc.edges.findIndex((x, i) => x.id === where.edge || String(i) === where.edge);
  if (where.node !== undefined && nodes.has(where.node)) nodes.get(where.node)!.error = e.message;
  else if (edgeIndex >= 0) edgeErrors.set(edgeIndex, e.message);
  else problems.push(e.message);
  return {
    nodes,
    edgeShapes: new Map(),
    edgeErrors,
    problems,
    total: { params: 0, flops: 0 },
    ok: false,
    space: { decisions, reference, absent: noIds, offEdges: noIndices, error: e.message },
  };
}

/** One analysed candidate. */
interface Candidate {
  sample: Sample;
  mat: Materialized;
  a: DocumentAnalysis;
  nodeIndex: Set<string>;
  edgeIndex: Map<string, number>;
}

function candidate(model: SpaceModel, sample: Sample): Candidate {
  const mat = materializeModel(model, sample);
  const edgeIndex = new Map<string, number>();
  mat.doc.edges.forEach((e, i) => e.id !== undefined && edgeIndex.set(e.id, i));
  return { sample, mat, a: analyzeDocument(mat.doc), nodeIndex: new Set(mat.doc.nodes.map((n) => n.id)), edgeIndex };
}

/** `node "<from>"` in a message becomes `node "<to>" (<note>)`, so the drawn node can show it. */
function renamed(message: string, from: string, to: string, note: string): string {
  return message.split(`node "${from}"`).join(`node "${to}" (${note})`);
}

/** Combines the reports of the layers one drawn node became (Repeat copies, Cell layers). */
function combine(parts: { id: string; report: NodeReport | undefined; note: string }[], drawn: string): NodeReport {
  const out: NodeReport = {};
  let cost: Cost | undefined;
  for (const { id, report, note } of parts) {
    if (!report) continue;
    if (report.error && !out.error) out.error = renamed(report.error, id, drawn, note);
    if (report.blocked) out.blocked = true;
    if (report.cost) cost = { params: (cost?.params ?? 0) + report.cost.params, flops: (cost?.flops ?? 0) + report.cost.flops };
    if (report.shapes) out.shapes = report.shapes;
  }
  if (out.error) delete out.blocked;
  if (cost) out.cost = cost;
  return out;
}

/** Maps candidates' analyses back onto the drawn document. */
class DrawnMapper {
  private readonly shapeMemo = new Map<string, Shape | undefined>();
  private readonly byId: Map<string, LoomNode>;
  constructor(
    private readonly doc: LoomDocument,
    private readonly model: SpaceModel,
    /** The reference first, then the alternates. */
    private readonly cands: Candidate[],
  ) {
    this.byId = new Map(doc.nodes.map((n) => [n.id, n]));
  }

  /** The candidate that holds node `matId` (the reference when several do). */
  private holding(matId: string): Candidate | undefined {
    return this.cands.find((c) => c.nodeIndex.has(matId));
  }

  /** Materialized ids of drawn layer node `id`: itself, or its Repeat copies. */
  private copies(id: string): { c: Candidate; ids: string[] } | undefined {
    const group = this.byId.get(id)?.group;
    const repeat = group === undefined ? undefined : this.model.repeats.get(group);
    if (!repeat) {
      const c = this.holding(id);
      return c && { c, ids: [id] };
    }
    const c = this.holding(repeatCopyId(id, 1));
    const k = c ? Number(c.sample[group!]) : 0;
    return c && { c, ids: Array.from({ length: k }, (_, r) => repeatCopyId(id, r + 1)) };
  }

  /** The report of a drawn node, or undefined when no candidate contains it. */
  report(id: string, kind: string): NodeReport | undefined {
    if (kind === 'Repeat' || kind === 'Choice') {
      const shape = this.outShape(id, 0);
      return shape ? { shapes: [shape] } : { blocked: true };
    }
    if (kind === 'Cell') {
      const c = this.cands.find((x) => x.mat.doc.nodes.some((n) => x.mat.origin.get(n.id) === id)) ?? this.cands[0];
      const parts = c.mat.doc.nodes.filter((n) => c.mat.origin.get(n.id) === id).map((n) => ({ id: n.id, report: c.a.nodes.get(n.id), note: n.id }));
      const out = combine(parts, id);
      const shape = this.outShape(id, 0);
      if (shape) out.shapes = [shape];
      else delete out.shapes;
      return out;
    }
    const found = this.copies(id);
    if (!found) return undefined;
    const { c, ids } = found;
    if (ids.length === 1 && ids[0] === id) return c.a.nodes.get(id);
    return combine(
      ids.map((m, r) => ({ id: m, report: c.a.nodes.get(m), note: `copy ${r + 1} of ${ids.length}` })),
      id,
    );
  }

  /** The shape drawn edge `i` carries in the first candidate that has it. */
  edge(i: number): { shape?: Shape; error?: string } {
    const e = this.doc.edges[i];
    for (const c of this.cands) {
      const at = e.id === undefined ? undefined : c.edgeIndex.get(e.id);
      if (at !== undefined) return { shape: c.a.edgeShapes.get(at), error: c.a.edgeErrors.get(at) };
    }
    const port = portsOf(this.byId.get(e.source)?.kind ?? '').outputs.findIndex((p) => p.name === e.sourcePort);
    return { shape: this.outShape(e.source, Math.max(port, 0)) };
  }

  /** The output shape of a drawn node at output `port`. */
  private outShape(id: string, port: number): Shape | undefined {
    const key = `${id}#${port}`;
    if (this.shapeMemo.has(key)) return this.shapeMemo.get(key);
    this.shapeMemo.set(key, undefined); // a cycle reads as unknown
    const shape = this.computeOut(id, port);
    this.shapeMemo.set(key, shape);
    return shape;
  }

  private computeOut(id: string, port: number): Shape | undefined {
    const node = this.byId.get(id);
    if (!node) return undefined;
    const repeat = this.model.repeats.get(id);
    if (repeat) return this.outShape(repeat.chain[repeat.chain.length - 1], 0);
    const choice = this.model.choices.get(id);
    if (choice) {
      const kept = choice.alternatives[Number(this.cands[0].sample[id])] ?? choice.alternatives[0];
      return this.outShape(kept[kept.length - 1], 0);
    }
    if (node.kind === 'Cell') return this.cellOut(id);
    const found = this.copies(id);
    return found ? found.c.a.nodes.get(found.ids[found.ids.length - 1])?.shapes?.[port] : undefined;
  }

  /**
   * A Cell's output: what its outgoing edge carries in the reference, else its input with the
   * Cell's channel count (every NB201 op keeps the spatial size).
   */
  private cellOut(id: string): Shape | undefined {
    const ref = this.cands[0];
    for (const e of this.doc.edges) {
      const at = e.source === id && e.id !== undefined ? ref.edgeIndex.get(e.id) : undefined;
      if (at !== undefined) return ref.a.edgeShapes.get(at);
    }
    const into = this.doc.edges.findIndex((e) => e.target === id);
    const input = into >= 0 ? this.edge(into).shape : undefined;
    const channels = this.model.cells.get(id)?.channels;
    return input && channels !== undefined ? [...input.slice(0, -1), channels] : input;
  }
}

/** Analyses a drawn space (see the module comment); `picked` chooses the reference candidate. */
export function analyzeSpace(doc: LoomDocument, picked?: Sample | null): CanvasAnalysis {
  let model: SpaceModel;
  try {
    model = parseSpace(doc);
  } catch (e) {
    return failed(doc, e as Error, [], {});
  }
  const reference = referenceSample(model.decisions, picked);
  const cands: Candidate[] = [];
  try {
    cands.push(candidate(model, reference));
  } catch (e) {
    return failed(doc, e as Error, model.decisions, reference);
  }
  for (const [id, { alternatives }] of model.choices) {
    for (let a = 0; a < alternatives.length; a++) {
      if (a === reference[id]) continue;
      try {
        cands.push(candidate(model, { ...reference, [id]: a }));
      } catch {
        // A Cell in that alternative that cannot expand: its members show no shapes.
      }
    }
  }
  const mapper = new DrawnMapper(doc, model, cands);
  const nodes = new Map<string, NodeReport>();
  const absent = new Set<string>();
  for (const n of doc.nodes) {
    if (nodes.has(n.id)) continue;
    const r = mapper.report(n.id, n.kind);
    if (!r) absent.add(n.id);
    nodes.set(n.id, r ?? {});
  }
  const offEdges = new Set(model.optionalEdges.filter((o) => reference[o.decision] === false).map((o) => o.index));
  const edgeShapes = new Map<number, Shape>();
  const edgeErrors = new Map<number, string>();
  doc.edges.forEach((_: LoomEdge, i) => {
    if (offEdges.has(i)) return;
    const { shape, error } = mapper.edge(i);
    if (shape) edgeShapes.set(i, shape);
    if (error) edgeErrors.set(i, error);
  });
  const main = cands[0].a;
  return {
    nodes,
    edgeShapes,
    edgeErrors,
    problems: main.problems,
    total: main.total,
    ok: main.ok,
    space: { decisions: model.decisions, reference, absent, offEdges, error: null },
  };
}
