/**
 * The tensor algebra of the walk: a forward pass through the shared weights, along one path
 * or under a continuous relaxation.
 *
 * - Layers cut the shared weights to the path (ops.ts). A relaxed width computes the largest
 *   width and scales channel c by the probability that the width exceeds c (the channel-mask
 *   relaxation of FBNetV2, Wan et al. 2020), so a narrower option contributes zeros.
 * - Merges: Add/Multiply of equal widths; a channel Concatenate places each input at its
 *   slot's offset in the layout (a switched-off input leaves its rows empty).
 * - Mixes (relaxed decisions): each option widened to the common layout, weighted, summed;
 *   options of different spatial shape cannot be summed and are reported as such.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { getLayer } from '../../engine/layers/index.js';
import type { Tf } from '../../engine/layers/types.js';
import type { WeightBank } from './bank.js';
import { channelsOf, normalize, offsetMap, toLayout, type Value } from './channels.js';
import { applyWeighted, applyWeightless, type OpContext } from './ops.js';
import { isChannelConcat, unitKey, type StaticInfo } from './static.js';
import { hasWeights, InvalidPathError, type Algebra, type LayerCall, type MixPart } from './traverse.js';

/** Parsed params by kind + JSON, so a step does not re-run zod for every layer. */
const parsed = new Map<string, Record<string, unknown>>();

function parse(kind: string, params: Record<string, unknown>): Record<string, unknown> {
  const key = `${kind}:${JSON.stringify(params)}`;
  let p = parsed.get(key);
  if (!p) {
    p = getLayer(kind)!.params.parse(params) as Record<string, unknown>;
    parsed.set(key, p);
  }
  return p;
}

/** Weights of a relaxed decision: a probability per option, as a 1-D tensor. */
export type MixWeights = tfNs.Tensor;

/** Tensor values through the shared weights; see the module comment. */
export class TensorAlgebra implements Algebra<Value, MixWeights> {
  private readonly tf: Tf;

  constructor(
    private readonly bank: WeightBank,
    private readonly statics: StaticInfo,
    private readonly ctx: OpContext,
    private readonly x: tfNs.Tensor,
  ) {
    this.tf = ctx.tf;
  }

  input(): Value {
    return { t: this.x, map: null, size: this.x.shape[this.x.rank - 1] as number };
  }

  layer(call: LayerCall<MixWeights>, inputs: Value[]): Value {
    const key = unitKey(call);
    const p = parse(call.kind, call.params);
    const outSize = this.statics.out.get(key)?.at(-1) ?? channelsOf(inputs[0]);
    const x = inputs[0];
    const v = hasWeights(call.kind)
      ? applyWeighted(this.ctx, call.site, call.kind, this.bank.get(key), p, x, outSize as number)
      : applyWeightless(this.ctx, call.site, call.kind, p, x, outSize as number);
    let mask: tfNs.Tensor | undefined;
    if (call.width) {
      // P(width > c) per channel c: the options' indicator rows weighted by their probabilities.
      const n = channelsOf(v);
      const ind = this.tf.tensor2d(
        call.width.options.flatMap((w) => Array.from({ length: n }, (_, c) => (c < w ? 1 : 0))),
        [call.width.options.length, n],
      );
      mask = this.tf.reshape(this.tf.matMul(this.tf.reshape(call.width.weights, [1, -1]), ind), [n]);
    } else if (x.mask) {
      // The kind says whether a channel's absence carries through it (LayerDef.channelwise).
      const cw = getLayer(call.kind)!.channelwise;
      if (cw === 'same') mask = x.mask;
      else if (cw) mask = this.tf.reshape(this.tf.tile(this.tf.reshape(x.mask, [-1, 1]), [1, cw(p)]), [-1]);
    }
    return mask ? { ...v, t: this.tf.mul(v.t, mask), mask } : v;
  }

