/**
 * Conv2DBackpropFilter for the wasm backend (tf.js 4.22 wasm has none).
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl, ci] · dy[n,oh,ow,co]
 *
 * Two formulations, both on fast forward kernels (no scalar JS loops):
 * - 'conv': a forward Conv2D with the batch as channels. Input xᵀ [Ci, H, W, N], filter
 *   dyᵀ [Ho, Wo, N, Co], stride = the original dilation, dilation = the original stride;
 *   the output [Ci, kh, kw, Co] is transposed to [kh, kw, Ci, Co]. Best when Ci·kh·kw is
 *   large (XNNPACK's GEMM gets a tall M).
 * - 'patches': channels-first patches [kh·kw·Ci, N·Ho·Wo] times dy [N·Ho·Wo, Co], an
 *   untransposed MatMul. Best when Ci·kh·kw is small (first layers, 1×1 convs), where
 *   the conv formulation's GEMM is too short to use XNNPACK's tiles well.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { extractPatchesCF, padAfterNeeded, type AxisGeom } from './conv-geometry.js';
import { withScope, type KernelScope, need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Which formulation to use; 'auto' picks by the shape (see module doc). */
export type FilterGradMethod = 'auto' | 'conv' | 'patches';

/**
 * Below this Ci·kh·kw the patches+MatMul form wins (measured on the small CNN's layers:
 * Ci·9 = 9 → patches ~5× faster; 288 → conv ~1.3× faster).
 */
const PATCHES_MAX_ROWS = 128;

/** Attributes of Conv2DBackpropFilter (tf.js passes no dilations; we accept them). */
interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tfNs.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  dilations?: number | [number, number];
}

/** Spatial geometry of the convolution that produced `dy`. */
export function convGeometry(
  tf: Tf,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Omit<Attrs, 'filterShape'>,
  depthwise = false,
): { gh: AxisGeom; gw: AxisGeom } {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('wasm training kernels support NHWC (channelsLast) only');
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    gh: {
      inLen: info.inHeight,
      outLen: info.outHeight,
      k: info.filterHeight,
      s: info.strideHeight,
      d: info.dilationHeight,
      padBefore: info.padInfo.top,
    },
    gw: {
      inLen: info.inWidth,
      outLen: info.outWidth,
      k: info.filterWidth,
      s: info.strideWidth,
      d: info.dilationWidth,
      padBefore: info.padInfo.left,
    },
  };
}

/** Filter gradient by a batch-as-channels forward conv. */
function viaConv(s: KernelScope, x: TensorInfo, dy: TensorInfo, gh: AxisGeom, gw: AxisGeom): TensorInfo {
  const ci = x.shape[3];
  const co = dy.shape[3];
  const xt = s.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyt = s.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]
  const conv = s.run(
    'Conv2D',
    { x: xt, filter: dyt },
    {
      strides: [gh.d, gw.d],
      dilations: [gh.s, gw.s],
      pad: [
        [0, 0],
        [gh.padBefore, padAfterNeeded(gh)],
        [gw.padBefore, padAfterNeeded(gw)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dimRoundingMode: 'floor',
    },
  ); // [Ci, >=kh, >=kw, Co]
  const cropped = s.stridedSlice(conv, [0, 0, 0, 0], [ci, gh.k, gw.k, co], [1, 1, 1, 1]);
  return s.transpose(cropped, [1, 2, 0, 3]);
}

/** Filter gradient by channels-first patches and one untransposed MatMul. */
function viaPatches(s: KernelScope, x: TensorInfo, dy: TensorInfo, gh: AxisGeom, gw: AxisGeom): TensorInfo {
  const ci = x.shape[3];
  const co = dy.shape[3];
  const taps = extractPatchesCF(s, x, gh, gw); // kh·kw × [Ci, K]
  const k = taps[0].shape[1];
  const p = taps.length === 1 ? taps[0] : s.run('Concat', taps, { axis: 0 }); // [kh·kw·Ci, K]
  const dy2 = s.reshape(dy, [1, k, co]);
  const prod = s.run(
    'BatchMatMul',
    { a: s.reshape(p, [1, gh.k * gw.k * ci, k]), b: dy2 },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  return s.reshape(prod, [gh.k, gw.k, ci, co]);
}

/**
 * Computes Conv2DBackpropFilter on wasm from TensorInfos (exported for tests and for
 * forcing a formulation).
 */
export function conv2DBackpropFilterWasm(
  tf: Tf,
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Attrs,
  method: FilterGradMethod = 'auto',
): TensorInfo {
  const { gh, gw } = convGeometry(tf, x.shape as [number, number, number, number], attrs.filterShape, attrs);
  const ci = x.shape[3];
  const useConv = method === 'conv' || (method === 'auto' && ci * gh.k * gw.k > PATCHES_MAX_ROWS);
  return withScope(tf, backend, (s) => (useConv ? viaConv(s, x, dy, gh, gw) : viaPatches(s, x, dy, gh, gw)));
}

/** The kernel config to register on 'wasm'. */
export function conv2DBackpropFilterConfig(tf: Tf): tfNs.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      conv2DBackpropFilterWasm(tf, backend as BackendWasm, need(inputs, 'x'), need(inputs, 'dy'), attrs as unknown as Attrs),
  };
}
