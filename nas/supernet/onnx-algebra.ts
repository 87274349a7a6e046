/**
 * The supernet's walk as ONNX nodes: the relaxed forward pass of forward.ts (TensorAlgebra
 * under `mix` picks), emitted once into an {@link OnnxBuilder} so onnxruntime can train the
 * shared weights with the compiled-step machinery (engine/train/onnx-step).
 *
 * Every decision is a mix whose weights are a graph input (one probability per option): a
 * sampled path (SPOS, ENAS) feeds one-hot vectors, DARTS feeds softmax(α). A one-hot
 * relaxation computes exactly its path (channel masks zero what the path lacks; see
 * channels.ts `Value.mask`), which the conformance test checks against the tf.js path walk.
 * Layers emit through their kind's own `toOnnx` with the full shared tensors as weights,
 * so one graph input per shared tensor; a tensor used at several sites (options that share
 * weights) is one input whose gradients the autodiff sums.
 *
 * Values are always at the full layout (a relaxed pass has no channel maps). What the
 * relaxed tf.js walk cannot do (options of different shapes in one mix, relaxed params on a
 * merge) throws here as well; the caller then trains on tf.js.
 */
import type { WeightTensor } from '../../engine/layers/types.js';
import { getLayer, type Shape } from '../../engine/layers/index.js';
import { OnnxBuilder, attr, physicalShape, type OnnxValue } from '../../engine/onnx/builder.js';
import type { WeightBank } from './bank.js';
import { isChannelConcat, unitKey, type StaticInfo } from './static.js';
import { hasWeights, type Algebra, type LayerCall, type MixPart } from './traverse.js';

/** A value of the ONNX walk: the tensor, its layout size, and its channel mask ([C]) if any. */
export interface OnnxSupValue {
  v: OnnxValue;
  size: number;
  mask?: string;
}

/** A per-step dropout mask input of a parameter-free op (its rate is chosen at run time). */
export interface OpDropoutInput {
  name: string;
  /** Physical shape, batch first (null). */
  shape: Shape;
}

/**
 * A builder whose weight inputs are keyed by (weight set, index): a shared tensor brought in
 * twice is one graph input (its uses' gradients are summed by the autodiff).
 */
export class SharedBuilder extends OnnxBuilder {
  private unit = '';
  private readonly seen = new Map<string, string>();

  /** Starts emitting the layer of weight set `key` (the IrParam/IrState node is the key). */
  beginUnit(key: string): void {
    this.unit = key;
    this.beginNode(key);
  }

  override param(base: string, w: WeightTensor, index: number, perm?: number[], reshape?: number[]): string {
    const id = `${this.unit}/${index}`;
    const hit = this.seen.get(id);
    if (hit === undefined) {
      const out = super.param(base, w, index, perm, reshape);
      this.seen.set(id, this.params[this.params.length - 1].name);
      return out;
    }
    let out = hit;
    if (perm) [out] = this.node('Transpose', [out], { perm: attr.ints(perm) });
    if (reshape) [out] = this.node('Reshape', [out, this.int64s(`${base}_shape`, reshape)]);
    return out;
  }

  override state(base: string, w: WeightTensor, index: number): string {
    const id = `${this.unit}/${index}`;
    const hit = this.seen.get(id);
    if (hit !== undefined) return hit;
    const name = super.state(base, w, index);
    this.seen.set(id, name);
    return name;
  }
}

/** Options of the emitted walk. */
export interface OnnxAlgebraOptions {
  /** Name of the scalar input that weights DARTS-'s auxiliary skip. */
  auxBeta?: string;
  /**
   * One-hot inputs stand for sampled paths (SPOS, ENAS), and the graph must compute exactly
   * what tf.js's path walk computes: every mix carries a channel mask, a layer that mixes
   * channels passes on whether its input exists at all (so the ops after a cell node no
   * path reaches add nothing, as that node is absent on the path), and BatchNorm moving
   * averages move only on the channels the path has. Off (DARTS), the graph is the relaxed
   * tf.js walk itself.
   */
  exactPaths: boolean;
}

/** The relaxed walk emitting ONNX; see the module comment. */
export class OnnxAlgebra implements Algebra<OnnxSupValue, string> {
  /** Dropout masks of parameter-free ops, in emission order. */
  readonly opDropout: OpDropoutInput[] = [];
  private readonly parsed = new Map<string, Record<string, unknown>>();
  private readonly picks = new Map<string, string>();

