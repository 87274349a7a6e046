/**
 * Gradients of MatMul and Gemm. Rank-2 products use Gemm with trans flags, so no Transpose
 * is materialised; a rank-N activation times a rank-2 weight (Dense over sequences) folds
 * the leading axes into rows so the weight gradient is one Gemm instead of a batched
 * MatMul followed by a sum.
 */
import { attr } from '../../../onnx/values.js';
import { attrFloat, attrInt } from '../shapes.js';
import type { GradContext, GradRegistry } from '../types.js';
import { mul, op, reshape, scalar, transpose, unbroadcast } from './util.js';

function gemm(g: GradContext, a: string, b: string, transA: number, transB: number, alpha = 1): string {
  const attrs = { transA: attr.i(transA), transB: attr.i(transB), ...(alpha !== 1 ? { alpha: attr.f(alpha) } : {}) };
  return op(g, 'Gemm', [a, b], attrs);
}

/** Swaps the last two axes of a rank-r value. */
function swapLast(g: GradContext, x: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return transpose(g, x, perm);
}

/** MatMul and Gemm gradient rules. */
export const matmulRules: GradRegistry = {
  MatMul: (g, n, [dy]) => {
    const [a, b] = n.inputs;
    const sa = g.shape(a);
    const sb = g.shape(b);
    const sy = g.shape(n.outputs[0]);
    if (sa.length < 2 || sb.length < 2) throw new Error(`MatMul "${n.outputs[0]}": rank-1 operands are not supported by the gradient`);
    if (sa.length === 2 && sb.length === 2) return [gemm(g, dy!, b, 0, 1), gemm(g, a, dy!, 1, 0)];
    if (sb.length === 2) {
      const k = sb[0] as number;
      const m = sb[1] as number;
      const da = op(g, 'MatMul', [dy!, transpose(g, b, [1, 0])]);
      const db = gemm(g, reshape(g, a, [-1, k]), reshape(g, dy!, [-1, m]), 1, 0);
      return [da, db];
    }
    const da = op(g, 'MatMul', [dy!, swapLast(g, b, sb.length)]);
    const db = op(g, 'MatMul', [swapLast(g, a, sa.length), dy!]);
    return [unbroadcast(g, da, [...sy.slice(0, -2), sa.at(-2)!, sa.at(-1)!], a), unbroadcast(g, db, [...sy.slice(0, -2), sb.at(-2)!, sb.at(-1)!], b)];
  },
  Gemm: (g, n, [dy]) => {
    // Y = α·A'·B' + β·C with A' = A or Aᵀ, B' = B or Bᵀ.
    const [a, b, c] = n.inputs;
    const ta = attrInt(n, 'transA', 0);
    const tb = attrInt(n, 'transB', 0);
    const alpha = attrFloat(n, 'alpha', 1);
    const beta = attrFloat(n, 'beta', 1);
    const da = ta ? gemm(g, b, dy!, tb, 1, alpha) : gemm(g, dy!, b, 0, 1 - tb, alpha);
    const db = tb ? gemm(g, dy!, a, 1, ta, alpha) : gemm(g, a, dy!, 1 - ta, 0, alpha);
    const out: (string | undefined)[] = [da, db];
    if (c) out.push(unbroadcast(g, beta === 1 ? dy! : mul(g, dy!, scalar(g, beta)), g.shape(n.outputs[0]), c));
    return out;
  },
};
