/**
 * Pure value types for ONNX emission (no protobuf import), shared by layer files' `toOnnx`
 * and the builder: values with their tf.js shape and physical layout, attribute helpers,
 * layout permutations.
 */
import type { Shape } from '../util/tensor-types.js';

/** Physical layout of an ONNX value relative to tf.js: same (`last`) or channels-first. */
export type Layout = 'last' | 'first';

/** A value in the graph being built: its ONNX name, tf.js shape and physical layout. */
export interface OnnxValue {
  name: string;
  /** Shape in tf.js (channels-last) terms, batch first. */
  shape: Shape;
  layout: Layout;
}

/** An attribute value with its ONNX type made explicit. */
export type Attr = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] } | { strings: string[] } | { t: unknown };

/** Attribute constructors, so call sites read `attr.ints([1, 1])`. */
export const attr = {
  i: (v: number): Attr => ({ i: v }),
  f: (v: number): Attr => ({ f: v }),
  s: (v: string): Attr => ({ s: v }),
  ints: (v: number[]): Attr => ({ ints: v }),
  floats: (v: number[]): Attr => ({ floats: v }),
  strings: (v: string[]): Attr => ({ strings: v }),
};

/** Permutation from channels-last to channels-first for a rank-r tensor. */
export function toFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** Permutation from channels-first to channels-last for a rank-r tensor. */
export function toLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** Shape in physical order for a value's layout. */
export function physicalShape(v: OnnxValue): Shape {
  if (v.layout === 'last' || v.shape.length < 3) return v.shape;
  return toFirstPerm(v.shape.length).map((i) => v.shape[i]);
}

/** One emitted node, kept as plain data until serialisation (autodiff walks these). */
export interface IrNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  domain: string;
}

/** A constant tensor the builder holds (initializer). */
export interface IrConstant {
  data: Float32Array | Int32Array | BigInt64Array;
  dims: number[];
}

/** A trainable weight that became a graph input (training mode). */
export interface IrParam {
  /** Graph input name. */
  name: string;
  /** Node id of the layer it belongs to. */
  node: string;
  /** Index in that tf.js layer's getWeights() order. */
  index: number;
  /** Shape in tf.js layout (what the graph input takes). */
  shape: number[];
}

/** Non-trainable state fed in and updated by a training step (BatchNorm moving statistics). */
export interface IrState {
  name: string;
  node: string;
  index: number;
  shape: number[];
  /** Value name of the updated state, set by the layer in training mode. */
  next?: string;
}

/**
 * Forward nodes the training compiler differentiates as one virtual node with a fused
 * gradient rule (e.g. BatchNorm's closed-form backward instead of the generic rules of its
 * Sub/Mul/ReduceMean/Sqrt pieces). The members stay in the graph as emitted; `node` exists
 * only for the autodiff (its op names a rule, never a serialised ONNX op).
 */
export interface IrGradRegion {
  node: IrNode;
  /** The emitted nodes `node` stands for (by identity). */
  members: IrNode[];
}

/** A dropout mask fed in per step (training mode): 0 or 1/(1-rate), drawn from a seeded Rng. */
export interface IrMask {
  name: string;
  node: string;
  /** Shape with null batch (and null unknown) dimensions. */
  shape: Shape;
  rate: number;
}
