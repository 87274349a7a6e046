/**
 * Test helpers for the step emitters: run a builder's graph in onnxruntime-node and compare
 * float arrays with a norm-relative tolerance.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { OnnxBuilder } from '../../onnx/builder.js';
import { Rng } from '../../util/rng.js';

/** A feed: float32 data by default, int32 when given an Int32Array. */
export type Feed = { data: Float32Array | Int32Array; dims: number[] };

/** Serialises `b` (opset 17, the trainer's default) into a reusable session. */
export async function session(b: OnnxBuilder): Promise<ort.InferenceSession> {
  const bytes = b.toBytes({ opset: b.opset, producerVersion: 'test', metadata: {}, graphName: 'test' });
  return ort.InferenceSession.create(bytes);
}

/** Runs `s` on `feeds` and returns every output as a Float32Array. */
export async function run(s: ort.InferenceSession, feeds: Record<string, Feed>): Promise<Record<string, Float32Array>> {
  const t: Record<string, ort.Tensor> = {};
  for (const [k, f] of Object.entries(feeds)) t[k] = new ort.Tensor(f.data instanceof Int32Array ? 'int32' : 'float32', f.data, f.dims);
  const out = await s.run(t);
  const res: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(out)) res[k] = Float32Array.from(v.data as Float32Array);
  return res;
}

/** `n` uniform floats in [lo, hi) from a seeded generator. */
export function uniform(rng: Rng, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** Largest |a − e| relative to the largest |e| (0 when both are all zero). */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Asserts `relError(actual, expected) ≤ tol`, with `what` in the failure message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  const e = relError(actual, expected);
  expect(e, `${what}: relative error ${e}\n  got  ${Array.from(actual).slice(0, 8)}\n  want ${Array.from(expected).slice(0, 8)}`).toBeLessThanOrEqual(tol);
}
