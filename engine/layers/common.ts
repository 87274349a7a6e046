/**
 * Helpers shared by layer files: shape checks that produce good messages, conv/pool output
 * arithmetic, and param schemas that many kinds reuse (activation, regularizers).
 */
import { z } from 'zod';
import { ShapeError } from '../graph/errors.js';
import type { RegularizerParams, Shape, Tf } from './types.js';

/** Formats a shape like `[null,26,26,32]` for messages. */
export function fmtShape(s: Shape): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** Throws unless exactly `n` inputs arrived. */
export function expectInputs(kind: string, inputs: Shape[], n: number): void {
  if (inputs.length !== n) {
    throw new ShapeError(`${kind} expects ${n} input${n === 1 ? '' : 's'}, got ${inputs.length}`);
  }
}

/** Throws unless the single input has one of the given ranks (batch included). */
export function expectRank(kind: string, shape: Shape, ranks: number[], hint?: string): void {
  if (!ranks.includes(shape.length)) {
    const want = ranks.length === 1 ? `rank ${ranks[0]}` : `rank ${ranks.slice(0, -1).join(', ')} or ${ranks.at(-1)}`;
    throw new ShapeError(`${kind} expects ${want}, got ${fmtShape(shape)}${hint ? `: ${hint}` : ''}`);
  }
}

/** Throws unless every non-batch dimension is known (needed for weights). */
export function expectKnown(kind: string, shape: Shape, dims: number[]): void {
  for (const d of dims) {
    if (shape[d] === null) {
      throw new ShapeError(`${kind} needs dimension ${d} of its input to be known, got ${fmtShape(shape)}`);
    }
  }
}

/** Product of the non-batch dimensions; null when any is unknown. */
export function featureSize(shape: Shape): number | null {
  let p = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return null;
    p *= d;
  }
  return p;
}

/** Product of all entries of a concrete list. */
export function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Padding modes shared by conv and pool layers. */
export const paddingSchema = z.enum(['valid', 'same']);

/**
 * Output length of a conv/pool window along one axis (tf.js / Keras rules).
 * Returns null for an unknown input length.
 */
export function windowOutput(
  size: number | null,
  kernel: number,
  stride: number,
  padding: 'valid' | 'same',
  dilation = 1,
): number | null {
  if (size === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const eff = (kernel - 1) * dilation + 1;
  return Math.floor((size - eff) / stride) + 1;
}

/** Throws when a window output would be empty. */
export function expectPositive(kind: string, out: number | null, input: Shape, what: string): void {
  if (out !== null && out < 1) {
    throw new ShapeError(`${kind} ${what} is larger than its input ${fmtShape(input)}: output would be empty`);
  }
}

/** Activations of the Activation layer (Keras names). */
export const activationNames = [
  'linear',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'sigmoid',
  'tanh',
  'softmax',
  'swish',
] as const;

/**
 * Activations a layer can fuse (Dense, Conv, RNN `activation` params). tf.js has no fused
 * leaky ReLU identifier, so it is offered only as its own Activation node.
 */
export const fusedActivationSchema = z.enum(['linear', 'relu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish']);

/** A positive integer param. */
export const posInt = z.number().int().positive();

/** A 2-D size param given as one number or `[h, w]`. */
export const size2Schema = z.union([posInt, z.tuple([posInt, posInt])]);

/** Normalizes a size2 param to `[h, w]`. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** L1/L2 regularizer params, both defaulting to 0 (off). */
export const regularizerFields = {
  l1: z.number().nonnegative().default(0),
  l2: z.number().nonnegative().default(0),
};

/** Builds a tf.js regularizer from `{ l1, l2 }`, or undefined when both are 0. */
export function tfRegularizer(tf: Tf, p: RegularizerParams) {
  if (!p.l1 && !p.l2) return undefined;
  return tf.regularizers.l1l2({ l1: p.l1, l2: p.l2 });
}

