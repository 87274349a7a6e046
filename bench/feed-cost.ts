/**
 * The per-step cost of moving weights and optimizer state in and out of onnxruntime: for
 * MLPs of about 0.1M, 1M and 10M parameters, the time of a full Adam training step (batch
 * 64) next to the time of a graph that only takes the same weights and state as inputs and
 * returns them (Identity), i.e. the feeding alone.
 */
import * as ort from 'onnxruntime-node';
import { compileGraph } from '../engine/compile/compile.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import type { Tf } from '../engine/layers/types.js';
import { OnnxBuilder } from '../engine/onnx/builder.js';
import { trainingConfigSchema } from '../engine/train/config.js';
import { OrtStepper } from '../engine/train/onnx-step/ort-stepper.js';
import { randomData } from './training.js';

const mlp = (hidden: number[]) => {
  const ids = ['x', ...hidden.map((_, i) => `h${i}`), 'logits', 'y'];
  const nodes = [
    { id: 'x', kind: 'Input', params: { shape: [784] } },
    ...hidden.map((units, i) => ({ id: `h${i}`, kind: 'Dense', params: { units, activation: 'relu' } })),
    { id: 'logits', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
    { id: 'y', kind: 'Output', params: {} },
  ];
  return { version: 1, nodes, edges: ids.slice(1).map((id, i) => ({ source: ids[i], target: id })) };
};

/** Models of about 0.1M, 1M and 10M parameters. */
export const FEED_MODELS: [string, number[]][] = [
  ['0.1M', [128]],
  ['1M', [1024, 256]],
  ['10M', [2048, 2048, 2048]],
];

async function timeIt(fn: () => Promise<unknown>, reps: number): Promise<number> {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

/** Milliseconds per full step and per pass-through of the same tensors. */
export async function feedCost(tf: Tf, hidden: number[]): Promise<{ params: number; stepMs: number; feedMs: number }> {
  const graph = loadGraphFromText(JSON.stringify(mlp(hidden)));
  const { model, outputs } = compileGraph(tf, graph, { seed: 1 });
  const data = randomData([784], 64);
  const config = trainingConfigSchema.parse({ batchSize: 64, optimizer: { name: 'adam' } });
  const stepper = await OrtStepper.create({ graph, model, output: outputs[0], config, train: data });
  const batch = { n: 64, x: data.x, xShape: [64, 784], y: Int32Array.from(data.y), yShape: [64] };
  const reps = hidden[0] >= 2048 ? 3 : 10;
  const stepMs = await timeIt(() => stepper.step(batch, 0.001, 1), reps);
  // Pass-through graph: every weight plus Adam's two slots per weight, in and out.
  const b = new OnnxBuilder(17);
  const feeds: Record<string, ort.Tensor> = {};
  const fetches: Record<string, ort.Tensor> = {};
  model.trainableWeights.forEach((w, i) => {
    for (const slot of ['w', 'm', 'v']) {
      const shape = w.shape as number[];
      const name = `${slot}${i}`;
      b.addInput(name, shape);
      const [out] = b.node('Identity', [name], {}, [`${name}_out`]);
      b.addRawOutput(out, shape);
      const n = shape.reduce((a, c) => a * c, 1);
      feeds[name] = new ort.Tensor('float32', new Float32Array(n), shape);
      // Preallocated outputs, as the trainer uses them.
      fetches[out] = new ort.Tensor('float32', new Float32Array(n), shape);
    }
  });
  const session = await ort.InferenceSession.create(b.toBytes({ opset: 17, producerVersion: 'bench', metadata: {}, graphName: 'feed' }), {
    intraOpNumThreads: 2,
  });
  const feedMs = await timeIt(() => session.run(feeds, fetches), reps);
  await session.release();
  stepper.dispose();
  const params = model.countParams();
  model.dispose();
  return { params, stepMs, feedMs };
}
