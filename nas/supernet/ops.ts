/**
 * Layers applied along a path with the shared weights cut to that path: the input channels a
 * path holds select kernel rows (by channel map), a chosen width takes the first columns.
 * How a kind computes on cut weights lives in its own file (LayerDef.sliced: Conv2D, Dense,
 * BatchNorm, LayerNorm, DepthwiseConv2D, SeparableConv2D), with the same tf.js kernels as
 * its tf.js layer, so an extracted sub-network computes what the supernet computed; this
 * file does the cutting and records what was used. Every other kind runs its built tf.js
 * layer as is: weightless kinds keep the channel map (or, for Flatten, spread it over the
 * positions), and weighted ones (Conv1D, recurrent, Embedding, …) need their input at the
 * full layout of their site.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { getLayer } from '../../engine/layers/index.js';
import type { Tf, WeightCut } from '../../engine/layers/types.js';
import { channelsOf, flattenMap, normalize, rowsOf, takePrefix, takeRows, toLayout, type ChannelMap, type Value } from './channels.js';

/** How a forward pass treats training-only behaviour, and whether it records weights. */
export interface OpContext {
  tf: Tf;
  /** Dropout active. */
  training: boolean;
  /** BatchNorm normalizes with the batch's statistics (else the moving averages). */
  batchStats: boolean;
  /** BatchNorm moving averages are updated (weight-training steps only). */
  updateStats: boolean;
  /** When set, each weighted site's weights as this path used them (kept tensors, in tf.js order). */
  record?: Map<string, tfNs.Tensor[]>;
}

/** Activations tf.js fuses into conv/matMul kernels (as its layers do). */
const FUSED = new Set(['linear', 'relu', 'elu']);

const activationLayers = new Map<string, tfNs.layers.Layer>();

/** Applies a named activation the way tf.js layers do. */
function activate(tf: Tf, t: tfNs.Tensor, name: string): tfNs.Tensor {
  if (name === 'linear') return t;
  let l = activationLayers.get(name);
  if (!l) {
    l = tf.layers.activation({ activation: name as 'relu' });
    activationLayers.set(name, l);
  }
  return l.apply(t) as tfNs.Tensor;
}

/** The weights of a built layer by their short name (`kernel`, `moving_mean`, …). */
function named(unit: tfNs.layers.Layer): Map<string, tfNs.Tensor> {
  return new Map(unit.weights.map((w) => [w.originalName.split('/').pop()!, w.read()]));
}

/** Remembers the path's weights, in the layer's own order, for extraction. */
function record(ctx: OpContext, site: string, unit: tfNs.layers.Layer, used: Map<string, tfNs.Tensor>): void {
  if (!ctx.record) return;
  ctx.record.set(
    site,
    unit.weights.map((w) => ctx.tf.keep(used.get(w.originalName.split('/').pop()!)!.clone())),
  );
}

/** Rows of a depthwise output: input channel c with multiplier m sits at c*mult + m. */
function depthMap(map: ChannelMap, channels: number, mult: number, inSize: number): ChannelMap {
  if (map === null && channels === inSize) return null;
  const rows = rowsOf(map, channels);
  const out = new Int32Array(channels * mult);
  for (let c = 0; c < channels; c++) for (let m = 0; m < mult; m++) out[c * mult + m] = rows[c] * mult + m;
  return normalize(out);
}

type P = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Applies a weighted layer: through its kind's `sliced` hook (engine/layers, LayerDef.sliced)
 * with the shared weights cut to the path, or else its built tf.js layer on a full-width
 * input. `outSize` is the layout size of the site's output.
 */
