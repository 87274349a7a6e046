/**
 * Profiles the compiled onnxruntime training step of a bench network with onnxruntime's own
 * profiler (`enableProfiling`), for BENCHMARKS.md's before/after tables:
 *   npx tsx bench/profile-step.ts resnet20|nb201|cnn [steps] [threads]
 *   python3 bench/profile-summary.py /tmp/loom-profile-<model>_*.json
 * Prints ms per step (wall and process CPU) over `steps` replayed steps after two warm-ups.
 */
import { initBackend } from '../engine/backend/select.js';
import { compileGraph } from '../engine/compile/compile.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import { trainingConfigSchema } from '../engine/train/config.js';
import { OrtStepper } from '../engine/train/onnx-step/ort-stepper.js';
import { cnnDoc } from './models.js';
import { nb201MixedDoc, resnet20Doc } from './residual-models.js';
import { randomData } from './training.js';

const which = process.argv[2] ?? 'resnet20';
const steps = Number(process.argv[3] ?? 4);
const threads = process.argv[4] ? Number(process.argv[4]) : 2;
const docs = { resnet20: resnet20Doc, nb201: nb201MixedDoc, cnn: () => cnnDoc } as Record<string, () => unknown>;
if (!docs[which]) throw new Error(`unknown model "${which}"; one of ${Object.keys(docs).join(', ')}`);
const { tf } = await initBackend('cpu');
const graph = loadGraphFromText(JSON.stringify(docs[which]()));
const { model, outputs } = compileGraph(tf, graph, { seed: 1 });
const shape = which === 'cnn' ? [28, 28, 1] : [32, 32, 3];
const n = which === 'cnn' ? 64 : 128;
const data = randomData(shape, n);
const config = trainingConfigSchema.parse({ batchSize: n, optimizer: { name: 'adam' } });
const stepper = await OrtStepper.create({
  graph,
  model,
  output: outputs[0],
  config,
  train: data,
  threads,
  sessionOptions: { enableProfiling: true, profileFilePrefix: `/tmp/loom-profile-${which}` },
});
const batch = { n, x: data.x, xShape: [n, ...shape], y: Int32Array.from(data.y), yShape: [n] };
for (let i = 0; i < 2; i++) await stepper.step(batch, 0.001, 1);
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) await stepper.step(batch, 0.001, 1);
const ms = (performance.now() - t0) / steps;
const cpu = process.cpuUsage(c0);
console.log(
  `${which}, ${threads} threads: ${ms.toFixed(1)} ms/step wall (${((n * 1000) / ms).toFixed(1)} samples/s), ${((cpu.user + cpu.system) / 1000 / steps).toFixed(0)} ms/step CPU`,
);
stepper.endProfiling();
stepper.dispose();
model.dispose();
