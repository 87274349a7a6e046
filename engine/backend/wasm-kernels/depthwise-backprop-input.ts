/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (missing in tf.js 4.22 wasm).
 *
 * dx[n,h,w,c] = Σ_{th,tw,m} dy[n, oh, ow, c·M+m] · w[th, tw, c, m], h = oh·s + th·d - pad.
 * Computed as a forward depthwise conv (multiplier 1) of the zero-inserted, re-padded `dy`
 * (C·M channels) with the flipped filter reshaped to [kh, kw, C·M, 1], then a sum over
 * the multiplier axis (innermost, so no transpose).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { prepareInputGradSource } from './conv-geometry.js';
import { convGeometry } from './conv2d-backprop-filter.js';
import { withScope, need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Attributes of DepthwiseConv2dNativeBackpropInput. */
interface Attrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tfNs.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Computes DepthwiseConv2dNativeBackpropInput on wasm from TensorInfos. */
export function depthwiseBackpropInputWasm(tf: Tf, backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, attrs: Attrs): TensorInfo {
  const [kh, kw, c, m] = filter.shape;
  const { gh, gw } = convGeometry(tf, attrs.inputShape, filter.shape as [number, number, number, number], attrs, true);
  return withScope(tf, backend, (s) => {
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const w1 = s.reshape(flipped, [kh, kw, c * m, 1]);
    const { src, pad } = prepareInputGradSource(s, dy, gh, gw);
    const conv = s.run(
      'DepthwiseConv2dNative',
      { x: src, filter: w1 },
      {
        strides: [1, 1],
        dilations: [gh.d, gw.d],
        pad,
        dimRoundingMode: 'floor',
      },
    ); // [N, H, W, C·M]
    if (m === 1) return conv;
    const [n, h, w] = conv.shape;
    const five = s.reshape(conv, [n, h, w, c, m]);
    return s.run('Sum', { x: five }, { axis: [4], keepDims: false });
  });
}

/** The kernel config to register on 'wasm'. */
export function depthwiseBackpropInputConfig(tf: Tf): tfNs.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      depthwiseBackpropInputWasm(tf, backend as BackendWasm, need(inputs, 'dy'), need(inputs, 'filter'), attrs as unknown as Attrs),
  };
}
