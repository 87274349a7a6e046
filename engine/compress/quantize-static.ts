/**
 * Post-training static int8 quantization to ONNX QDQ (QuantizeLinear/DequantizeLinear pairs),
 * the format onnxruntime fuses into its integer kernels (QLinearConv, QLinearMatMul):
 *
 * - weights of Conv, MatMul and Gemm: int8, symmetric, per output channel (scale_c =
 *   max|W_c| / 127), stored quantized and dequantized by a DequantizeLinear with `axis`;
 * - Conv/Gemm biases: int32 with scale x_scale · w_scale_c (what the fused kernels take);
 * - activations entering and leaving those ops: uint8, asymmetric, per tensor, from ranges
 *   calibrated on the user's data (calibrate.ts);
 * - graph inputs and outputs keep their float type and names, so the quantized file is a
 *   drop-in replacement of the float one.
 * Everything else (pooling, Relu, Softmax, reshapes) stays float between the DQ and the next Q.
 */
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { calibrate, type CalibrationBatch, type CalibrationMethod, type Range } from './calibrate.js';
import { dimsOf, floatData, floatTensor, int32Tensor, int8Tensor, intAttr, makeNode, Names, nodeInt, opsetOf, uint8Tensor } from './model-proto.js';

/** Options of {@link quantizeStatic}. */
export interface StaticQuantizeOptions {
  batches: CalibrationBatch[];
  method: CalibrationMethod;
}

/** What was quantized. */
export interface QuantizeReport {
  /** Quantized nodes as `OpType (name)`. */
  quantized: string[];
  /** Weight tensors stored as int8. */
  weights: number;
  /** Activation tensors given a Q/DQ pair. */
  activations: number;
}

/** The weight input index and output-channel axis of a quantizable node, or undefined. */
function weightSlot(n: NodeProto, init: Map<string, TensorProto>): { index: number; axis: number } | undefined {
  const w = init.get(n.input[1]);
  if (!w || !floatData(w)) return undefined;
  const rank = w.dims.length;
  if (n.opType === 'Conv') return { index: 1, axis: 0 };
  if (n.opType === 'MatMul' && rank === 2) return { index: 1, axis: 1 };
  if (n.opType === 'Gemm' && rank === 2 && nodeInt(n, 'transA', 0) === 0) return { index: 1, axis: nodeInt(n, 'transB', 0) === 1 ? 0 : 1 };
  return undefined;
}

/** Per-channel symmetric int8 quantization of `data` along `axis`. */
export function quantizePerChannel(data: Float32Array, dims: number[], axis: number): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const scales = new Float32Array(channels);
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / inner) % channels;
    scales[c] = Math.max(scales[c], Math.abs(data[i]));
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
  const q = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / inner) % channels;
    q[i] = Math.max(-127, Math.min(127, Math.round(data[i] / scales[c])));
  }
  return { q, scales };
}

/** uint8 asymmetric scale and zero point covering `r` (which contains 0). */
export function activationParams(r: Range): { scale: number; zeroPoint: number } {
  const span = r.max - r.min;
  if (!(span > 0)) return { scale: 1, zeroPoint: 0 };
  const scale = span / 255;
  return { scale, zeroPoint: Math.max(0, Math.min(255, Math.round(-r.min / scale))) };
}