  constructor(
    private readonly b: SharedBuilder,
    private readonly bank: WeightBank,
    private readonly statics: StaticInfo,
    private readonly x: OnnxValue,
    private readonly opts: OnnxAlgebraOptions,
  ) {}

  input(): OnnxSupValue {
    return { v: this.x, size: this.x.shape[this.x.shape.length - 1] as number };
  }

  layer(call: LayerCall<string>, inputs: OnnxSupValue[]): OnnxSupValue {
    const b = this.b;
    const key = unitKey(call);
    const def = getLayer(call.kind);
    if (!def?.toOnnx) throw new Error(`supernet on onnxruntime: node "${call.site}": ${call.kind} has no ONNX mapping`);
    const p = this.parse(call.kind, call.params);
    const x = inputs[0];
    const cin = channels(x);
    let weights: WeightTensor[] = [];
    if (hasWeights(call.kind)) {
      const unit = this.bank.get(key);
      weights = unit.weights.map((w) => ({ data: w.read().dataSync() as Float32Array, shape: w.shape as number[] }));
      const spec = this.statics.units.find((u) => u.key === key);
      const want = spec?.inShapes[0]?.at(-1);
      if (want !== undefined && want !== null && want !== cin) {
        throw new Error(`supernet on onnxruntime: node "${call.site}" (${call.kind}) gets ${cin} of its ${want} input channels in a relaxed pass`);
      }
    }
    if (this.opts.exactPaths && x.mask && call.kind === 'LayerNorm') {
      // Its statistics run over the channel axis, where a path's absent channels would count as zeros.
      throw new Error(`supernet on onnxruntime: node "${call.site}": LayerNorm after a channel mask is not exact on a one-hot relaxation`);
    }
    const statesBefore = b.states.length;
    b.beginUnit(key);
    const [out] = def.toOnnx(b, p, [x.v], weights, sanitize(key));
    const outSize = (this.statics.out.get(key)?.at(-1) ?? cin) as number;
    let mask: string | undefined;
    if (call.width) {
      // P(width > c) per channel c: the options' indicator rows weighted by their probabilities.
      const n = out.shape[out.shape.length - 1] as number;
      const ind = b.floats(
        'width_ind',
        call.width.options.flatMap((w) => Array.from({ length: n }, (_, c) => (c < w ? 1 : 0))),
        [call.width.options.length, n],
      );
      const row = b.node('Reshape', [call.width.weights, b.int64s('row', [1, -1])])[0];
      mask = b.node('Reshape', [b.node('MatMul', [row, ind])[0], b.int64s('flat', [n])])[0];
    } else if (x.mask && def.channelwise === 'same') {
      mask = x.mask;
    } else if (x.mask && typeof def.channelwise === 'function') {
      // Output channel c·m + k follows input channel c (LayerDef.channelwise).
      const mult = def.channelwise(p);
      const col = b.node('Reshape', [x.mask, b.int64s('col', [-1, 1])])[0];
      const wide = b.node('Expand', [col, b.int64s('wide', [cin, mult])])[0];
      mask = b.node('Reshape', [wide, b.int64s('flat', [cin * mult])])[0];
    } else if (x.mask && this.opts.exactPaths) {
      // Output channels exist if any input channel does (1 on a path, 0 for an absent input).
      const n = out.shape[out.shape.length - 1] as number;
      const any = b.node('ReduceMax', [x.mask], { keepdims: attr.i(1) })[0];
      mask = b.node('Mul', [any, b.floats('ones', new Array<number>(n).fill(1), [n])])[0];
    }
    if (this.opts.exactPaths && x.mask && call.kind === 'BatchNorm') {
      // Moving averages follow the path's channels only: m' = m + (next − m)·mask.
      for (const s of b.states.slice(statesBefore)) {
        if (!s.next) continue;
        const delta = b.node('Mul', [b.node('Sub', [s.next, s.name])[0], x.mask])[0];
        b.updateState(s.name, b.node('Add', [s.name, delta])[0]);
      }
    }
    const v: OnnxSupValue = { v: out, size: outSize };
    return mask ? { v: this.scale(out, mask), size: outSize, mask } : v;
  }

