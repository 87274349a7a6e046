/**
 * Faster CPU formulations of the two convolution gradients, for ungrouped convolutions
 * (measured on the ResNet-20 step in onnxruntime's CPU kernels; BENCHMARKS.md "Residual/BN
 * training speed"):
 *  - filter gradient as a sum over kernel taps: X is laid out [C, N, ...] and padded once;
 *    each tap (i, j, …) is one strided Slice of it, reshaped to [C, N·P], and one Gemm
 *    dY[M, N·P] · colᵀ gives that tap's [M, C] slice of dW. Onnxruntime's batch-as-channels
 *    Conv (the old rule) ran its huge-kernel convolution 3-4× slower than these Gemms.
 *  - stride-1 input gradient as a forward Conv of dY with the spatially flipped, [C, M]
 *    transposed weight and pads (k−1)·d − p: the forward Conv kernel is much faster than
 *    ConvTranspose for the same arithmetic.
 */
import { attr } from '../../../onnx/values.js';
import type { GradContext } from '../types.js';
import { op, reshape, transpose } from './util.js';

/** Window geometry of a forward Conv, as the gradient rules compute it. */
export interface TapGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** ONNX pads: begins then ends. */
  pads: number[];
}

/** [1, 0, 2, 3, …]: swaps the first two axes of a rank-r value. */
function swapPerm(rank: number): number[] {
  return [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
}

/** Every kernel position (row-major), e.g. [[0,0],[0,1],…] for 2-D. */
function taps(kernel: number[]): number[][] {
  let out: number[][] = [[]];
  for (const k of kernel) out = out.flatMap((t) => Array.from({ length: k }, (_, i) => [...t, i]));
  return out;
}

/**
 * dW [M, C, ...kernel] of an ungrouped Conv with input `x` [N, C, ...xSp] and output
 * gradient `dy` [N, M, ...ySp], as one Gemm per kernel tap.
 */
export function filterGradByTaps(g: GradContext, x: string, dy: string, geo: TapGeometry, c: number, m: number, ySp: number[]): string {
  if (geo.strides.every((s) => s === 1)) return filterGradByFlatShifts(g, x, dy, geo, c, m, ySp);
  const k = geo.kernel.length;
  const rank = k + 2;
  let image = transpose(g, x, swapPerm(rank));
  if (geo.pads.some((p) => p !== 0)) {
    const pads = [0, 0, ...geo.pads.slice(0, k), 0, 0, ...geo.pads.slice(k)];
    image = op(g, 'Pad', [image, g.b.int64s('g_pads', pads)]);
  }
  const dyRows = reshape(g, transpose(g, dy, swapPerm(rank)), [m, -1]);
  const axes = g.b.int64s(
    'g_axes',
    geo.kernel.map((_, i) => i + 2),
  );
  const steps = g.b.int64s('g_steps', geo.strides);
  const perTap = taps(geo.kernel).map((t) => {
    const starts = t.map((ti, i) => ti * geo.dilations[i]);
    const ends = starts.map((s0, i) => s0 + (ySp[i] - 1) * geo.strides[i] + 1);
    const window = op(g, 'Slice', [image, g.b.int64s('g_starts', starts), g.b.int64s('g_ends', ends), axes, steps]);
    const cols = reshape(g, window, [c, -1]);
    return reshape(g, op(g, 'Gemm', [dyRows, cols], { transB: attr.i(1) }), [m, c, 1]);
  });
  const stacked = perTap.length === 1 ? perTap[0] : op(g, 'Concat', perTap, { axis: attr.i(2) });
  return reshape(g, stacked, [m, c, ...geo.kernel]);
}

/**
 * Stride-1 filter gradient over flattened padded grids: with X padded to [C, N·Hp·Wp] and dY
 * zero-padded at the end of each spatial axis to the same grid, tap t is a plain offset o_t
 * along the flat axis, so its window is a contiguous Slice (a memcpy per channel rather than
 * a strided gather) and dW_t = dYgrid[:, :L] · Xflat[:, o_t : o_t + L]ᵀ with L = R − o_max.
 * Windows never wrap into the next row or sample: a valid output position plus any tap
 * offset stays inside that sample's padded grid, and dY's padding zeros the rest.
 */
function filterGradByFlatShifts(g: GradContext, x: string, dy: string, geo: TapGeometry, c: number, m: number, ySp: number[]): string {
  const k = geo.kernel.length;
  const rank = k + 2;
  const reach = geo.kernel.map((kk, i) => (kk - 1) * geo.dilations[i]);
  const grid = ySp.map((d, i) => d + reach[i]);
  let image = transpose(g, x, swapPerm(rank));
  if (geo.pads.some((p) => p !== 0)) image = op(g, 'Pad', [image, g.b.int64s('g_pads', [0, 0, ...geo.pads.slice(0, k), 0, 0, ...geo.pads.slice(k)])]);
  let dyGrid = transpose(g, dy, swapPerm(rank));
  if (reach.some((r) => r !== 0)) dyGrid = op(g, 'Pad', [dyGrid, g.b.int64s('g_pads', [0, 0, ...reach.map(() => 0), 0, 0, ...reach])]);
  const flatStride = grid.map((_, i) => grid.slice(i + 1).reduce((a, b) => a * b, 1));
  const offMax = reach.reduce((a, r, i) => a + r * flatStride[i], 0);
  const xFlat = reshape(g, image, [c, -1]);
  let dyFlat = reshape(g, dyGrid, [m, -1]);
  const axis1 = g.b.int64s('g_axes', [1]);
  const END = 2 ** 62;
  if (offMax > 0) dyFlat = op(g, 'Slice', [dyFlat, g.b.int64s('g_starts', [0]), g.b.int64s('g_ends', [-offMax]), axis1]);
  const perTap = taps(geo.kernel).map((t) => {
    const o = t.reduce((a, ti, i) => a + ti * geo.dilations[i] * flatStride[i], 0);
    const cols = offMax === 0 ? xFlat : op(g, 'Slice', [xFlat, g.b.int64s('g_starts', [o]), g.b.int64s('g_ends', [o === offMax ? END : o - offMax]), axis1]);
    return reshape(g, op(g, 'Gemm', [dyFlat, cols], { transB: attr.i(1) }), [m, c, 1]);
  });
  const stacked = perTap.length === 1 ? perTap[0] : op(g, 'Concat', perTap, { axis: attr.i(2) });
  return reshape(g, stacked, [m, c, ...geo.kernel]);
}

/**
 * dX of a stride-1 ungrouped Conv as a forward Conv, or undefined when the flipped pads would
 * be negative (pads wider than the kernel reach), where the caller keeps ConvTranspose.
 */
export function inputGradByFlippedConv(g: GradContext, dy: string, w: string, geo: TapGeometry): string | undefined {
  const k = geo.kernel.length;
  if (geo.strides.some((s) => s !== 1)) return undefined;
  const reach = geo.kernel.map((kk, i) => (kk - 1) * geo.dilations[i]);
  const pads = geo.pads.map((p, i) => reach[i % k] - p);
  if (pads.some((p) => p < 0)) return undefined;
  const axes = geo.kernel.map((_, i) => i + 2);
  let flipped = w;
  if (geo.kernel.some((kk) => kk > 1)) {
    // Negative-step Slice from the last tap to before the first reverses each spatial axis.
    const starts = g.b.int64s(
      'g_starts',
      geo.kernel.map(() => -1),
    );
    const ends = g.b.int64s(
      'g_ends',
      geo.kernel.map(() => -(2 ** 62)),
    );
    flipped = op(g, 'Slice', [
      w,
      starts,
      ends,
      g.b.int64s('g_axes', axes),
      g.b.int64s(
        'g_steps',
        geo.kernel.map(() => -1),
      ),
    ]);
  }
  const wt = transpose(g, flipped, swapPerm(k + 2));
  return op(g, 'Conv', [dy, wt], {
    kernel_shape: attr.ints(geo.kernel),
    dilations: attr.ints(geo.dilations),
    pads: attr.ints(pads),
  });
}