export function applyWeighted(ctx: OpContext, site: string, kind: string, unit: tfNs.layers.Layer, p: P, x: Value, outSize: number): Value {
  const tf = ctx.tf;
  const w = named(unit);
  const cin = channelsOf(x);
  const used = new Map<string, tfNs.Tensor>();
  const def = getLayer(kind)!;
  let out: Value;
  if (def.sliced) {
    const take = (name: string, cut: WeightCut): tfNs.Tensor | undefined => {
      const hit = used.get(name);
      if (hit) return hit;
      let t = w.get(name);
      if (!t) return undefined;
      if (cut.rows !== undefined) t = takeRows(tf, t, cut.rows, x.map, cin);
      if (cut.depthRows) t = takeRows(tf, t, cut.depthRows.axis, depthMap(x.map, cin, cut.depthRows.multiplier, x.size), cin * cut.depthRows.multiplier);
      if (cut.prefix) t = takePrefix(tf, t, cut.prefix.axis, cut.prefix.n);
      used.set(name, t);
      return t;
    };
    const r = def.sliced(
      {
        tf,
        x: x.t,
        channels: cin,
        batchStats: ctx.batchStats,
        take,
        fusable: (a) => FUSED.has(a),
        activate: (t, a) => activate(tf, t, a),
        updateMoving: (mean, variance, momentum) => {
          if (ctx.updateStats) updateMoving(ctx, unit, x, cin, momentum, mean, variance);
        },
      },
      p,
    );
    if (r.channels === 'input') out = { t: r.t, map: x.map, size: x.size };
    else if (r.channels === 'own') out = { t: r.t, map: null, size: outSize };
    else out = { t: r.t, map: depthMap(x.map, cin, r.channels.depthwise, x.size), size: outSize };
  } else {
    if (x.map !== null || cin !== x.size) {
      throw new Error(
        `supernet: node "${site}" (${kind}): its input channels vary with the path (${cin} of ${x.size}); weight sharing follows varying widths only into kinds with a \`sliced\` hook (Conv2D, Dense, BatchNorm, LayerNorm, DepthwiseConv2D, SeparableConv2D)`,
      );
    }
    const y = unit.apply(x.t, { training: ctx.training }) as tfNs.Tensor;
    unit.weights.forEach((v) => used.set(v.originalName.split('/').pop()!, v.read()));
    out = { t: y, map: null, size: outSize };
  }
  record(ctx, site, unit, used);
  return out;
}

/** BatchNorm moving averages of the path's rows: m <- m - (1 - momentum)(m - batch), as tf.js. */
function updateMoving(ctx: OpContext, unit: tfNs.layers.Layer, x: Value, cin: number, momentum: number, mean: tfNs.Tensor, variance: tfNs.Tensor): void {
  const tf = ctx.tf;
  for (const [name, value] of [
    ['moving_mean', mean],
    ['moving_variance', variance],
  ] as const) {
    const v = unit.weights.find((w) => w.originalName.endsWith(`/${name}`))!;
    tf.tidy(() => {
      const full = v.read();
      const delta = tf.mul(tf.sub(takeRows(tf, full, 0, x.map, cin), value), 1 - momentum);
      v.write(tf.sub(full, toLayout(tf, { t: delta, map: x.map, size: x.size }, x.size)));
    });
  }
}

const weightless = new Map<string, tfNs.layers.Layer>();

/** Applies a weightless layer (pooling, activation, dropout, reshaping) through its tf.js layer. */
export function applyWeightless(ctx: OpContext, site: string, kind: string, params: Record<string, unknown>, x: Value, outSize: number): Value {
  const tf = ctx.tf;
  const def = getLayer(kind)!;
  const inShape = [null, ...x.t.shape.slice(1)];
  // Reshape's tf.js layer depends on its input shape; the others only on their params.
  const key = `${kind}:${JSON.stringify(params)}${kind === 'Reshape' ? JSON.stringify(inShape) : ''}`;
  let layer = weightless.get(key);
  if (!layer) {
    layer = def.toTfjs(tf, def.params.parse(params), `supernet_${kind}_${weightless.size}`, [inShape])!;
    weightless.set(key, layer);
  }
  const y = layer.apply(x.t, { training: ctx.training }) as tfNs.Tensor;
  const cin = channelsOf(x);
  if (kind === 'Flatten') {
    const positions = x.t.shape.slice(1, -1).reduce((a: number, b) => a * b, 1);
    return { t: y, map: flattenMap(x.map, cin, positions, x.size), size: outSize };
  }
  if (kind === 'Reshape') {
    if (x.map !== null || cin !== x.size)
      throw new Error(`supernet: node "${site}" (Reshape): its input width varies with the path; Reshape needs a fixed one`);
    return { t: y, map: null, size: outSize };
  }
  return { t: y, map: x.map, size: x.size };
}
