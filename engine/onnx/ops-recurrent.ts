/**
 * Emission of tf.js SimpleRNN / LSTM / GRU as the ONNX RNN / LSTM / GRU ops. Pure (no
 * protobuf import), so layer files stay importable by the renderer.
 *
 * Traps this file avoids:
 * - Gate order: tf.js packs LSTM kernels as i,f,c,o but ONNX wants i,o,f,c; GRU is z,r,h in
 *   both. Weights are re-ordered on the CPU, once, at export.
 * - Kernel orientation: tf.js kernels are [input, gates·units] (x·W); ONNX W is
 *   [dirs, gates·hidden, input] (X·Wᵀ), so every kernel is transposed.
 * - Bias: tf.js has one bias; ONNX B is [Wb, Rb], so Rb is zero.
 * - goBackwards: tf.js reverses the input and stacks step outputs in processing order, so
 *   the sequence it returns is reversed in time. ONNX direction='reverse' returns Y in input
 *   order instead, so we reverse the input ourselves (Slice, step −1) and run forward: the
 *   outputs then match tf.js exactly, Y_h included.
 * - Layout: the `layout` attribute exists only from opset 14, so we always transpose to
 *   time-major [seq, batch, input] explicitly, which works at every supported opset.
 * - Activations: only a fixed set exists inside ONNX recurrent ops; arguments (alpha/beta)
 *   are consumed only by the functions that take them, in order.
 */
import type { OnnxBuilder } from './builder.js';
import { transposeData } from './ops.js';
import { attr, type Attr, type OnnxValue } from './values.js';

/** The three recurrent kinds. */
export type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

/** The params the emitter needs (a subset of the layers' rnnFields). */
export interface RecurrentParams {
  units: number;
  activation: string;
  recurrentActivation?: string;
  useBias: boolean;
  returnSequences: boolean;
  goBackwards: boolean;
}

interface OnnxFn {
  name: string;
  alpha?: number;
  beta?: number;
}

/** tf.js activation name -> ONNX recurrent activation (with tf.js's constants). */
function onnxFn(kind: RecurrentKind, fn: string): OnnxFn {
  switch (fn) {
    case 'tanh':
      return { name: 'Tanh' };
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'relu':
      return { name: 'Relu' };
    case 'elu':
      return { name: 'Elu', alpha: 1 };
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 };
    // tf.js hardSigmoid is clip(0.2·x + 0.5, 0, 1): ONNX HardSigmoid with the same constants.
    case 'hardSigmoid':
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    default:
      throw new Error(`${kind} activation "${fn}" has no ONNX ${kind === 'SimpleRNN' ? 'RNN' : kind} equivalent (supported: linear, relu, elu, sigmoid, tanh)`);
  }
}

/** ONNX's defaults per op; when they match, the attributes are left out. */
const DEFAULT_FNS: Record<RecurrentKind, string[]> = {
  SimpleRNN: ['Tanh'],
  LSTM: ['Sigmoid', 'Tanh', 'Tanh'],
  GRU: ['Sigmoid', 'Tanh'],
};

/** The activations attributes: names plus the alphas/betas of those that take them. */
function activationAttrs(kind: RecurrentKind, fns: OnnxFn[]): Record<string, Attr> {
  const names = fns.map((f) => f.name);
  // Default activations need no attribute at all (and so no STRINGS support).
  if (names.join() === DEFAULT_FNS[kind].join()) return {};
  const attrs: Record<string, Attr> = { activations: attr.strings(names) };
  const alphas = fns.filter((f) => f.alpha !== undefined).map((f) => f.alpha as number);
  const betas = fns.filter((f) => f.beta !== undefined).map((f) => f.beta as number);
  if (alphas.length) attrs.activation_alpha = attr.floats(alphas);
  if (betas.length) attrs.activation_beta = attr.floats(betas);
  return attrs;
}

/**
 * A tf.js kernel [rows, gates·units] as ONNX [1, gates·units, rows], with the gate blocks
 * taken in `order` (indices into the tf.js blocks).
 */
export function gateMatrix(kernel: { data: Float32Array; shape: number[] }, units: number, order: number[]): { data: Float32Array; shape: number[] } {
  const t = transposeData(kernel.data, kernel.shape, [1, 0]);
  const rows = kernel.shape[0];
  const block = units * rows;
  const out = new Float32Array(t.data.length);
  order.forEach((src, dst) => out.set(t.data.subarray(src * block, (src + 1) * block), dst * block));
  return { data: out, shape: [1, order.length * units, rows] };
}

