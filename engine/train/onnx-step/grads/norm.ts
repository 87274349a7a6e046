/**
 * Gradients of the fused normalisation ops (LayerNormalization from opset 17,
 * BatchNormalization in either mode). Both use the standard closed form
 *   dX = invstd · (dX̂ − mean(dX̂) − X̂ · mean(dX̂ · X̂)),  dX̂ = dY · scale,
 * with the means over the normalised axes. LayerNormalization's Mean/InvStdDev outputs are
 * added to the forward node, so the statistics are not recomputed.
 */
import { BATCH_NORM_TRAINING_REGION } from '../../../onnx/ops-norm.js';
import { attr, type IrNode } from '../../../onnx/values.js';
import { attrFloat, attrInt } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { add, div, mul, normAxis, op, reduceOp, reduceSum, reshape, scalar, sub, unbroadcast, unsqueeze } from './util.js';

/** dX of a normalisation whose statistics run over `axes` (keepdims shapes). */
function normInputGrad(g: GradContext, xhat: string, invstd: string, dxhat: string, axes: number[]): string {
  const m1 = reduceOp(g, 'ReduceMean', dxhat, axes, true);
  const m2 = reduceOp(g, 'ReduceMean', mul(g, dxhat, xhat), axes, true);
  return mul(g, invstd, sub(g, sub(g, dxhat, m1), mul(g, xhat, m2)));
}

/** A per-channel [C] vector as [C, 1, ...] for rank-r channels-first values. */
function perChannel(g: GradContext, v: string, rank: number): string {
  return rank > 2
    ? unsqueeze(
        g,
        v,
        Array.from({ length: rank - 2 }, (_, i) => i + 1),
      )
    : v;
}

function batchNorm(g: GradContext, n: IrNode, dy: string): (string | undefined)[] {
  const [x, scale, , mean, variance] = n.inputs;
  const rank = g.shape(x).length;
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const eps = scalar(g, attrFloat(n, 'epsilon', 1e-5));
  const training = attrInt(n, 'training_mode', 0) === 1;
  let mu: string;
  let invstd: string;
  if (training) {
    // Batch statistics (biased variance), as the op normalises with in training mode.
    mu = reduceOp(g, 'ReduceMean', x, axes, true);
    const centred = sub(g, x, mu);
    const v = reduceOp(g, 'ReduceMean', mul(g, centred, centred), axes, true);
    invstd = op(g, 'Reciprocal', [op(g, 'Sqrt', [add(g, v, eps)])]);
  } else {
    mu = perChannel(g, mean, rank);
    invstd = perChannel(g, op(g, 'Reciprocal', [op(g, 'Sqrt', [add(g, variance, eps)])]), rank);
  }
  const xhat = mul(g, sub(g, x, mu), invstd);
  const sc = perChannel(g, scale, rank);
  const dxhat = mul(g, dy, sc);
  const dx = training ? normInputGrad(g, xhat, invstd, dxhat, axes) : mul(g, dxhat, invstd);
  return [dx, reduceSum(g, mul(g, dy, xhat), axes, false), reduceSum(g, dy, axes, false), undefined, undefined];
}

/**
 * The training-mode BatchNorm of ops-norm.ts as one region: inputs [x, γ, β, d = x − μ,
 * σ = √(var + ε)], γ and β broadcastable per channel. With n values per channel,
 * Σdy and Σdy·d per channel,
 *   dγ = Σdy·d / σ,  dβ = Σdy,
 *   dx = A·dy + B·d + C,  A = γ/σ,  B = −A·Σdy·d / (n·σ²),  C = −A·Σdy / n,
 * i.e. three full-size products, two full-size sums and two reductions, where the generic
 * rules of the forward pieces took about fifteen full-size ops.
 */
function batchNormRegion(g: GradContext, n: IrNode, dy: string): (string | undefined)[] {
  const [x, gamma, beta, d, std] = n.inputs;
  const rank = g.shape(x).length;
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const sumDy = reduceSum(g, dy, axes, true);
  const sumDyD = reduceSum(g, mul(g, dy, d), axes, true);
  // Values per channel, from the runtime size (the batch may be dynamic).
  const channels = g.shape(x)[1] as number;
  const count = div(g, op(g, 'Cast', [op(g, 'Size', [x])], { to: attr.i(1) }), scalar(g, channels));
  const a = div(g, gamma, std);
  const b = op(g, 'Neg', [div(g, mul(g, a, sumDyD), mul(g, count, mul(g, std, std)))]);
  const c = op(g, 'Neg', [div(g, mul(g, a, sumDy), count)]);
  const dx = add(g, add(g, mul(g, dy, a), mul(g, d, b)), c);
  const perChannel = (t: string, like: string) => reshape(g, t, g.shape(like) as number[]);
  return [dx, perChannel(div(g, sumDyD, std), gamma), perChannel(sumDy, beta), undefined, undefined];
}

/** Normalisation gradient rules. */
export const normRules: GradRegistry = {
  LayerNormalization: (g, n, [dy]) => {
    const [x, scale, bias] = n.inputs;
    const xs = g.shape(x);
    const axis = normAxis(attrInt(n, 'axis', -1), xs.length);
    const axes = Array.from({ length: xs.length - axis }, (_, i) => axis + i);
    while (n.outputs.length < 3) n.outputs.push(g.b.fresh(`${n.outputs[0]}_${n.outputs.length === 1 ? 'mean' : 'invstd'}`));
    const [y, mean, invstd] = n.outputs;
    const xhat = mul(g, sub(g, x, mean), invstd);
    const dxhat = mul(g, dy!, scale);
    const yShape = g.shape(y);
    const out: (string | undefined)[] = [normInputGrad(g, xhat, invstd, dxhat, axes), unbroadcast(g, mul(g, dy!, xhat), yShape, scale)];
    if (bias) out.push(unbroadcast(g, dy!, yShape, bias));
    return out;
  },
  BatchNormalization: (g, n, [dy]) => batchNorm(g, n, dy!),
  [BATCH_NORM_TRAINING_REGION]: (g, n, [dy]) => batchNormRegion(g, n, dy!),
};
