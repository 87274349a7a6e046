/**
 * Layers applied along a path with the shared weights cut to that path: the input channels a
 * path holds select kernel rows (by channel map), a chosen width takes the first columns.
 * Each op uses the same tf.js kernels as the registry's tf.js layer of that kind (fused
 * conv/matMul with bias and relu/elu, `batchNorm`, the activation layer otherwise), so an
 * extracted sub-network computes what the supernet computed.
 *
 * Conv2D, Dense, BatchNorm, LayerNorm, DepthwiseConv2D and SeparableConv2D are written out
 * here because their weights follow a varying input width. Every other kind runs its built
 * tf.js layer as is: weightless kinds keep the channel map (or, for Flatten, spread it over
 * the positions), and weighted ones (Conv1D, recurrent, Embedding, …) need their input at the
 * full layout of their site.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { getLayer } from '../../engine/layers/index.js';
import { pair } from '../../engine/layers/common.js';
import type { Tf } from '../../engine/layers/types.js';
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
 * Applies a weighted layer of one of the written-out kinds, or its built tf.js layer.
 * `outSize` is the layout size of the site's output.
 */
export function applyWeighted(ctx: OpContext, site: string, kind: string, unit: tfNs.layers.Layer, p: P, x: Value, outSize: number): Value {
  const tf = ctx.tf;
  const w = named(unit);
  const cin = channelsOf(x);
  const used = new Map<string, tfNs.Tensor>();
  const take = (name: string, f: (t: tfNs.Tensor) => tfNs.Tensor): tfNs.Tensor | undefined => {
    const t = w.get(name);
    if (!t) return undefined;
    const cut = f(t);
    used.set(name, cut);
    return cut;
  };
  let out: Value;
  switch (kind) {
    case 'Conv2D': {
      const k = take('kernel', (t) => takePrefix(tf, takeRows(tf, t, 2, x.map, cin), 3, p.filters))!;
      const bias = take('bias', (t) => takePrefix(tf, t, 0, p.filters));
      const fused = FUSED.has(p.activation);
      const y = tf.fused.conv2d({
        x: x.t as tfNs.Tensor4D, filter: k as tfNs.Tensor4D, strides: pair(p.strides), pad: p.padding, dilations: pair(p.dilation),
        bias, activation: fused ? p.activation : 'linear',
      });
      out = { t: fused ? y : activate(tf, y, p.activation), map: null, size: outSize };
      break;
    }
    case 'Dense': {
      const k = take('kernel', (t) => takePrefix(tf, takeRows(tf, t, 0, x.map, cin), 1, p.units))! as tfNs.Tensor2D;
      const bias = take('bias', (t) => takePrefix(tf, t, 0, p.units));
      const fused = FUSED.has(p.activation);
      const lead = x.t.shape.slice(0, -1);
      const a = (x.t.rank === 2 ? x.t : tf.reshape(x.t, [-1, cin])) as tfNs.Tensor2D;
      let y: tfNs.Tensor = tf.fused.matMul({ a, b: k, bias, activation: fused ? p.activation : 'linear' });
      if (x.t.rank !== 2) y = tf.reshape(y, [...lead, p.units]);
      out = { t: fused ? y : activate(tf, y, p.activation), map: null, size: outSize };
      break;
    }
    case 'BatchNorm':
    case 'LayerNorm': {
      const rows = (t: tfNs.Tensor) => takeRows(tf, t, 0, x.map, cin);
      const gamma = take('gamma', rows);
      const beta = take('beta', rows);
      let mean: tfNs.Tensor;
      let variance: tfNs.Tensor;
      if (kind === 'LayerNorm') ({ mean, variance } = tf.moments(x.t, -1, true));
      else if (ctx.batchStats) ({ mean, variance } = tf.moments(x.t, x.t.shape.slice(0, -1).map((_, i) => i)));
      else [mean, variance] = [take('moving_mean', rows)!, take('moving_variance', rows)!];
      if (kind === 'BatchNorm') {
        // Moving averages are always part of the weights: record the path's rows of them.
        for (const n of ['moving_mean', 'moving_variance']) if (!used.has(n)) take(n, rows);
        if (ctx.batchStats && ctx.updateStats) updateMoving(ctx, unit, x, cin, p.momentum, mean, variance);
      }
      if (kind === 'LayerNorm') {
        // As tf.js's LayerNormalization: tf.js's batchNorm kernels do not broadcast, so the
        // statistics and the scale/offset are tiled to the input's shape first.
        const shape = x.t.shape;
        const full = (t: tfNs.Tensor | undefined, last: boolean) =>
          t && tf.tile(last ? tf.reshape(t, [...shape.slice(0, -1).map(() => 1), cin]) : t, last ? [...shape.slice(0, -1), 1] : [...shape.slice(0, -1).map(() => 1), cin]);
        out = { t: tf.batchNorm(x.t, full(mean, false)!, full(variance, false)!, full(beta, true), full(gamma, true), p.epsilon), map: x.map, size: x.size };
      } else {
        out = { t: tf.batchNorm(x.t, mean, variance, beta, gamma, p.epsilon), map: x.map, size: x.size };
      }
      break;
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const mult = p.depthMultiplier as number;
      const dk = take('depthwise_kernel', (t) => takeRows(tf, t, 2, x.map, cin))! as tfNs.Tensor4D;
      const dmap = depthMap(x.map, cin, mult, x.size);
      let y: tfNs.Tensor;
      let map: ChannelMap = null;
      if (kind === 'DepthwiseConv2D') {
        y = tf.depthwiseConv2d(x.t as tfNs.Tensor4D, dk, pair(p.strides), p.padding);
        const bias = take('bias', (t) => takeRows(tf, t, 0, dmap, cin * mult));
        if (bias) y = tf.add(y, bias);
        map = dmap;
      } else {
        const pk = take('pointwise_kernel', (t) => takePrefix(tf, takeRows(tf, t, 2, dmap, cin * mult), 3, p.filters))! as tfNs.Tensor4D;
        y = tf.separableConv2d(x.t as tfNs.Tensor4D, dk, pk, pair(p.strides), p.padding, pair(p.dilation), 'NHWC');
        const bias = take('bias', (t) => takePrefix(tf, t, 0, p.filters));
        if (bias) y = tf.add(y, bias);
      }
      out = { t: activate(tf, y, p.activation), map, size: outSize };
      break;
    }
    default: {
      if (x.map !== null || cin !== x.size) {
        throw new Error(`supernet: node "${site}" (${kind}): its input channels vary with the path (${cin} of ${x.size}); weight sharing follows varying widths into Conv2D, Dense, BatchNorm, LayerNorm, DepthwiseConv2D and SeparableConv2D only`);
      }
      const y = unit.apply(x.t, { training: ctx.training }) as tfNs.Tensor;
      unit.weights.forEach((v) => used.set(v.originalName.split('/').pop()!, v.read()));
      out = { t: y, map: null, size: outSize };
    }
  }
  record(ctx, site, unit, used);
  return out;
}

/** BatchNorm moving averages of the path's rows: m <- m - (1 - momentum)(m - batch), as tf.js. */
function updateMoving(ctx: OpContext, unit: tfNs.layers.Layer, x: Value, cin: number, momentum: number, mean: tfNs.Tensor, variance: tfNs.Tensor): void {
  const tf = ctx.tf;
  for (const [name, value] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
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
    if (x.map !== null || cin !== x.size) throw new Error(`supernet: node "${site}" (Reshape): its input width varies with the path; Reshape needs a fixed one`);
    return { t: y, map: null, size: outSize };
  }
  return { t: y, map: x.map, size: x.size };
}
