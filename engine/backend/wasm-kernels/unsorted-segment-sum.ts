/**
 * UnsortedSegmentSum for the wasm backend (missing in tf.js 4.22 wasm); Embedding's
 * gradient (the gradient of Gather) goes through it.
 *
 * out[segmentIds[i], ...] += x[i, ...]. One linear pass over `x` in place on the wasm
 * heap: O(size(x)), where a one-hot MatMul would cost O(size(x) · numSegments) (the
 * vocabulary), and tf.js's cpu kernel loops over segments with masks.
 * Ids outside [0, numSegments) are dropped, as TensorFlow does for negative ids.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Computes UnsortedSegmentSum on wasm from TensorInfos. */
export function unsortedSegmentSumWasm(backend: BackendWasm, x: TensorInfo, segmentIds: TensorInfo, numSegments: number): TensorInfo {
  const idRank = segmentIds.shape.length;
  const inner = x.shape.slice(idRank);
  const d = inner.reduce((a, b) => a * b, 1);
  const nIds = segmentIds.shape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  // Views are taken after makeOutput: an allocation may grow (and detach) the heap.
  const ids = backend.typedArrayFromHeap(segmentIds);
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  os.fill(0);
  for (let i = 0; i < nIds; i++) {
    const seg = ids[i];
    if (!(seg >= 0 && seg < numSegments)) continue;
    const src = i * d;
    const dst = seg * d;
    for (let j = 0; j < d; j++) os[dst + j] += xs[src + j];
  }
  return out;
}

/** The kernel config to register on 'wasm'. */
export function unsortedSegmentSumConfig(tf: Tf): tfNs.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      unsortedSegmentSumWasm(backend as BackendWasm, need(inputs, 'x'), need(inputs, 'segmentIds'), (attrs as unknown as { numSegments: number }).numSegments),
  };
}