/** Quantizes `model` in place of a copy and returns the copy with a report. */
export async function quantizeStatic(source: ModelProto, opts: StaticQuantizeOptions): Promise<{ model: ModelProto; report: QuantizeReport }> {
  if (opsetOf(source) < 13) throw new Error(`per-channel QDQ needs opset ≥ 13; the model is opset ${opsetOf(source)} (export with --opset 13 or later)`);
  const model = structuredClone(source);
  const g = model.graph!;
  const init = new Map(g.initializer.map((t) => [t.name, t]));
  const graphIo = new Set([...g.input.map((i) => i.name), ...g.output.map((o) => o.name)]);
  const targets = g.node.map((n) => ({ n, slot: weightSlot(n, init) })).filter((t): t is { n: NodeProto; slot: { index: number; axis: number } } => !!t.slot);
  if (targets.length === 0) return { model, report: { quantized: [], weights: 0, activations: 0 } };

  // Activations to calibrate: each target's data input and output.
  const acts = [...new Set(targets.flatMap(({ n }) => [n.input[0], n.output[0]]))];
  const ranges = await calibrate(source, acts, opts.batches, opts.method);
  const names = new Names(g);
  const prefix: NodeProto[] = [];
  const added: TensorProto[] = [];
  const dqOf = new Map<string, string>();
  const actParams = new Map<string, { scale: number; zeroPoint: number }>();

  /** A Q/DQ pair on activation `v` (once per tensor); returns the dequantized name. */
  const qdq = (v: string, after: NodeProto[]): string => {
    const known = dqOf.get(v);
    if (known) return known;
    const p = activationParams(ranges.get(v)!);
    actParams.set(v, p);
    const s = names.fresh(`${v}_s`);
    const z = names.fresh(`${v}_z`);
    added.push(floatTensor(s, [], Float32Array.of(p.scale)), uint8Tensor(z, [], Uint8Array.of(p.zeroPoint)));
    const q = names.fresh(`${v}_q`);
    const dq = names.fresh(`${v}_dq`);
    after.push(makeNode('QuantizeLinear', [v, s, z], [q], ''), makeNode('DequantizeLinear', [q, s, z], [dq], ''));
    dqOf.set(v, dq);
    return dq;
  };

  const out: NodeProto[] = [];
  // Q/DQ of graph inputs that feed a target go first.
  for (const { n } of targets) if (graphIo.has(n.input[0])) qdq(n.input[0], prefix);
  const targetSet = new Set(targets.map((t) => t.n));
  for (const n of g.node) {
    const dataIn = n.input[0];
    // Consumers read dequantized activations wherever one exists.
    n.input = n.input.map((i) => dqOf.get(i) ?? i);
    out.push(n);
    const t = targets.find((x) => x.n === n);
    for (const o of n.output) if (!targetSet.has(n) && acts.includes(o) && !graphIo.has(o)) qdq(o, out);
    if (!t) continue;
    const { index, axis } = t.slot;
    const w = init.get(n.input[index])!;
    const dims = dimsOf(w);
    const { q, scales } = quantizePerChannel(floatData(w)!, dims, axis);
    // Short names and no zero point (0 is the int8 default): on small models the names and
    // node records are a visible share of the file.
    const wq = names.fresh(`${w.name}_q`);
    const ws = names.fresh(`${w.name}_s`);
    const wdq = names.fresh(`${w.name}_dq`);
    added.push(int8Tensor(wq, dims, q), floatTensor(ws, [scales.length], scales));
    prefix.push(makeNode('DequantizeLinear', [wq, ws], [wdq], '', [intAttr('axis', axis)]));
    n.input[index] = wdq;
    // Bias as int32 at x_scale · w_scale (Conv: input 2; Gemm: C when it is per output unit).
    const bias = n.input[2] ? init.get(n.input[2]) : undefined;
    const xp = actParams.get(dataIn);
    if (bias && floatData(bias) && xp && bias.dims.length === 1 && Number(bias.dims[0]) === scales.length) {
      const b = floatData(bias)!;
      const bs = scales.map((s) => s * xp.scale);
      const bq = Int32Array.from(b, (v, c) => Math.round(v / bs[c]));
      const bqn = names.fresh(`${bias.name}_q`);
      const bsn = names.fresh(`${bias.name}_s`);
      const bdq = names.fresh(`${bias.name}_dq`);
      added.push(int32Tensor(bqn, [b.length], bq), floatTensor(bsn, [b.length], bs));
      prefix.push(makeNode('DequantizeLinear', [bqn, bsn], [bdq], '', [intAttr('axis', 0)]));
      n.input[2] = bdq;
    }
    if (!graphIo.has(n.output[0])) qdq(n.output[0], out);
  }
  // Float weights now unused are dropped; everything else stays.
  const used = new Set([...prefix, ...out].flatMap((n) => n.input));
  g.initializer = [...g.initializer.filter((t) => used.has(t.name)), ...added];
  g.node = [...prefix, ...out];
  return {
    model,
    report: { quantized: targets.map(({ n }) => `${n.opType} (${n.name || n.output[0]})`), weights: targets.length, activations: dqOf.size },
  };
}
