/**
 * Walking a drawn space as one supernet. The walk is written once and run over three value
 * types (an "algebra"): static shapes (to size the shared weights), tensors along one sampled
 * path (SPOS, ENAS, candidate evaluation, extraction), and tensors under a continuous
 * relaxation (DARTS). What each decision does is asked of a {@link Picker}:
 *
 * - `one`: that option only (a sampled path);
 * - `mix`: every option, weighted by `weights` (a relaxed decision);
 * - `all`: every option, unweighted (the static pass, which must see every site).
 *
 * Per construct:
 * - **searchable param**: a width (`WIDTH_PARAM`) takes the chosen value, or its largest under
 *   `mix`/`all` with a mask for the algebra; any other param makes one call per option,
 *   mixed (`SHAPE_PARAMS` decides which of them get separate weights);
 * - **optional edge**: `one` drops it or keeps it; `mix` gates it by the weight of "kept";
 * - **Choice**: the chosen alternative chain, or a mix of all of them;
 * - **Repeat**: copies 1..k chained, or the outputs after each depth min..max mixed (so the
 *   supernet holds the largest depth and deeper copies are skippable);
 * - **Cell**: NB201 nodes summing their incoming edges; each edge is one op or a mix over its
 *   ops (`none` contributes zero), with DARTS-'s auxiliary skip when asked.
 *
 * On a single path the walk follows materialization (drawn-materialize.ts) construct by
 * construct: same node ids, merges that lose an optional input pass the other one through,
 * cell nodes no op reaches are absent, and a path materialization rejects throws
 * {@link InvalidPathError}. The extraction test checks the two agree.
 */
import type { LoomNode } from '../../engine/graph/schema.js';
import { getLayer } from '../../engine/layers/index.js';
import { cellLayerId, cellOpLayers, cellSumId } from '../space/drawn-cell.js';
import { repeatCopyId } from '../space/drawn-materialize.js';
import type { ParamSpec, SpaceModel } from '../space/drawn-parse.js';
import { NB201_OPS } from '../space/nb201.js';
import type { Decision } from '../space/types.js';

/** What a decision does in one walk. */
export type DecisionPick<W> = { kind: 'one'; index: number } | { kind: 'mix'; weights: W } | { kind: 'all' };

/** Answers, per decision name, how the walk treats it. */
export interface Picker<W> {
  pick(decision: string): DecisionPick<W>;
}

/** A path that materialization would reject (an empty cell, a node left without input). */
export class InvalidPathError extends Error {
  override name = 'InvalidPathError';
}

/** Kinds combining several inputs. */
export const MERGE_KINDS: ReadonlySet<string> = new Set(['Add', 'Multiply', 'Concatenate']);

/** The param whose options are widths, shared by slicing the largest weights. */
export const WIDTH_PARAM: Readonly<Record<string, string>> = { Conv2D: 'filters', Dense: 'units', SeparableConv2D: 'filters' };

/**
 * Params that change the shape of a kind's weights other than by width; a choice over one of
 * them gets one weight set per value. Other params (activation, strides, padding) share
 * weights across options. Kinds not listed split on every searchable param.
 */
export const SHAPE_PARAMS: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['kernelSize', 'useBias'],
  Dense: ['useBias'],
  DepthwiseConv2D: ['kernelSize', 'depthMultiplier', 'useBias'],
  SeparableConv2D: ['kernelSize', 'depthMultiplier', 'useBias'],
  BatchNorm: ['center', 'scale'],
  LayerNorm: ['center', 'scale'],
};

/** One layer application. */
export interface LayerCall<W> {
  /** Materialized node id (the extracted layer's name). */
  site: string;
  /** Drawn node it comes from. */
  origin: string;
  kind: string;
  /** Concrete params (a relaxed width at its largest value). */
  params: Record<string, unknown>;
  /** Which weight set of the site: '' when it has one. */
  variant: string;
  /** A relaxed width: the options and their weights (the algebra masks channels). */
  width?: { options: number[]; weights: W };
}

/** One alternative of a mix and its option index in the decision. */
export interface MixPart<V> {
  value: V;
  index: number;
}

