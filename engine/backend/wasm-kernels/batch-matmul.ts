/**
 * BatchMatMul for the wasm backend that never hands XNNPACK a transposed operand.
 *
 * Why: stock wasm BatchMatMul with transposeA/transposeB ran at ~1 GFLOP/s versus
 * ~15 GFLOP/s untransposed (FACTS.md), and every Dense backward pass uses the transposed
 * forms. An explicit Transpose first costs a fraction of that. When the swapped axes
 * include a size-1 axis the transpose is a free reshape.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tfNs from '@tensorflow/tfjs';
import { withScope, type KernelScope, need, type Tf, type TensorInfo } from './kernel-scope.js';

/** Swaps the last two axes (a reshape when one of them has size 1). */
function swapLastTwo(s: KernelScope, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const shape = [...x.shape];
  [shape[r - 2], shape[r - 1]] = [shape[r - 1], shape[r - 2]];
  if (x.shape[r - 1] === 1 || x.shape[r - 2] === 1) return s.reshape(x, shape);
  const perm = x.shape.map((_, i) => i);
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return s.transpose(x, perm);
}

/**
 * The BatchMatMul config to register on 'wasm', wrapping `stock` (the original wasm
 * kernel). Its `setupFunc` is kept: the stock kernelFunc needs it run at backend init.
 */
export function batchMatMulConfig(tf: Tf, stock: tfNs.KernelConfig): tfNs.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return stock.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      return withScope(tf, backend, (s) => {
        const a = transposeA ? swapLastTwo(s, need(args.inputs, 'a')) : need(args.inputs, 'a');
        const b = transposeB ? swapLastTwo(s, need(args.inputs, 'b')) : need(args.inputs, 'b');
        const out = stock.kernelFunc({
          inputs: { a, b },
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
          backend,
        }) as TensorInfo;
        return s.adopt(out);
      });
    },
  };
}