  merge(site: string, kind: string, params: Record<string, unknown>, inputs: (Value | null)[]): Value {
    const tf = this.tf;
    const present = inputs.filter((v): v is Value => v !== null);
    const rank = present[0].t.rank;
    if (kind === 'Concatenate' && isChannelConcat(params, rank)) {
      const slots = this.statics.slots.get(site) ?? present.map((v) => v.size);
      const maps: Int32Array[] = [];
      let offset = 0;
      inputs.forEach((v, i) => {
        if (v) maps.push(offsetMap(v.map, channelsOf(v), offset));
        offset += slots[i];
      });
      const joined = Int32Array.from(maps.flatMap((m) => [...m]));
      const t =
        present.length === 1
          ? present[0].t
          : this.guard(site, () =>
              tf.concat(
                present.map((v) => v.t),
                -1,
              ),
            );
      const masked = present.some((v) => v.mask);
      const mask = masked
        ? tf.concat(
            present.map((v) => this.maskOf(v)),
            0,
          )
        : undefined;
      return { t, map: normalize(joined), size: offset, ...(mask && { mask }) };
    }
    if (present.length === 1) return present[0];
    if (kind === 'Concatenate') {
      return {
        t: this.guard(site, () =>
          tf.concat(
            present.map((v) => v.t),
            (params.axis as number | undefined) ?? -1,
          ),
        ),
        map: null,
        size: channelsOf(present[0]),
      };
    }
    const size = Math.max(...present.map((v) => v.size));
    const widths = new Set(present.map(channelsOf));
    // Different widths add up only when every input is a full layout (a relaxed pass).
    const full = present.every((v) => v.map === null && channelsOf(v) === v.size);
    if (widths.size > 1 && !full) throw new InvalidPathError(`node "${site}" (${kind}) gets inputs of ${[...widths].join(' and ')} channels on this path`);
    const ts = widths.size > 1 ? present.map((v) => toLayout(tf, v, size)) : present.map((v) => v.t);
    const t = this.guard(site, () => (kind === 'Add' ? tf.addN(ts) : ts.reduce((a, b) => tf.mul(a, b))));
    // A channel exists if any addend has it (all factors, for Multiply).
    const withMask = present.filter((v) => v.mask);
    let mask: tfNs.Tensor | undefined;
    if (kind === 'Add' && (withMask.length === present.length || widths.size > 1))
      mask = present.map((v) => this.maskOf(v, size)).reduce((a, b) => tf.maximum(a, b));
    if (kind === 'Multiply' && withMask.length > 0) mask = withMask.map((v) => this.maskOf(v, size)).reduce((a, b) => tf.minimum(a, b));
    return { t, map: widths.size > 1 ? null : present[0].map, size, ...(mask && { mask }) };
  }

  mix(site: string, weights: MixWeights | undefined, parts: MixPart<Value>[], aux?: { value: Value; beta: number }): Value {
    const tf = this.tf;
    const size = Math.max(...parts.map((p) => p.value.size));
    const ts = parts.map((p) => toLayout(tf, p.value, size));
    const shape = ts[0].shape.join(',');
    const bad = ts.find((t) => t.shape.join(',') !== shape);
    if (bad)
      throw new Error(
        `supernet: the options at "${site}" give shapes [${ts[0].shape}] and [${bad.shape}]; a continuous relaxation (DARTS) sums them, so they must agree; search this space with SPOS or ENAS`,
      );
    const w = weights!;
    const terms = ts.map((t, k) => tf.mul(t, tf.slice(w, [parts[k].index], [1])));
    if (aux) {
      // DARTS-'s auxiliary skip, where the input has the output's shape.
      const a = toLayout(tf, aux.value, size);
      if (a.shape.join(',') === shape) terms.push(tf.mul(a, aux.beta));
    }
    const masked = parts.some((p) => p.value.mask || channelsOf(p.value) < size);
    const mask = masked ? tf.addN(parts.map((p) => tf.mul(this.maskOf(p.value, size), tf.slice(w, [p.index], [1])))) : undefined;
    return { t: tf.addN(terms), map: null, size, ...(mask && { mask }) };
  }

  gate(value: Value, weights: MixWeights, index: number): Value {
    const w = this.tf.slice(weights, [index], [1]);
    return { ...value, t: this.tf.mul(value.t, w), mask: this.tf.mul(this.maskOf(value), w) };
  }

  dropout(value: Value, rate: number): Value {
    return { ...value, t: this.tf.dropout(value.t, rate) };
  }

  /** A value's channel mask (ones when it has none), widened to `size` channels when given. */
  private maskOf(v: Value, size?: number): tfNs.Tensor {
    const m = v.mask ?? this.tf.ones([channelsOf(v)]);
    return size === undefined ? m : toLayout(this.tf, { t: m, map: v.map, size }, size);
  }

  channels(v: Value): number {
    return channelsOf(v);
  }

  /** Runs a tf op, turning a shape mismatch on this path into an InvalidPathError. */
  private guard(site: string, f: () => tfNs.Tensor): tfNs.Tensor {
    try {
      return f();
    } catch (e) {
      throw new InvalidPathError(`node "${site}": ${(e as Error).message}`);
    }
  }
}