/** What a walk computes with. */
export interface Algebra<V, W> {
  input(site: string): V;
  layer(call: LayerCall<W>, inputs: V[]): V;
  /** Add/Multiply/Concatenate; `inputs` keeps a null for each switched-off optional input. */
  merge(site: string, kind: string, params: Record<string, unknown>, inputs: (V | null)[]): V;
  /** Σ weights[index]·value (+ β·aux): `weights` is undefined in the static pass. */
  mix(site: string, weights: W | undefined, parts: MixPart<V>[], aux?: { value: V; beta: number }): V;
  /** A relaxed optional edge: value scaled by the weight of option `index` ("kept"). */
  gate(value: V, weights: W, index: number): V;
  /** Dropout of a whole op's output (operation-level dropout); identity in the static pass. */
  dropout(value: V, rate: number): V;
  /** Channels (last axis) the value holds. */
  channels(v: V): number;
}

/** A top-level incoming edge. */
interface InEdge {
  source: string;
  /** Decision of an optional edge. */
  decision?: string;
}

/** Options of a walk. */
export interface WalkOptions {
  /** DARTS-: weight of the auxiliary skip added to every relaxed cell edge and Choice. */
  auxSkip?: number;
  /** Operation-level dropout rate on the outputs of parameter-free cell ops (skip, pooling). */
  paramFreeDropout?: number;
}

/** NB201 ops without weights. */
export const PARAM_FREE_OPS: ReadonlySet<string> = new Set(['skip_connect', 'avg_pool_3x3']);

/** The parts of a space model a walk looks up, indexed once per supernet. */
export class Structure {
  readonly byId: Map<string, LoomNode>;
  readonly decisions: Map<string, Decision>;
  readonly inputId: string;
  readonly outputId: string;
  private readonly incoming = new Map<string, InEdge[]>();
  private readonly paramSpecs = new Map<string, ParamSpec[]>();

  constructor(readonly model: SpaceModel) {
    const doc = model.doc;
    this.byId = new Map(doc.nodes.map((n) => [n.id, n]));
    this.decisions = new Map(model.decisions.map((d) => [d.name, d]));
    const top = doc.nodes.filter((n) => n.group === undefined);
    const ins = top.filter((n) => n.kind === 'Input');
    const outs = top.filter((n) => n.kind === 'Output');
    if (ins.length !== 1 || outs.length !== 1)
      throw new Error(`supernet needs one Input and one Output node outside containers, found ${ins.length} and ${outs.length}`);
    this.inputId = ins[0].id;
    this.outputId = outs[0].id;
    const optional = new Map(model.optionalEdges.map((o) => [o.index, o.decision]));
    doc.edges.forEach((e, i) => {
      if (this.byId.get(e.target)?.group !== undefined) return; // inside a chain: walked by the chain
      const list = this.incoming.get(e.target) ?? [];
      list.push({ source: e.source, ...(optional.has(i) && { decision: optional.get(i) }) });
      this.incoming.set(e.target, list);
    });
    for (const p of model.params) this.paramSpecs.set(p.node, [...(this.paramSpecs.get(p.node) ?? []), p]);
  }

  inEdges(id: string): InEdge[] {
    return this.incoming.get(id) ?? [];
  }

  params(id: string): ParamSpec[] {
    return this.paramSpecs.get(id) ?? [];
  }

  decision(name: string): Decision {
    const d = this.decisions.get(name);
    if (!d) throw new Error(`supernet: no decision "${name}"`);
    return d;
  }
}

/** One walk from the Input to the Output node; see the module comment. */
export class Walk<V, W> {
  private readonly memo = new Map<string, V>();

  constructor(
    private readonly s: Structure,
    private readonly alg: Algebra<V, W>,
    private readonly picker: Picker<W>,
    private readonly opts: WalkOptions = {},
  ) {}

  /** The value reaching the Output node. */
  run(): V {
    const ins = this.inputs(this.s.outputId).filter((v): v is V => v !== null);
    if (ins.length !== 1) throw new InvalidPathError(`node "${this.s.outputId}" (Output) receives ${ins.length} inputs`);
    return ins[0];
  }

  private inputs(id: string): (V | null)[] {
    return this.s.inEdges(id).map((e) => {
      if (e.decision === undefined) return this.top(e.source);
      const kept = this.s.decision(e.decision).options.indexOf(true);
      const p = this.picker.pick(e.decision);
      if (p.kind === 'one') return p.index === kept ? this.top(e.source) : null;
      const v = this.top(e.source);
      return p.kind === 'mix' ? this.alg.gate(v, p.weights, kept) : v;
    });
  }

