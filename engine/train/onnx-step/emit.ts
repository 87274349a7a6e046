/**
 * Small emission helpers shared by the loss, regularizer, clipping and optimizer emitters.
 * They take the builder directly (these parts run after the forward pass, outside any
 * gradient rule). Everything here needs opset ≥ 13 (ReduceSum and Unsqueeze take their axes
 * as inputs), which every opset the trainer compiles for satisfies.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import type { Attr } from '../../onnx/values.js';

/** ONNX TensorProto element types used by Cast. */
export const DT = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;

/** Emits one node and returns its single output. */
export function op(b: OnnxBuilder, type: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
  return b.node(type, inputs, attrs)[0];
}

/** Emits one node whose output gets a readable fresh name (state outputs, new weights). */
export function named(b: OnnxBuilder, base: string, type: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
  return b.node(type, inputs, attrs, [b.fresh(base)])[0];
}

// Constants are cached per builder so a graph with many weights holds one `0.9`, not one per
// weight. Keyed by the float's bit pattern so −0 and 0 stay apart.
const floatCache = new WeakMap<OnnxBuilder, Map<string, string>>();

/**
 * A float32 scalar constant. `v` is rounded to float32 exactly as tf.js rounds a JS number
 * it turns into a scalar tensor, so constants like `1 − β` are computed in double first
 * (as tf.js does) and rounded once.
 */
export function scalar(b: OnnxBuilder, v: number): string {
  let m = floatCache.get(b);
  if (!m) floatCache.set(b, (m = new Map()));
  const key = Object.is(v, -0) ? '-0' : String(Math.fround(v));
  const hit = m.get(key);
  if (hit) return hit;
  const name = b.floats('c', [v], []);
  m.set(key, name);
  return name;
}

/** An int64 constant of rank 0 (`Gather` index, `Range` bounds). */
export function int64Scalar(b: OnnxBuilder, v: number): string {
  const name = b.fresh('i');
  b.constants.set(name, { data: BigInt64Array.from([BigInt(v)]), dims: [] });
  return name;
}

/** Sum of every element, as a scalar. */
export function sumAll(b: OnnxBuilder, x: string): string {
  return op(b, 'ReduceSum', [x], { keepdims: { i: 0 } });
}

/** Sum over the last axis, keeping it (size 1) when `keep`. */
export function sumLast(b: OnnxBuilder, x: string, keep: boolean): string {
  return op(b, 'ReduceSum', [x, b.int64s('axis', [-1])], { keepdims: { i: keep ? 1 : 0 } });
}

/** Number of elements of `x` as a float scalar (the divisor of a mean over `x`). */
export function countOf(b: OnnxBuilder, x: string): string {
  return op(b, 'Cast', [op(b, 'Size', [x])], { to: { i: DT.FLOAT } });
}

/** Casts to float32. */
export function toFloat(b: OnnxBuilder, x: string): string {
  return op(b, 'Cast', [x], { to: { i: DT.FLOAT } });
}

/** `x` reshaped to the runtime shape of `like` (tf.js's `yTrue.reshape(yPred.shape)`). */
export function reshapeLike(b: OnnxBuilder, x: string, like: string): string {
  return op(b, 'Reshape', [x, op(b, 'Shape', [like])]);
}
