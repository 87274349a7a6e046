/**
 * Helpers shared by layer files: shape checks that produce good messages, conv/pool output
 * arithmetic, and param schemas that many kinds reuse (activation, regularizers).
 */
import { z } from 'zod';
import { ShapeError } from '../graph/errors.js';
import type { LayerDef, RegularizerParams, Shape, Tf } from './types.js';

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
export function windowOutput(size: number | null, kernel: number, stride: number, padding: 'valid' | 'same', dilation = 1): number | null {
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
export const activationNames = ['linear', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'swish'] as const;

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

/** Throws unless at least `n` inputs arrived (merge layers). */
export function expectAtLeast(kind: string, inputs: Shape[], n: number, hint?: string): void {
  if (inputs.length < n) {
    throw new ShapeError(`${kind} expects at least ${n} inputs, got ${inputs.length}${hint ? `: ${hint}` : ''}`);
  }
}

/** Throws unless the input has at least `min` dimensions (batch included). */
export function expectMinRank(kind: string, shape: Shape, min: number, hint?: string): void {
  if (shape.length < min) {
    throw new ShapeError(`${kind} expects rank ${min} or more, got ${fmtShape(shape)}${hint ? `: ${hint}` : ''}`);
  }
}

/**
 * Resolves a possibly negative axis against a rank (Python style) and rejects the batch
 * axis, because every layer here works per sample.
 */
export function resolveAxis(kind: string, axis: number, shape: Shape): number {
  const rank = shape.length;
  const a = axis < 0 ? rank + axis : axis;
  if (a < 1 || a >= rank) {
    throw new ShapeError(
      `${kind} axis ${axis} is out of range for input ${fmtShape(shape)}: expected 1..${rank - 1} or -${rank - 1}..-1 (axis 0 is the batch)`,
    );
  }
  return a;
}

/** A rate in [0, 1), for dropout. */
export const rateSchema = z.number().min(0).lt(1);

/** Number of elements per sample (non-batch dims); unknown dims count as 1 for FLOP estimates. */
export function elementsPerSample(shape: Shape): number {
  return shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
}

/**
 * tf.js (like Keras) rejects strides > 1 together with dilation > 1 in conv layers; catching
 * it here gives the designer a message instead of a failure at compile time.
 */
export function expectNoStrideDilation(kind: string, strides: number[], dilation: number[]): void {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    throw new ShapeError(`${kind} cannot combine strides > 1 with dilation > 1 (tf.js restriction): set one of them to 1`);
  }
}

/**
 * Spatial output of a 2-D window op (conv or pool) over an NHWC shape; throws when the
 * window is larger than the (valid-padded) input.
 */
export function window2D(
  kind: string,
  s: Shape,
  kernel: [number, number],
  strides: [number, number],
  padding: 'valid' | 'same',
  dilation: [number, number] = [1, 1],
): [number | null, number | null] {
  const h = windowOutput(s[1], kernel[0], strides[0], padding, dilation[0]);
  const w = windowOutput(s[2], kernel[1], strides[1], padding, dilation[1]);
  expectPositive(kind, h, s, `window ${kernel[0]}×${kernel[1]}`);
  expectPositive(kind, w, s, `window ${kernel[0]}×${kernel[1]}`);
  return [h, w];
}

/** Recurrent-gate activations. tf.js defaults to hardSigmoid; we default to sigmoid (Keras 2.3+, ONNX-friendly). */
export const recurrentActivationSchema = z.enum(['sigmoid', 'hardSigmoid']);

/** Param fields shared by SimpleRNN, LSTM and GRU. */
export const rnnFields = {
  units: posInt,
  activation: fusedActivationSchema.default('tanh'),
  useBias: z.boolean().default(true),
  /** true: output every step `[batch, time, units]`; false: only the last `[batch, units]`. */
  returnSequences: z.boolean().default(false),
  /** Process the sequence in reverse order (as tf.js `goBackwards`). */
  goBackwards: z.boolean().default(false),
  /** Dropout on the inputs of each step (training only). */
  dropout: rateSchema.default(0),
  /** Dropout on the recurrent state of each step (training only). */
  recurrentDropout: rateSchema.default(0),
  ...regularizerFields,
};

/**
 * Shape inference shared by the recurrent kinds: `[batch, time, features]` ->
 * `[batch, time, units]` or `[batch, units]`. The time axis may be unknown (null).
 */
export function rnnInfer(kind: string, p: { units: number; returnSequences: boolean }, inputs: Shape[]): Shape[] {
  expectInputs(kind, inputs, 1);
  const [s] = inputs;
  expectRank(
    kind,
    s,
    [3],
    s.length === 2
      ? `${kind} takes [batch, time, features]; add Reshape (e.g. targetShape [-1, 1]) or Embedding before it`
      : `${kind} takes [batch, time, features]`,
  );
  expectKnown(kind, s, [2]);
  return [p.returnSequences ? [s[0], s[1], p.units] : [s[0], p.units]];
}

/**
 * Parameters and FLOPs of a recurrent layer with `gates` weight blocks (1 SimpleRNN,
 * 4 LSTM, 3 GRU with reset_after = false). An unknown time axis counts as one step.
 */
export function rnnCost(gates: number, p: { units: number; useBias: boolean }, [s]: Shape[]) {
  const inF = s[2] as number;
  const u = p.units;
  const params = gates * (inF * u + u * u + (p.useBias ? u : 0));
  const steps = s[1] ?? 1;
  // Per step: the two matmuls (multiply-add = 2) plus a few elementwise ops per gate unit.
  const flops = steps * (gates * 2 * (inF + u) * u + gates * 4 * u);
  return { params, flops };
}

/**
 * Merges equal shapes for elementwise merge layers (Add, Multiply): ranks must match and
 * every dimension must agree, an unknown (null) dimension agreeing with anything. We do not
 * offer broadcasting, so a wrong edge is caught in the designer rather than silently.
 */
export function mergeEqualShapes(kind: string, inputs: Shape[]): Shape {
  expectAtLeast(kind, inputs, 2, `connect two or more edges to ${kind}`);
  const out = [...inputs[0]];
  for (let i = 1; i < inputs.length; i++) {
    const s = inputs[i];
    const ok = s.length === out.length && s.every((d, j) => d === null || out[j] === null || d === out[j]);
    if (!ok) {
      throw new ShapeError(`${kind} expects inputs of equal shape, got ${fmtShape(inputs[0])} (input 1) and ${fmtShape(s)} (input ${i + 1})`);
    }
    s.forEach((d, j) => {
      if (out[j] === null) out[j] = d;
    });
  }
  return out;
}

/** Whether a dilation (one rate or one per axis) spreads the kernel, i.e. is > 1 anywhere. */
export function isDilated(d: number | readonly number[] | undefined): boolean {
  return typeof d === 'number' ? d > 1 : Array.isArray(d) && d.some((x) => x > 1);
}

/** A kind as a family factory builds it: everything but its per-kind docs. */
export type LayerBase<P> = Omit<LayerDef<P>, 'paramDocs' | 'explainShape'>;

/**
 * A family-built kind completed in its own file with what only that kind knows: its param
 * descriptions and shape explanation (designer docs) and optional traits (weight sharing).
 */
export function extendKind<P>(base: LayerBase<P>, own: Pick<LayerDef<P>, 'paramDocs' | 'explainShape'> & Partial<LayerDef<P>>): LayerDef<P> {
  return { ...base, ...own };
}