  merge(site: string, kind: string, params: Record<string, unknown>, inputs: (OnnxSupValue | null)[]): OnnxSupValue {
    const b = this.b;
    const present = inputs.filter((v): v is OnnxSupValue => v !== null);
    if (present.length !== inputs.length) throw new Error(`supernet on onnxruntime: "${site}": a switched-off input in a relaxed pass`);
    const rank = present[0].v.shape.length;
    if (kind === 'Concatenate' && isChannelConcat(params, rank)) {
      const slots = this.statics.slots.get(site) ?? present.map((v) => v.size);
      const layout = present[0].v.layout;
      const parts = present.map((v, i) => b.asLayout(this.widen(v.v, slots[i]), layout));
      const axis = channelAxis(parts[0]);
      const [t] =
        parts.length === 1
          ? [parts[0].name]
          : b.node(
              'Concat',
              parts.map((q) => q.name),
              { axis: attr.i(axis) },
            );
      const size = slots.reduce((a, c) => a + c, 0);
      const shape = [...parts[0].shape.slice(0, -1), size];
      const mask = present.some((v) => v.mask)
        ? b.node(
            'Concat',
            present.map((v, i) => this.maskOf(v, slots[i])),
            { axis: attr.i(0) },
          )[0]
        : undefined;
      return { v: { name: t, shape, layout }, size, ...(mask && { mask }) };
    }
    if (present.length === 1) return present[0];
    if (kind === 'Concatenate') {
      const parts = present.map((v) => b.asLayout(v.v, 'last'));
      const def = getLayer(kind)!;
      const [shape] = def.inferShape(
        def.params.parse(params),
        parts.map((q) => q.shape),
      );
      const axis = (params.axis as number | undefined) ?? -1;
      const [t] = b.node(
        'Concat',
        parts.map((q) => q.name),
        { axis: attr.i(axis) },
      );
      return { v: { name: t, shape, layout: 'last' }, size: channels(present[0]) };
    }
    const size = Math.max(...present.map((v) => v.size));
    const layout = present[0].v.layout;
    const ts = present.map((v) => b.asLayout(this.widen(v.v, size), layout));
    const [t] =
      kind === 'Add'
        ? b.node(
            'Sum',
            ts.map((q) => q.name),
          )
        : [ts.slice(1).reduce((a, q) => b.node('Mul', [a, q.name])[0], ts[0].name)];
    const shape = ts.map((q) => q.shape).reduce((a, s) => a.map((d, i) => (d === null || s[i] === null ? null : Math.max(d, s[i]!))));
    const widths = new Set(present.map(channels));
    const withMask = present.filter((v) => v.mask);
    let mask: string | undefined;
    const fold = (op: 'Max' | 'Min', vs: OnnxSupValue[]) => vs.map((v) => this.maskOf(v, size)).reduce((a, m) => b.node(op, [a, m])[0]);
    if (kind === 'Add' && (withMask.length === present.length || widths.size > 1)) mask = fold('Max', present);
    if (kind === 'Multiply' && withMask.length > 0) mask = fold('Min', withMask);
    return { v: { name: t, shape, layout }, size, ...(mask && { mask }) };
  }

  mix(site: string, weights: string | undefined, parts: MixPart<OnnxSupValue>[], aux?: { value: OnnxSupValue; beta: number }): OnnxSupValue {
    const b = this.b;
    const size = Math.max(...parts.map((p) => p.value.size));
    const layout = parts[0].value.v.layout;
    const ts = parts.map((p) => b.asLayout(this.widen(p.value.v, size), layout));
    const shape = ts[0].shape.join(',');
    const bad = ts.find((t) => t.shape.join(',') !== shape);
    if (bad)
      throw new Error(
        `supernet: the options at "${site}" give shapes [${ts[0].shape}] and [${bad.shape}]; a continuous relaxation sums them, so they must agree`,
      );
    const terms = ts.map((t, k) => b.node('Mul', [t.name, this.pick(weights!, parts[k].index)])[0]);
    if (aux) {
      if (!this.opts.auxBeta) throw new Error('supernet on onnxruntime: an auxiliary skip without its β input');
      const a = b.asLayout(this.widen(aux.value.v, size), layout);
      if (a.shape.join(',') === shape) terms.push(b.node('Mul', [a.name, this.opts.auxBeta])[0]);
    }
    const masked = this.opts.exactPaths || parts.some((p) => p.value.mask || channels(p.value) < size);
    const mask = masked
      ? b.node(
          'Sum',
          parts.map((p) => b.node('Mul', [this.maskOf(p.value, size), this.pick(weights!, p.index)])[0]),
        )[0]
      : undefined;
    const [t] = terms.length === 1 ? [terms[0]] : b.node('Sum', terms);
    return { v: { name: t, shape: ts[0].shape, layout }, size, ...(mask && { mask }) };
  }

