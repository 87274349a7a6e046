/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing in tf.js 4.22 wasm).
 *
 * dW[th,tw,c,m] = Σ_{n,oh,ow} x[n, oh·s + th·d - pt, ow·s + tw·d - pl, c] · dy[n,oh,ow,c·M+m]
 * As one batched, untransposed MatMul over channels: patches [C, kh·kw, K] times
 * dyᵀ [C, K, M] (K = N·Ho·Wo) gives [C, kh·kw, M], transposed to [kh, kw, C, M].
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { extractPatchesCF } from './conv-geometry.js';
import { convGeometry } from './conv2d-backprop-filter.js';
import { withScope, need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Attributes of DepthwiseConv2dNativeBackpropFilter. */
interface Attrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tfNs.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Computes DepthwiseConv2dNativeBackpropFilter on wasm from TensorInfos. */
export function depthwiseBackpropFilterWasm(tf: Tf, backend: BackendWasm, x: TensorInfo, dy: TensorInfo, attrs: Attrs): TensorInfo {
  const [kh, kw, c, m] = attrs.filterShape;
  const { gh, gw } = convGeometry(tf, x.shape as [number, number, number, number], attrs.filterShape, attrs, true);
  return withScope(tf, backend, (s) => {
    const taps = extractPatchesCF(s, x, gh, gw).map((t) => s.reshape(t, [c, 1, t.shape[1]]));
    const k = taps[0].shape[2];
    const p = taps.length === 1 ? taps[0] : s.run('Concat', taps, { axis: 1 }); // [C, kh·kw, K]
    const dy3 = s.reshape(dy, [k, c, m]);
    const dyT = s.transpose(dy3, [1, 0, 2]); // [C, K, M]
    const prod = s.run('BatchMatMul', { a: p, b: dyT }, { transposeA: false, transposeB: false });
    const t = s.transpose(prod, [1, 0, 2]); // [kh·kw, C, M]
    return s.reshape(t, [kh, kw, c, m]);
  });
}

/** The kernel config to register on 'wasm'. */
export function depthwiseBackpropFilterConfig(tf: Tf): tfNs.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      depthwiseBackpropFilterWasm(tf, backend as BackendWasm, need(inputs, 'x'), need(inputs, 'dy'), attrs as unknown as Attrs),
  };
}
