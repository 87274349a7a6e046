/**
 * Channel maps: how the channels of a value computed on one path line up with the rows of the
 * shared (largest) weight tensors.
 *
 * Every value in the supernet has a *layout*: the channel (last-axis) positions of the largest
 * candidate at that point, `size` of them. A path computes fewer channels where it picked a
 * smaller width, and a Concatenate whose inputs are narrower (or switched off) places its
 * parts at fixed offsets of the layout. The map says, for each channel the path actually
 * holds, which layout row it is; a consumer with weights over the input channels (a Conv2D
 * kernel's input axis, a BatchNorm's statistics) reads exactly those rows. `null` is the
 * common case "channel c is row c", which is a plain slice instead of a gather.
 *
 * Because the forward pass and the extraction of a sub-network use the same maps, the
 * extracted model gets exactly the weight rows the supernet used for that path.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../../engine/layers/types.js';

/** Layout row of each channel a value holds; null: channel c is row c. */
export type ChannelMap = Int32Array | null;

/** A tensor flowing through the supernet, with where its channels sit in the layout. */
export interface Value {
  t: tfNs.Tensor;
  map: ChannelMap;
  /** Channels of the layout (the largest candidate's channel count here). */
  size: number;
  /**
   * Relaxed passes only: per channel, the probability that the channel exists (a relaxed
   * width, a gated or mixed input). Ops that would turn an absent channel's zeros into
   * something else (BatchNorm's shift, a bias-free activation like sigmoid) are followed by
   * this mask, so a one-hot relaxation computes exactly its path.
   */
  mask?: tfNs.Tensor;
}

/** Channels a value actually holds. */
export function channelsOf(v: Value): number {
  return v.t.shape[v.t.rank - 1] as number;
}

/** The explicit rows of a map over `n` channels. */
export function rowsOf(map: ChannelMap, n: number): Int32Array {
  return map ?? Int32Array.from({ length: n }, (_, i) => i);
}

/** A map that is `0..n-1` in order collapses to null, so consumers can slice. */
export function normalize(map: Int32Array): ChannelMap {
  for (let i = 0; i < map.length; i++) if (map[i] !== i) return map;
  return null;
}

/**
 * The rows `map` of `t` along `axis` (a slice for the identity map, else a gather). Used on
 * weights: the gradient of a slice or gather flows back into the shared tensor.
 */
export function takeRows(tf: Tf, t: tfNs.Tensor, axis: number, map: ChannelMap, n: number): tfNs.Tensor {
  const ax = axis < 0 ? t.rank + axis : axis;
  if (map === null) {
    if (t.shape[ax] === n) return t;
    const begin = t.shape.map(() => 0);
    const size = t.shape.map((d, i) => (i === ax ? n : d));
    return tf.slice(t, begin, size);
  }
  return tf.gather(t, tf.tensor1d(map, 'int32'), ax);
}

/** The first `n` entries of `t` along `axis` (output widths are always prefixes). */
export function takePrefix(tf: Tf, t: tfNs.Tensor, axis: number, n: number): tfNs.Tensor {
  return takeRows(tf, t, axis, null, n);
}

/** `map` shifted by `offset` (a Concatenate input's rows in the joined layout). */
export function offsetMap(map: ChannelMap, n: number, offset: number): Int32Array {
  const rows = rowsOf(map, n);
  return rows.map((r) => r + offset);
}

/**
 * The map of a Flatten output: position p of the spatial grid and channel c land on row
 * `p * inSize + map[c]` of a layout that reserves `inSize` rows per position.
 */
export function flattenMap(map: ChannelMap, channels: number, positions: number, inSize: number): ChannelMap {
  if (map === null && channels === inSize) return null;
  const rows = rowsOf(map, channels);
  const out = new Int32Array(positions * channels);
  for (let p = 0; p < positions; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = p * inSize + rows[c];
  return normalize(out);
}

/**
 * `v` widened to its full layout of `size` channels: each channel at its row, zeros elsewhere.
 * Continuous relaxation sums alternatives of different widths this way (a narrower option
 * contributes nothing to the channels it does not have).
 */
export function toLayout(tf: Tf, v: Value, size: number): tfNs.Tensor {
  const n = channelsOf(v);
  if (v.map === null) {
    if (n === size) return v.t;
    const pad = v.t.shape.map((_, i) => [0, i === v.t.rank - 1 ? size - n : 0] as [number, number]);
    return tf.pad(v.t, pad);
  }
  // Gather from [channels..., one zero channel]: rows with no channel read the zero.
  const index = new Int32Array(size).fill(n);
  v.map.forEach((row, c) => (index[row] = c));
  const zero = tf.zerosLike(takePrefix(tf, v.t, -1, 1));
  return tf.gather(tf.concat([v.t, zero], -1), tf.tensor1d(index, 'int32'), v.t.rank - 1);
}
