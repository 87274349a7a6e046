/**
 * Runs an exported model in onnxruntime-node and compares it with tf.js `predict` on the
 * same batch: max absolute difference and argmax agreement per output.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Graph } from '../graph/validate.js';
import type { Tf } from '../layers/types.js';
import { Rng } from '../util/rng.js';

/** One input batch: flat data with its full shape (batch first). */
export interface InputBatch {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** Comparison of one model output. */
export interface OutputComparison {
  name: string;
  maxAbsDiff: number;
  /** Fraction of rows whose argmax over the last axis agrees (1 for scalar outputs). */
  argmaxAgreement: number;
}

/** Result of verification. */
export interface VerifyResult {
  outputs: OutputComparison[];
  maxAbsDiff: number;
  argmaxAgreement: number;
}

/**
 * Seeded random inputs for every Input node: uniform [0,1) floats, or for int32 inputs ids
 * below the smallest Embedding `inputDim` they feed (so lookups stay in range).
 */
export function randomInputs(graph: Graph, batch: number, seed = 1): Map<string, InputBatch> {
  const rng = new Rng(seed);
  const out = new Map<string, InputBatch>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    if (node.kind !== 'Input') continue;
    const p = node.params as { shape: (number | null)[]; dtype: 'float32' | 'int32' };
    const shape = [batch, ...p.shape.map((d) => d ?? 8)];
    const n = shape.reduce((a, b) => a * b, 1);
    if (p.dtype === 'int32') {
      let limit = 2;
      const dims = [...graph.inputsOf].filter(([, refs]) => refs.some((r) => r.source === id)).map(([c]) => graph.nodes.get(c)!.params.inputDim);
      const known = dims.filter((d): d is number => typeof d === 'number');
      if (known.length) limit = Math.min(...known);
      out.set(id, { data: Int32Array.from({ length: n }, () => rng.int(limit)), shape });
    } else {
      out.set(id, { data: Float32Array.from({ length: n }, () => rng.next()), shape });
    }
  }
  return out;
}

function argmaxRows(data: ArrayLike<number>, width: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r * width < data.length; r++) {
    let best = 0;
    for (let j = 1; j < width; j++) if (data[r * width + j] > data[r * width + best]) best = j;
    rows.push(best);
  }
  return rows;
}

/** Runs both engines on `inputs` and compares every output. */
export async function verifyOnnx(tf: Tf, graph: Graph, model: tfNs.LayersModel, bytes: Uint8Array, inputs: Map<string, InputBatch>): Promise<VerifyResult> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const inputIds = graph.order.filter((id) => graph.nodes.get(id)!.kind === 'Input');
  const outputIds = graph.order.filter((id) => graph.nodes.get(id)!.kind === 'Output');
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const id of inputIds) {
    const b = inputs.get(id)!;
    feeds[id] = new ort.Tensor(b.data instanceof Int32Array ? 'int32' : 'float32', b.data, b.shape);
  }
  const ortOut = await session.run(feeds);
  const tfIns = inputIds.map((id) => {
    const b = inputs.get(id)!;
    return tf.tensor(b.data, b.shape, b.data instanceof Int32Array ? 'int32' : 'float32');
  });
  const pred = model.predict(tfIns.length === 1 ? tfIns[0] : tfIns);
  const preds = Array.isArray(pred) ? pred : [pred];
  const outputs: OutputComparison[] = outputIds.map((id, i) => {
    const a = preds[i].dataSync();
    const b = ortOut[id].data as Float32Array;
    if (a.length !== b.length) throw new Error(`output "${id}": tf.js gives ${a.length} values, onnxruntime ${b.length}`);
    let maxAbsDiff = 0;
    for (let k = 0; k < a.length; k++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[k] - b[k]));
    const width = preds[i].shape.at(-1) ?? 1;
    const ra = argmaxRows(a, width);
    const rb = argmaxRows(b, width);
    const agree = ra.filter((v, k) => v === rb[k]).length / Math.max(1, ra.length);
    return { name: id, maxAbsDiff, argmaxAgreement: agree };
  });
  tf.dispose([...tfIns, ...preds]);
  await session.release();
  return {
    outputs,
    maxAbsDiff: Math.max(0, ...outputs.map((o) => o.maxAbsDiff)),
    argmaxAgreement: Math.min(1, ...outputs.map((o) => o.argmaxAgreement)),
  };
}
