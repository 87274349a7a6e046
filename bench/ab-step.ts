/**
 * A/B of the compiled onnxruntime step in one process: one stepper per variant (a variant is
 * `ENV=VALUE[+ENV2=VALUE]` set while that stepper compiles, for switches under test), steps
 * alternating between them; prints median and min ms/step and the first losses.
 *   LOOM_AB_CPU=1 LOOM_THREADS=1 npx tsx bench/ab-step.ts resnet|nb201|cnn|mlp ROUNDS VARIANTS
 * LOOM_AB_CPU=1 times process CPU rather than wall (robust on a busy machine at 1 thread);
 * LOOM_THREADS sets intra-op threads (default 2). Run it from an exported older commit
 * (`git archive COMMIT | tar -x -C DIR`) for before/after figures.
 */
import { initBackend } from '../engine/backend/select.js';
import { compileGraph } from '../engine/compile/compile.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import { trainingConfigSchema } from '../engine/train/config.js';
import { OrtStepper } from '../engine/train/onnx-step/ort-stepper.js';
import { resnet20Doc, nb201MixedDoc } from './residual-models.js';
import { cnnDoc, mlpDoc } from './models.js';
import { randomData } from './training.js';
const which = process.argv[2] ?? 'resnet';
const rounds = Number(process.argv[3] ?? 4);
const variants = (process.argv[4] ?? 'a').split(','); // each: ENV=VAL+ENV2=VAL2 or 'base'
const { tf } = await initBackend('cpu');
const doc = which === 'resnet' ? resnet20Doc() : which === 'nb201' ? nb201MixedDoc() : which === 'cnn' ? cnnDoc : mlpDoc;
const shape = which === 'cnn' ? [28, 28, 1] : which === 'mlp' ? [784] : [32, 32, 3];
const bs = which === 'cnn' ? 64 : 128;
const graph = loadGraphFromText(JSON.stringify(doc));
const data = randomData(shape, bs);
const config = trainingConfigSchema.parse({ batchSize: bs, optimizer: { name: 'adam' } });
const steppers: OrtStepper[] = [];
for (const v of variants) {
  const saved = { ...process.env };
  for (const kv of v.split('+')) {
    const [k, val] = kv.split('=');
    if (val !== undefined) process.env[k] = val;
  }
  const { model, outputs } = compileGraph(tf, graph, { seed: 1 });
  steppers.push(await OrtStepper.create({ graph, model, output: outputs[0], config, train: data, threads: Number(process.env.LOOM_THREADS ?? 2) }));
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
}
const batch = { n: bs, x: data.x, xShape: [bs, ...shape], y: Int32Array.from(data.y), yShape: [bs] };
const times = variants.map(() => [] as number[]);
const losses = variants.map(() => [] as number[]);
for (let r = 0; r < rounds + 1; r++) {
  for (let i = 0; i < variants.length; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const reps = which === 'mlp' || which === 'cnn' ? 20 : 1;
    let res;
    for (let k = 0; k < reps; k++) res = await steppers[i].step(batch, 0.001, 1);
    const cu = process.cpuUsage(c0);
    if (r > 0) times[i].push(process.env.LOOM_AB_CPU ? (cu.user + cu.system) / 1000 / reps : (performance.now() - t0) / reps);
    losses[i].push(res!.loss);
  }
}
variants.forEach((v, i) => {
  const t = [...times[i]].sort((a, b) => a - b);
  console.log(
    `${which} ${v.padEnd(40)} median ${t[t.length >> 1].toFixed(1)} min ${t[0].toFixed(1)} ms/step  (${((bs * 1000) / t[0]).toFixed(0)} samples/s at min)  loss ${losses[
      i
    ]
      .slice(0, 3)
      .map((l) => l.toFixed(5))
      .join(' ')}`,
  );
});