/** A tf.js bias [gates·units] as ONNX B [1, 2·gates·units] = [Wb (re-ordered), Rb = 0]. */
export function gateBias(bias: Float32Array, units: number, order: number[]): { data: Float32Array; shape: number[] } {
  const out = new Float32Array(2 * order.length * units);
  order.forEach((src, dst) => out.set(bias.subarray(src * units, (src + 1) * units), dst * units));
  return { data: out, shape: [1, 2 * order.length * units] };
}

const GATES: Record<RecurrentKind, { op: string; order: number[] }> = {
  SimpleRNN: { op: 'RNN', order: [0] },
  // tf.js i,f,c,o -> ONNX i,o,f,c.
  LSTM: { op: 'LSTM', order: [0, 3, 1, 2] },
  GRU: { op: 'GRU', order: [0, 1, 2] },
};

/**
 * Emits one recurrent layer. `weights` are tf.js getWeights(): kernel, recurrent kernel and
 * (when useBias) bias. Returns [batch, time, units] or [batch, units] in 'last' layout.
 */
export function emitRecurrent(
  ctx: OnnxBuilder,
  kind: RecurrentKind,
  p: RecurrentParams,
  x: OnnxValue,
  weights: { data: Float32Array; shape: number[] }[],
  name: string,
): OnnxValue {
  const { op, order } = GATES[kind];
  const act = onnxFn(kind, p.activation);
  // tf.js uses `activation` for both the LSTM cell candidate and its output (g and h).
  const fns =
    kind === 'SimpleRNN'
      ? [act]
      : kind === 'GRU'
        ? [onnxFn(kind, p.recurrentActivation ?? 'sigmoid'), act]
        : [onnxFn(kind, p.recurrentActivation ?? 'sigmoid'), act, act];
  if (ctx.weightsAsInputs) {
    // The gate re-ordering runs on the CPU, and the ONNX RNN/LSTM/GRU ops have no gradient
    // rules here: recurrent layers train on tf.js.
    throw new Error(`${kind} trains on the tf.js backends only (no onnxruntime training support for recurrent layers)`);
  }
  const [kernel, recurrent, bias] = weights;
  const u = p.units;

  // [batch, time, in] -> time-major [time, batch, in].
  const v = ctx.asLayout(x, 'last');
  let seq = ctx.node('Transpose', [v.name], { perm: attr.ints([1, 0, 2]) })[0];
  if (p.goBackwards) {
    // Reverse the time axis (step −1 from the last element through the first; the huge
    // negative end is clamped, and works with an unknown sequence length).
    seq = ctx.node('Slice', [
      seq,
      ctx.int64s(`${name}_rev_start`, [-1]),
      ctx.int64s(`${name}_rev_end`, [Number.MIN_SAFE_INTEGER]),
      ctx.int64s(`${name}_rev_axes`, [0]),
      ctx.int64s(`${name}_rev_steps`, [-1]),
    ])[0];
  }

  const W = gateMatrix(kernel, u, order);
  const R = gateMatrix(recurrent, u, order);
  const ins = [seq, ctx.weight(`${name}_W`, W.data, W.shape), ctx.weight(`${name}_R`, R.data, R.shape)];
  // useBias false: B is omitted, which ONNX defines as zero.
  if (p.useBias) {
    const B = gateBias(bias.data, u, order);
    ins.push(ctx.weight(`${name}_B`, B.data, B.shape));
  }
  const attrs: Record<string, Attr> = { hidden_size: attr.i(u), direction: attr.s('forward'), ...activationAttrs(kind, fns) };
  // GRU: tf.js applies the reset gate before the recurrent matmul (reset_after = false).
  if (kind === 'GRU') attrs.linear_before_reset = attr.i(0);

  const outs = p.returnSequences ? [ctx.fresh(`${name}_Y`)] : ['', ctx.fresh(`${name}_Y_h`)];
  ctx.node(op, ins, attrs, outs);
  const batch = x.shape[0];
  if (p.returnSequences) {
    // Y [time, 1, batch, units] -> [time, batch, units] -> [batch, time, units].
    const [sq] = ctx.node('Squeeze', [outs[0], ctx.int64s(`${name}_axes`, [1])]);
    const [y] = ctx.node('Transpose', [sq], { perm: attr.ints([1, 0, 2]) });
    return { name: y, shape: [batch, x.shape[1], u], layout: 'last' };
  }
  // Y_h [1, batch, units] -> [batch, units].
  const [y] = ctx.node('Squeeze', [outs[1], ctx.int64s(`${name}_axes`, [0])]);
  return { name: y, shape: [batch, u], layout: 'last' };
}
