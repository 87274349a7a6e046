/**
 * MaxPoolGrad for the wasm backend, replacing the stock kernel.
 *
 * Why: tf.js 4.22's wasm MaxPoolGrad returns wrong gradients for non-square pools
 * (MaxPooling1D's [k,1] windows) and for SAME padding with a padded bottom edge (e.g. 2×2
 * stride 2 on odd sizes): checked against a brute-force reference in
 * max-pool-grad.test.ts. This version routes each dy to the first maximum of its window
 * (tf.js cpu's rule), in one pass over the windows on the wasm heap; the work is
 * N·Ho·Wo·C·kh·kw comparisons, linear in the pooled input. The stock kernel is not used
 * at all: it also failed plain 2×2/stride-2 VALID pooling (6×6 and 7×7 inputs), and was
 * slower (43 ms vs ~15 ms per step of the small CNN).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Attributes of MaxPoolGrad. */
interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tfNs.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Computes MaxPoolGrad on wasm from TensorInfos. */
export function maxPoolGradWasm(tf: Tf, backend: BackendWasm, dy: TensorInfo, input: TensorInfo, attrs: Attrs): TensorInfo {
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const kh = info.effectiveFilterHeight;
  const kw = info.effectiveFilterWidth;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, 'float32');
  const xs = backend.typedArrayFromHeap(input);
  const gs = backend.typedArrayFromHeap(dy);
  const out = backend.typedArrayFromHeap(dx);
  out.fill(0);
  // Channels innermost: every window position is read as one contiguous row of C values.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const h0 = oh * sh - pt;
      for (let ow = 0; ow < wo; ow++) {
        const w0 = ow * sw - pl;
        at.fill(-1);
        for (let i = 0; i < kh; i += dh) {
          const y = h0 + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j += dw) {
            const x = w0 + j;
            if (x < 0 || x >= w) continue;
            const row = ((b * h + y) * w + x) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = xs[row + ch];
              if (at[ch] < 0 || v > best[ch]) {
                best[ch] = v;
                at[ch] = row + ch;
              }
            }
          }
        }
        const gBase = ((b * ho + oh) * wo + ow) * c;
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) out[at[ch]] += gs[gBase + ch];
      }
    }
  }
  return dx;
}

/** The kernel config to register on 'wasm'; keeps the stock setup (see index.ts). */
export function maxPoolGradConfig(tf: Tf, stock: tfNs.KernelConfig | undefined): tfNs.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: 'wasm',
    setupFunc: stock?.setupFunc,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as Attrs;
      return maxPoolGradWasm(tf, args.backend as BackendWasm, need(args.inputs, 'dy'), need(args.inputs, 'input'), attrs);
    },
  };
}
