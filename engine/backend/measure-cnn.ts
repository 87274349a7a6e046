/**
 * Measures training throughput of the small reference CNN (conv3x3x32-relu-maxpool2-
 * conv3x3x64-relu-maxpool2-flatten-dense128-relu-dense10, batch 64, Adam) on random
 * 28×28×1 data, on the backend `initBackend` picks (wasm with our kernels here).
 *
 *   npx tsx engine/backend/measure-cnn.ts [backend=auto] [steps=20]
 *
 * Prints steady-state samples/s (after warm-up steps) and a per-kernel time profile.
 */
import { Rng, withSeededMathRandom } from '../util/rng.js';
import { initBackend, type BackendPref } from './select.js';

const pref = (process.argv[2] ?? 'auto') as BackendPref;
const steps = Number(process.argv[3] ?? 20);
const BATCH = 64;

const { tf, name, reason } = await initBackend(pref);
console.log(`backend: ${name} — ${reason}`);

const model = withSeededMathRandom(1, () => {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
});
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });

const rng = new Rng(42);
const xs = new Float32Array(BATCH * 28 * 28);
for (let i = 0; i < xs.length; i++) xs[i] = rng.next();
const labels = new Int32Array(BATCH);
for (let i = 0; i < BATCH; i++) labels[i] = rng.int(10);
const x = tf.tensor4d(xs, [BATCH, 28, 28, 1]);
const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat());

const warm = 3;
for (let i = 0; i < warm; i++) await model.trainOnBatch(x, y);
const t0 = performance.now();
let loss = 0;
for (let i = 0; i < steps; i++) loss = (await model.trainOnBatch(x, y)) as number;
const dt = (performance.now() - t0) / 1000;
console.log(`steps: ${steps}, last loss ${loss.toFixed(4)}, ${(dt / steps * 1000).toFixed(1)} ms/step`);
console.log(`samples/s: ${((steps * BATCH) / dt).toFixed(0)}`);

// Where the time goes, per kernel (one profiled step).
const prof = await tf.profile(async () => {
  await model.trainOnBatch(x, y);
});
const byKernel = new Map<string, number>();
for (const k of prof.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
}
const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
console.log('profile (ms, one step): ' + top.map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(', '));
tf.dispose([x, y]);
