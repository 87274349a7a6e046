/**
 * Dynamic int8 quantization for Dense-heavy models: MatMul/Gemm weights are stored as int8
 * (symmetric, per output unit) and the activations are quantized at run time, per batch, by
 * DynamicQuantizeLinear; MatMulInteger multiplies in integers and one Mul rescales by
 * a_scale · w_scale. No calibration data is needed, and onnxruntime fuses the pattern into its
 * DynamicQuantizeMatMul kernel. Conv and recurrent weights stay float here (static QDQ covers
 * convolutions; LSTM/GRU weights are not quantized in this version).
 */
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { dimsOf, floatData, floatTensor, int8Tensor, intAttr, makeNode, Names, nodeInt } from './model-proto.js';
import type { QuantizeReport } from './quantize-static.js';
import { quantizePerChannel } from './quantize-static.js';

/** [K, N] weight data of a MatMul or Gemm node with a constant 2-D B, or undefined. */
function weightKxN(n: NodeProto, init: Map<string, TensorProto>): { data: Float32Array; k: number; units: number } | undefined {
  const w = init.get(n.input[1]);
  const data = w && floatData(w);
  if (!w || !data || w.dims.length !== 2) return undefined;
  const [r, c] = dimsOf(w);
  if (n.opType === 'MatMul') return { data, k: r, units: c };
  if (n.opType !== 'Gemm' || nodeInt(n, 'transA', 0) !== 0) return undefined;
  const alpha = n.attribute.find((a) => a.name === 'alpha')?.f ?? 1;
  const beta = n.attribute.find((a) => a.name === 'beta')?.f ?? 1;
  if (alpha !== 1 || beta !== 1) return undefined;
  if (nodeInt(n, 'transB', 0) === 0) return { data, k: r, units: c };
  const t = new Float32Array(data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = data[i * c + j];
  return { data: t, k: c, units: r };
}

/** Rewrites every quantizable MatMul/Gemm of a copy of `source`. */
export function quantizeDynamic(source: ModelProto): { model: ModelProto; report: QuantizeReport } {
  const model = structuredClone(source);
  const g = model.graph!;
  const init = new Map(g.initializer.map((t) => [t.name, t]));
  const names = new Names(g);
  const out: NodeProto[] = [];
  const added: TensorProto[] = [];
  const quantized: string[] = [];
  const dynOf = new Map<string, [string, string, string]>();
  for (const n of g.node) {
    const w = weightKxN(n, init);
    if (!w) {
      out.push(n);
      continue;
    }
    const a = n.input[0];
    let dq = dynOf.get(a);
    if (!dq) {
      dq = [names.fresh(`${a}_q`), names.fresh(`${a}_s`), names.fresh(`${a}_z`)];
      out.push(makeNode('DynamicQuantizeLinear', [a], dq, ''));
      dynOf.set(a, dq);
    }
    const { q, scales } = quantizePerChannel(w.data, [w.k, w.units], 1);
    const base = n.input[1];
    const wq = names.fresh(`${base}_q`);
    const ws = names.fresh(`${base}_s`);
    added.push(int8Tensor(wq, [w.k, w.units], q), floatTensor(ws, [w.units], scales));
    const y = n.output[0];
    const acc = names.fresh(`${y}_i32`);
    const accF = names.fresh(`${y}_f`);
    const scale = names.fresh(`${y}_s`);
    const bias = n.opType === 'Gemm' ? n.input[2] : undefined;
    const scaled = bias ? names.fresh(`${y}_mm`) : y;
    // The weights' zero point is 0, MatMulInteger's default: only the activations' is passed.
    out.push(
      makeNode('MatMulInteger', [dq[0], wq, dq[2]], [acc], ''),
      makeNode('Cast', [acc], [accF], '', [intAttr('to', 1)]),
      makeNode('Mul', [dq[1], ws], [scale], ''),
      makeNode('Mul', [accF, scale], [scaled], ''),
    );
    if (bias) out.push(makeNode('Add', [scaled, bias], [y], ''));
    quantized.push(`${n.opType} (${n.name || y})`);
  }
  const used = new Set(out.flatMap((n) => n.input));
  g.initializer = [...g.initializer.filter((t) => used.has(t.name)), ...added];
  g.node = out;
  return { model, report: { quantized, weights: quantized.length, activations: dynOf.size } };
}