  private top(id: string): V {
    const hit = this.memo.get(id);
    if (hit !== undefined) return hit;
    const node = this.s.byId.get(id)!;
    let v: V;
    if (node.kind === 'Input') v = this.alg.input(id);
    else {
      const ins = this.inputs(id);
      const present = ins.filter((x): x is V => x !== null);
      if (node.kind === 'Choice') v = this.choice(node, present);
      else if (node.kind === 'Repeat') v = this.repeat(node, present);
      else v = this.node(node, id, MERGE_KINDS.has(node.kind) ? ins : present);
    }
    this.memo.set(id, v);
    return v;
  }

  /** A layer, merge or Cell at `site`. */
  private node(node: LoomNode, site: string, ins: (V | null)[]): V {
    if (node.kind === 'Cell') return this.cell(node, site, ins as V[]);
    const present = ins.filter((x): x is V => x !== null);
    if (present.length === 0) throw new InvalidPathError(`node "${site}" (${node.kind}) has no input on this path`);
    if (MERGE_KINDS.has(node.kind)) return this.alg.merge(site, node.kind, this.concrete(node), ins);
    if (present.length > 1) throw new InvalidPathError(`node "${site}" (${node.kind}) takes one input, gets ${present.length} on this path`);
    const { calls, weights } = this.calls(node, site);
    if (calls.length === 1) return this.alg.layer(calls[0].call, present);
    return this.alg.mix(
      site,
      weights,
      calls.map((c) => ({ value: this.alg.layer(c.call, present), index: c.index })),
    );
  }

  /** Params of a node whose searchable params must all be single picks (merges). */
  private concrete(node: LoomNode): Record<string, unknown> {
    const params = { ...node.params };
    for (const spec of this.s.params(node.id)) {
      const p = this.picker.pick(spec.decision);
      if (p.kind !== 'one')
        throw new Error(`supernet: node "${node.id}": a searchable ${spec.param} on a ${node.kind} cannot be relaxed; sample it (SPOS, ENAS)`);
      params[spec.param] = this.s.decision(spec.decision).options[p.index];
    }
    return params;
  }

  /**
   * The layer calls of a node on this walk: one, or one per option of its single relaxed
   * non-width param (one per combination of them in the static pass).
   */
  private calls(node: LoomNode, site: string): { calls: { call: LayerCall<W>; index: number }[]; weights?: W } {
    const params = { ...node.params };
    let width: LayerCall<W>['width'];
    const open: { param: string; options: readonly unknown[] }[] = [];
    let weights: W | undefined;
    const widthParam = WIDTH_PARAM[node.kind];
    for (const spec of this.s.params(node.id)) {
      const options = this.s.decision(spec.decision).options;
      const p = this.picker.pick(spec.decision);
      if (p.kind === 'one') params[spec.param] = options[p.index];
      else if (spec.param === widthParam && options.every((o) => typeof o === 'number')) {
        params[spec.param] = Math.max(...(options as number[]));
        if (p.kind === 'mix') width = { options: options as number[], weights: p.weights };
      } else {
        if (p.kind === 'mix') {
          if (weights !== undefined)
            throw new Error(`supernet: node "${node.id}": relaxing two non-width params of one node is not supported; sample one of them`);
          weights = p.weights;
        }
        open.push({ param: spec.param, options });
      }
    }
    const searchable = new Set(this.s.params(node.id).map((p) => p.param));
    const shapeParams = (SHAPE_PARAMS[node.kind] ?? [...searchable]).filter((p) => searchable.has(p) && p !== widthParam);
    const make = (values: Record<string, unknown>, index: number) => {
      const all = { ...params, ...values };
      const variant = shapeParams.map((p) => `${p}=${String(all[p])}`).join(',');
      return { call: { site, origin: node.id, kind: node.kind, params: all, variant, ...(width && { width }) }, index };
    };
    // Combinations of the open params (a single relaxed param yields its options in order).
    let combos: { values: Record<string, unknown>; index: number }[] = [{ values: {}, index: 0 }];
    for (const o of open) {
      combos = combos.flatMap((c) => o.options.map((v, i) => ({ values: { ...c.values, [o.param]: v }, index: i })));
    }
    return { calls: combos.map((c) => make(c.values, c.index)), weights };
  }

  private choice(node: LoomNode, inputs: V[]): V {
    const { alternatives } = this.s.model.choices.get(node.id)!;
    const p = this.picker.pick(node.id);
    if (p.kind === 'one') return this.chain(alternatives[p.index], inputs);
    const parts = alternatives.map((alt, index) => ({ value: this.chain(alt, inputs), index }));
    return this.alg.mix(node.id, p.kind === 'mix' ? p.weights : undefined, parts, this.aux(p, inputs));
  }

