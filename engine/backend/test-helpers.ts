/**
 * Helpers for the backend tests: seeded data, the same kernel on cpu and wasm, error
 * measure and leak checks. Test-only (imported by *.test.ts).
 */
import type * as tfNs from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';

type Tf = typeof tfNs;

/** Seeded standard-normal values. */
export function randn(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** max |a-b| / max |b|: scale-free and strict on the largest entries. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-12);
}

/** A kernel input given as plain data, so it can be made on either backend. */
export interface Input {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

/** Result of one kernel run on one backend. */
export interface KernelRun {
  values: Float32Array | Int32Array;
  shape: number[];
  /** Engine tensors and backend buffers leaked by the run (both should be 0). */
  leakedTensors: number;
  leakedBuffers: number;
}

/**
 * Runs `kernel` via `tf.engine().runKernel` on `backend` with fresh inputs and returns
 * its output plus leak counts (engine tensors and backend data ids before vs after).
 */
export async function runKernelOn(
  tf: Tf,
  backend: 'cpu' | 'wasm',
  kernel: string,
  inputs: Record<string, Input>,
  attrs: Record<string, unknown>,
): Promise<KernelRun> {
  await tf.setBackend(backend);
  const eb = tf.engine().backend as unknown as { numDataIds(): number };
  const t0 = tf.memory().numTensors;
  const b0 = eb.numDataIds();
  const ts: Record<string, tfNs.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.values, v.shape, v.dtype ?? 'float32');
  const out = tf.engine().runKernel(kernel, ts, attrs as tfNs.NamedAttrMap) as tfNs.Tensor;
  const values = out.dataSync() as Float32Array | Int32Array;
  const shape = out.shape;
  out.dispose();
  tf.dispose(Object.values(ts));
  return {
    values: values.slice(),
    shape,
    leakedTensors: tf.memory().numTensors - t0,
    leakedBuffers: eb.numDataIds() - b0,
  };
}
