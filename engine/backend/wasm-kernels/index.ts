/**
 * Registers the training kernels that tf.js 4.22's wasm backend lacks or runs slowly:
 * Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter/Input and UnsortedSegmentSum
 * (missing), plus faster Conv2DBackpropInput and BatchMatMul and a correct MaxPoolGrad
 * (replacing stock ones).
 *
 * Call before or after the wasm backend initializes; calling again is a no-op.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-matmul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import type { Tf } from './kernel-scope.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Set on every config registered here, so a second call recognises them. */
const OURS = Symbol.for('layerloom.wasmTrainingKernel');

function isOurs(k: tfNs.KernelConfig | undefined): boolean {
  return k != null && (k as unknown as Record<symbol, unknown>)[OURS] === true;
}

/** Replaces whatever is registered under the config's name with `config`. */
function install(tf: Tf, config: tfNs.KernelConfig): void {
  (config as unknown as Record<symbol, unknown>)[OURS] = true;
  if (tf.getKernel(config.kernelName, 'wasm') != null) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/** Names of the kernels this module registers on 'wasm'. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'BatchMatMul',
  'MaxPoolGrad',
] as const;

/**
 * Registers our kernels on the 'wasm' backend of `tf`'s registry. Requires
 * `@tensorflow/tfjs-backend-wasm` to have been imported (its stock BatchMatMul and
 * Conv2DBackpropInput are wrapped/replaced; their `setupFunc`s are kept because the
 * stock kernel functions depend on them). Idempotent.
 */
export function registerWasmTrainingKernels(tf: Tf): void {
  const stockMatMul = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (stockMatMul == null) {
    throw new Error('registerWasmTrainingKernels: import @tensorflow/tfjs-backend-wasm first');
  }
  if (!isOurs(stockMatMul)) install(tf, batchMatMulConfig(tf, stockMatMul));

  const stockInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (!isOurs(stockInput)) install(tf, conv2DBackpropInputConfig(tf, stockInput));

  const stockPool = tf.getKernel(tf.MaxPoolGrad, 'wasm');
  if (!isOurs(stockPool)) install(tf, maxPoolGradConfig(tf, stockPool));

  const fresh: [string, () => tfNs.KernelConfig][] = [
    [tf.Conv2DBackpropFilter, () => conv2DBackpropFilterConfig(tf)],
    [tf.DepthwiseConv2dNativeBackpropFilter, () => depthwiseBackpropFilterConfig(tf)],
    [tf.DepthwiseConv2dNativeBackpropInput, () => depthwiseBackpropInputConfig(tf)],
    [tf.UnsortedSegmentSum, () => unsortedSegmentSumConfig(tf)],
  ];
  for (const [name, make] of fresh) {
    if (!isOurs(tf.getKernel(name, 'wasm'))) install(tf, make());
  }
}