  private repeat(node: LoomNode, inputs: V[]): V {
    const { min, max, chain } = this.s.model.repeats.get(node.id)!;
    const p = this.picker.pick(node.id);
    const depth = p.kind === 'one' ? min + p.index : max;
    const parts: MixPart<V>[] = [];
    let cur = inputs;
    for (let r = 1; r <= depth; r++) {
      const v = this.chain(chain, cur, r);
      if (r >= min) parts.push({ value: v, index: r - min });
      cur = [v];
    }
    if (p.kind === 'one') return cur[0];
    return this.alg.mix(node.id, p.kind === 'mix' ? p.weights : undefined, parts);
  }

  /** A container's chain; copy `r` of a Repeat names its nodes `<id>_r<r>`. */
  private chain(ids: readonly string[], inputs: V[], copy?: number): V {
    let cur: (V | null)[] = inputs;
    for (const m of ids) cur = [this.node(this.s.byId.get(m)!, copy === undefined ? m : repeatCopyId(m, copy), cur)];
    return cur[0]!;
  }

  private aux(p: DecisionPick<W>, inputs: V[]): { value: V; beta: number } | undefined {
    const beta = this.opts.auxSkip ?? 0;
    return p.kind === 'mix' && beta > 0 && inputs.length === 1 ? { value: inputs[0], beta } : undefined;
  }

  /** An NB201 cell instance at `site` (decisions live under the drawn Cell's id). */
  private cell(node: LoomNode, site: string, inputs: V[]): V {
    if (inputs.length !== 1) throw new InvalidPathError(`node "${site}" (Cell) takes exactly one input, gets ${inputs.length} on this path`);
    const x = inputs[0];
    const width = this.s.model.cells.get(node.id)?.channels ?? this.alg.channels(x);
    const nodes: (V | null | undefined)[] = [x, undefined, undefined, undefined];
    const drop = this.opts.paramFreeDropout ?? 0;
    const edgeOp = (op: string, v: V, i: number, j: number): V => {
      let cur = v;
      for (const l of cellOpLayers(op, width) ?? []) {
        cur = this.alg.layer({ site: cellLayerId(site, i, j, l.part), origin: node.id, kind: l.kind, params: l.params, variant: op }, [cur]);
      }
      return drop > 0 && PARAM_FREE_OPS.has(op) ? this.alg.dropout(cur, drop) : cur;
    };
    // Demand-driven from node 3: nodes no path reaches are never computed, as in materialization.
    const value = (j: number): V | null => {
      if (nodes[j] !== undefined) return nodes[j]!;
      const terms: V[] = [];
      for (let i = 0; i < j; i++) {
        const p = this.picker.pick(`${node.id}.${i}->${j}`);
        if (p.kind === 'one' && NB201_OPS[p.index] === 'none') continue;
        const vi = value(i);
        if (vi === null) continue;
        if (p.kind === 'one') {
          terms.push(edgeOp(NB201_OPS[p.index], vi, i, j));
          continue;
        }
        const parts = NB201_OPS.flatMap((op, index) => (op === 'none' ? [] : [{ value: edgeOp(op, vi, i, j), index }]));
        terms.push(this.alg.mix(cellLayerId(site, i, j, 'mix'), p.kind === 'mix' ? p.weights : undefined, parts, this.aux(p, [vi])));
      }
      const out = terms.length === 0 ? null : terms.length === 1 ? terms[0] : this.alg.merge(cellSumId(site, j), 'Add', {}, terms);
      nodes[j] = out;
      return out;
    };
    const out = value(3);
    if (out === null) throw new InvalidPathError(`node "${site}" (Cell): no path from its input to its output on this path (every path crosses "none")`);
    return out;
  }
}

/** True when a kind has weights (every kind but pooling, reshaping, activation, dropout, merges, I/O). */
export function hasWeights(kind: string): boolean {
  return !WEIGHTLESS.has(kind) && getLayer(kind) !== undefined;
}

const WEIGHTLESS = new Set([
  'Input',
  'Output',
  'Activation',
  'Dropout',
  'Flatten',
  'Reshape',
  'MaxPool1D',
  'MaxPool2D',
  'AvgPool1D',
  'AvgPool2D',
  'GlobalAvgPool',
  'GlobalMaxPool',
  'ZeroPadding2D',
  'UpSampling2D',
  'Add',
  'Multiply',
  'Concatenate',
]);
