/**
 * The device check's Layerloom half: samples/s of the compiled training step for the bench's
 * LeNet-style CNN (batch 64), MLP (batch 128) and the ResNet-20-style network (batch 128), on
 * onnxruntime-node's WebGPU provider and on its CPU provider with every core, Adam, random
 * data, timed steps after warm-up. Prints one JSON line per measurement. Bundled by
 * prepare.sh into one file that runs on a machine with Node and no node_modules beyond
 * onnxruntime-node.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/compile.js';
import type { Dataset } from '../../engine/data/types.js';
import { parseDocument } from '../../engine/graph/load.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { trainingConfigSchema } from '../../engine/train/config.js';
import { OrtStepper } from '../../engine/train/onnx-step/ort-stepper.js';
import { probeWebGpu } from '../../engine/train/onnx-step/webgpu-probe.js';
import { WebGpuStepper } from '../../engine/train/onnx-step/webgpu-stepper.js';
import type { Stepper } from '../../engine/train/stepper.js';
import { Rng } from '../../engine/util/rng.js';
import { cnnDoc, mlpDoc } from '../models.js';
import { resnet20Doc } from '../resnet20.js';

const SECONDS = Number(process.env.GPU_BENCH_SECONDS ?? 8);
const models = [
  { name: 'lenet', doc: cnnDoc, batch: 64 },
  { name: 'mlp', doc: mlpDoc, batch: 128 },
  { name: 'resnet20', doc: resnet20Doc(), batch: 128 },
];

async function measure(stepper: Stepper, inputShape: number[], batch: number): Promise<number> {
  const rng = new Rng(1);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * size }, () => rng.next());
  const y = Int32Array.from({ length: batch }, () => Math.floor(rng.next() * 10));
  const bt = { n: batch, x, xShape: [batch, ...inputShape], y, yShape: [batch] };
  for (let i = 0; i < 3; i++) await stepper.step(bt, 1e-3, i);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) await stepper.step(bt, 1e-3, n++);
  return (n * batch) / ((performance.now() - t0) / 1000);
}

await tf.setBackend('cpu');
const gpu = probeWebGpu();
console.log(JSON.stringify({ event: 'probe', ...gpu, cores: os.availableParallelism() }));
for (const m of models) {
  const graph = validateDocument(parseDocument(m.doc));
  const inputShape = (m.doc.nodes[0].params as { shape: number[] }).shape;
  const config = trainingConfigSchema.parse({ batchSize: m.batch, optimizer: { name: 'adam', learningRate: 1e-3 } });
  const train = { count: m.batch, inputShape, task: 'classification', numClasses: 10, x: new Float32Array(0), y: new Float32Array(0) } as unknown as Dataset;
  for (const provider of ['cpu', 'webgpu'] as const) {
    if (provider === 'webgpu' && !gpu.ok) continue;
    const compiled = compileGraph(tf, graph, { seed: 1 });
    const opts = { graph, model: compiled.model, output: compiled.outputs[0], config, train, threads: os.availableParallelism() };
    try {
      const stepper = provider === 'cpu' ? await OrtStepper.create(opts) : await WebGpuStepper.create(opts);
      const placement = stepper instanceof WebGpuStepper ? stepper.describePlacement() : undefined;
      const sps = await measure(stepper, inputShape, m.batch);
      console.log(JSON.stringify({ event: 'result', model: m.name, provider, batch: m.batch, samplesPerSecond: sps, ...(placement && { placement }) }));
      stepper.dispose();
    } catch (e) {
      console.log(JSON.stringify({ event: 'error', model: m.name, provider, error: (e as Error).message.split('\n')[0] }));
    }
    compiled.model.dispose();
  }
}
