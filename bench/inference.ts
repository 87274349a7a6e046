/** Inference throughput: the exported ONNX model in onnxruntime-node vs tf.js predict. */
import type * as tfNs from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import type { LoomDocumentInput } from '../engine/graph/schema.js';
import type { Tf } from '../engine/layers/types.js';
import { exportOnnx } from '../engine/onnx/export.js';
import { Rng } from '../engine/util/rng.js';

/** Samples/s of tf.js predict and of onnxruntime on the same batch, for `seconds` each. */
export async function inferenceRates(tf: Tf, doc: LoomDocumentInput, batch: number, seconds = 3): Promise<{ tfjs: number; onnxruntime: number }> {
  const ort = await import('onnxruntime-node');
  const graph = loadGraphFromText(JSON.stringify(doc));
  const { model } = compileGraph(tf, graph, { seed: 1 });
  const bytes = exportOnnx(graph, model, { metadata: { layerloomVersion: 'bench' } });
  const p = graph.nodes.get('x')!.params as { shape: number[] };
  const shape = [batch, ...p.shape];
  const rng = new Rng(5);
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next());
  const x = tf.tensor(data, shape);
  const timeLoop = async (fn: () => Promise<void>) => {
    for (let i = 0; i < 3; i++) await fn();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      await fn();
      n++;
    }
    return (n * batch) / ((performance.now() - t0) / 1000);
  };
  const tfjs = await timeLoop(async () => {
    const y = model.predict(x) as tfNs.Tensor;
    await y.data();
    y.dispose();
  });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const feeds = { x: new ort.Tensor('float32', data, shape) };
  const onnxruntime = await timeLoop(async () => {
    await session.run(feeds);
  });
  await session.release();
  x.dispose();
  model.dispose();
  return { tfjs, onnxruntime };
}
