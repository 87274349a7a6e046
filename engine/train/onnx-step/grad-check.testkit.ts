/**
 * Test harness for gradient rules: builds a tiny forward graph in training mode, seeds
 * d/dY with a fixed random R (so the loss is ΣY·R), emits the backward pass, runs it in
 * onnxruntime-node and compares the forward output and every gradient with tf.js's
 * (tf.grads of an equivalent tf.js function, which works in ONNX layout via transposes).
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { Rng } from '../../util/rng.js';
import { emitBackward } from './autodiff.js';
import { inferIrShapes, type Shape } from './shapes.js';
import type { StepProvider } from './types.js';

/** One graph input of a case. */
export interface CaseInput {
  dims: number[];
  /** Declared graph shape (e.g. a null batch); defaults to `dims`. */
  declared?: Shape;
  /** Integer ids in [0, ints) instead of floats (Gather indices). */
  ints?: number;
  data?: Float32Array;
}

/** A gradient check case. */
export interface GradCase {
  opset?: number;
  inputs: Record<string, CaseInput>;
  /** Inputs to differentiate with respect to (default: every float input). */
  wrt?: string[];
  /** Emits the forward graph from the input names; returns the output value. */
  forward(b: OnnxBuilder): string;
  /** The same function in tf.js (ONNX layout in and out). */
  reference(t: Record<string, tf.Tensor>): tf.Tensor;
  tol?: number;
  /** The provider whose gradient formulations to emit (the check itself runs on the CPU). */
  provider?: StepProvider;
}

let backendReady: Promise<boolean> | undefined;

function relError(a: ArrayLike<number>, e: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - e[i]));
    scale = Math.max(scale, Math.abs(e[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs a case and asserts forward and gradients agree within `tol` (default 1e-4). */
export async function checkGradients(c: GradCase, seed = 7): Promise<OnnxBuilder> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
  const rng = new Rng(seed);
  const data: Record<string, Float32Array | Int32Array> = {};
  for (const [name, inp] of Object.entries(c.inputs)) {
    const size = inp.dims.reduce((p, q) => p * q, 1);
    data[name] = inp.ints
      ? Int32Array.from({ length: size }, () => rng.int(inp.ints!))
      : (inp.data ?? Float32Array.from({ length: size }, () => rng.uniform(-1, 1)));
  }
  const wrt = c.wrt ?? Object.keys(c.inputs).filter((k) => !c.inputs[k].ints);

  // tf.js reference.
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, inp] of Object.entries(c.inputs)) tensors[name] = tf.tensor(data[name], inp.dims, inp.ints ? 'int32' : 'float32');
  const yRef = c.reference(tensors);
  const yDims = yRef.shape;
  const r = Float32Array.from({ length: yRef.size }, () => rng.uniform(-1, 1));
  const f = (...xs: tf.Tensor[]) => c.reference({ ...tensors, ...Object.fromEntries(wrt.map((w, i) => [w, xs[i]])) });
  const refGrads = tf.grads(f)(
    wrt.map((w) => tensors[w]),
    tf.tensor(r, yDims),
  );

  // ONNX step.
  const opset = c.opset ?? 17;
  const b = new OnnxBuilder(opset, 'training');
  for (const [name, inp] of Object.entries(c.inputs)) b.addInput(name, inp.declared ?? inp.dims, inp.ints ? 'int32' : 'float32');
  const y = c.forward(b);
  b.addInput('dy', yDims);
  const shapes = inferIrShapes(b.irNodes, new Map(b.inputs.map((d) => [d.name, d.shape])), b.constants);
  const grads = emitBackward(b, { seeds: new Map([[y, 'dy']]), wrt, shapes, provider: c.provider });
  b.node('Identity', [y], {}, ['y_out']);
  b.addRawOutput('y_out', yDims);
  for (const w of wrt) {
    const gname = grads.get(w);
    expect(gname, `no gradient for ${w}`).toBeDefined();
    b.node('Identity', [gname!], {}, [`grad_${w}`]);
    b.addRawOutput(`grad_${w}`, c.inputs[w].dims);
  }
  const session = await ort.InferenceSession.create(b.toBytes({ opset, producerVersion: 't', metadata: {}, graphName: 'g' }));
  const feeds: Record<string, ort.Tensor> = { dy: new ort.Tensor('float32', r, yDims) };
  for (const [name, inp] of Object.entries(c.inputs)) feeds[name] = new ort.Tensor(inp.ints ? 'int32' : 'float32', data[name], inp.dims);
  const out = await session.run(feeds);

  const tol = c.tol ?? 1e-4;
  const yErr = relError(out.y_out.data as Float32Array, yRef.dataSync());
  expect(out.y_out.dims, 'forward shape').toEqual(yDims);
  expect(yErr, `forward output: relative error ${yErr}`).toBeLessThanOrEqual(tol);
  wrt.forEach((w, i) => {
    const got = out[`grad_${w}`];
    expect(Array.from(got.dims), `gradient shape of ${w}`).toEqual(c.inputs[w].dims);
    const want = refGrads[i].dataSync();
    const e = relError(got.data as Float32Array, want);
    expect(
      e,
      `d/d${w}: relative error ${e}\n got  ${Array.from(got.data as Float32Array).slice(0, 6)}\n want ${Array.from(want).slice(0, 6)}`,
    ).toBeLessThanOrEqual(tol);
  });
  tf.dispose([...Object.values(tensors), yRef, ...refGrads]);
  return b;
}

/** NCHW -> NHWC (rank 4) or NCW -> NWC (rank 3). */
export function toLast(t: tf.Tensor): tf.Tensor {
  return t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : tf.transpose(t, [0, 2, 1]);
}

/** NHWC -> NCHW (rank 4) or NWC -> NCW (rank 3). */
export function toFirst(t: tf.Tensor): tf.Tensor {
  return t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : tf.transpose(t, [0, 2, 1]);
}