  gate(value: OnnxSupValue, weights: string, index: number): OnnxSupValue {
    const w = this.pick(weights, index);
    const [t] = this.b.node('Mul', [value.v.name, w]);
    return { ...value, v: { ...value.v, name: t }, mask: this.b.node('Mul', [this.maskOf(value), w])[0] };
  }

  dropout(value: OnnxSupValue): OnnxSupValue {
    // The rate is fed with the mask (0 or 1/(1 − rate) per element), so one graph serves a
    // decaying schedule.
    const shape = physicalShape(value.v).map((d, i) => (i === 0 ? null : d));
    const name = this.b.fresh('op_dropout');
    this.b.addInput(name, shape);
    this.opDropout.push({ name, shape });
    const [t] = this.b.node('Mul', [value.v.name, name]);
    return { ...value, v: { ...value.v, name: t } };
  }

  channels(v: OnnxSupValue): number {
    return channels(v);
  }

  /** Probability of option `index`: a [1] slice of the decision's input (one node per option). */
  private pick(weights: string, index: number): string {
    const key = `${weights}#${index}`;
    let hit = this.picks.get(key);
    if (!hit) {
      const b = this.b;
      [hit] = b.node('Slice', [weights, b.int64s('s', [index]), b.int64s('e', [index + 1]), b.int64s('a', [0])]);
      this.picks.set(key, hit);
    }
    return hit;
  }

  /** `t` times a per-channel mask, broadcast along the value's channel axis. */
  private scale(v: OnnxValue, mask: string): OnnxValue {
    const b = this.b;
    const axis = channelAxis(v);
    const rank = v.shape.length;
    const m = axis === rank - 1 ? mask : b.node('Reshape', [mask, b.int64s('mshape', [-1, ...new Array<number>(rank - 2).fill(1)])])[0];
    return { ...v, name: b.node('Mul', [v.name, m])[0] };
  }

  /** A value's mask (ones when it has none), zero-padded to `size` channels when given. */
  private maskOf(v: OnnxSupValue, size?: number): string {
    const n = channels(v);
    const m = v.mask ?? this.b.floats('ones', new Array<number>(n).fill(1), [n]);
    if (size === undefined || size === n) return m;
    return this.b.node('Pad', [m, this.b.int64s('pads', [0, size - n])])[0];
  }

  /** `v` zero-padded to `size` channels (a narrower option adds nothing to the rest). */
  private widen(v: OnnxValue, size: number): OnnxValue {
    const n = v.shape[v.shape.length - 1] as number;
    if (n === size) return v;
    const rank = v.shape.length;
    const axis = channelAxis(v);
    const pads = new Array<number>(2 * rank).fill(0);
    pads[rank + axis] = size - n;
    const [t] = this.b.node('Pad', [v.name, this.b.int64s('pads', pads)]);
    return { ...v, name: t, shape: [...v.shape.slice(0, -1), size] };
  }

  private parse(kind: string, params: Record<string, unknown>): Record<string, unknown> {
    const key = `${kind}:${JSON.stringify(params)}`;
    let p = this.parsed.get(key);
    if (!p) {
      p = getLayer(kind)!.params.parse(params) as Record<string, unknown>;
      this.parsed.set(key, p);
    }
    return p;
  }
}

/** Channels a value holds (its tf.js last axis). */
function channels(v: OnnxSupValue): number {
  return v.v.shape[v.v.shape.length - 1] as number;
}

/** Physical axis of the channels: 1 for channels-first values of rank ≥ 3, else the last. */
function channelAxis(v: OnnxValue): number {
  return v.layout === 'first' && v.shape.length >= 3 ? 1 : v.shape.length - 1;
}

/** An ONNX-friendly base name for a weight set key (`cell~op=x` → `cell_op_x`). */
function sanitize(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_');
}
