/**
 * `npm run bench`: every figure is a ratio against a reference measured in the same run.
 *  - shape inference over a 1,000-node chain (goal < 20 ms);
 *  - training samples/s of the LeNet-style CNN and the MLP 784-256-128-10 on wasm:
 *    (a) compiled graph + engine loop ÷ hand-written tf.js model + minimal loop (goal ≥ 0.97),
 *    (b) ÷ stock tf.js cpu, (c) ÷ PyTorch (same thread count) where /usr/bin/python3 has torch;
 *  - wasm BatchMatMul transposed ÷ untransposed (with the engine's kernel);
 *  - inference: onnxruntime-node on the exported CNN ÷ tf.js predict;
 *  - onnxruntime training (compiled ONNX step) ÷ tf.js wasm ÷ PyTorch, and the per-step cost
 *    of feeding weights and optimizer state in and out for ~0.1M, 1M and 10M parameters;
 *  - residual/BatchNorm nets (bench/residual.ts): ResNet-20 and the NB201 skeleton with a
 *    mixed cell, onnxruntime ÷ PyTorch in alternating rounds (LOOM_BENCH_RESIDUAL_ROUNDS);
 * Threads: onnxruntime and PyTorch both get LOOM_BENCH_THREADS (default: the machine's cores).
 *  - a training job started as the designer starts it (job process, validation, store, IPC)
 *    ÷ the bench loop, same CNN, MNIST images and batch (bench/job-throughput.ts; goal ≥ 0.9);
 *  - NAS on the NAS-Bench-201 CIFAR-10 table (when ../shared has it): 100 seeded runs each of
 *    random search, regularized evolution and REINFORCE at a 12,000 s simulated budget,
 *    against the paper's figures, and the runner's bookkeeping per trial; every ask/tell
 *    strategy (bench/search.ts) at 12,000 s, at 100 queries and with 1/4/16 simulated workers;
 *  - weight sharing (bench/one-shot.ts): SPOS, ENAS, DARTS (with and without their collapse
 *    remedy) vs regularized evolution with trained trials on the nb201 cell space over digits,
 *    3 search seeds each (LOOM_BENCH_ONESHOT_SEEDS): search wall time ÷ evolution's and
 *    retrained accuracy − evolution's, with the found cells' NAS-Bench-201 CIFAR-10 test.
 * Results print as a table and are saved to bench/out/results.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../engine/backend/select.js';
import { cnnDoc, handCnn, handMlp, mlpDoc } from './models.js';
import { benchShapeInference } from './shape-inference.js';
import { inferenceRates } from './inference.js';
import { engineLoopRate, handLoopRate, randomData } from './training.js';
import { FEED_MODELS, feedCost } from './feed-cost.js';
import { jobThroughput } from './job-throughput.js';
import { benchNas } from './nas.js';
import { benchOneShot } from './one-shot.js';
import { benchResidual } from './residual.js';
import { benchSearch, searchMarkdown } from './search.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const results: Record<string, unknown> = { date: new Date().toISOString() };
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const threads = Number(process.env.LOOM_BENCH_THREADS ?? os.availableParallelism());
const range = (xs: number[]) => (xs.length ? `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}` : 'n/a');

function torchReference(): { available: boolean; cnn?: number; mlp?: number; version?: string } {
  try {
    const out = execFileSync('/usr/bin/python3', [path.join(here, 'torch_reference.py'), '5', 'cnn,mlp', String(threads)], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch {
    return { available: false };
  }
}

async function main(): Promise<void> {
  const shape = benchShapeInference();
  results.shapeInference = shape;
  line('shape inference, 1,000-node chain (median ms, goal < 20)', shape.medianMs.toFixed(2));

  const { tf, reason } = await initBackend('wasm');
  line('backend', reason);
  const cnnData = randomData([28, 28, 1], 64 * 16);
  const mlpData = randomData([784], 128 * 40);
  const cnnEngine = await engineLoopRate(tf, cnnDoc, cnnData, 64);
  const cnnHand = await handLoopRate(tf, handCnn(tf), cnnData, 64, 16);
  const mlpEngine = await engineLoopRate(tf, mlpDoc, mlpData, 128);
  const mlpHand = await handLoopRate(tf, handMlp(tf), mlpData, 128, 40);

  // Transposed vs untransposed BatchMatMul on wasm (the engine's kernel transposes first).
  const a = tf.randomUniform([512, 512]);
  const b = tf.randomUniform([512, 512]);
  const mm = (ta: boolean, tb: boolean) => {
    tf.matMul(a, b, ta, tb).dispose();
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) tf.matMul(a, b, ta, tb).dataSync();
    return performance.now() - t0;
  };
  const matmulRatio = mm(true, true) / mm(false, false);
  tf.dispose([a, b]);

  const inference = await inferenceRates(tf, cnnDoc, 256);
  const cnnOrt = await engineLoopRate(tf, cnnDoc, randomData([28, 28, 1], 64 * 40), 64, 'onnxruntime', threads);
  const mlpOrt = await engineLoopRate(tf, mlpDoc, mlpData, 128, 'onnxruntime', threads);
  const residual = await benchResidual(tf, threads, Number(process.env.LOOM_BENCH_RESIDUAL_ROUNDS ?? 2));
  const feeds = [];
  for (const [label, hidden] of FEED_MODELS) feeds.push({ label, ...(await feedCost(tf, hidden)) });
  const job = await jobThroughput(tf);
  results.jobThroughput = job;

  // Stock cpu backend: the CNN is ~1 sample/s there, so one step of 16 samples is measured.
  await initBackend('cpu');
  const cnnCpu = await handLoopRate(tf, handCnn(tf), cnnData, 16, 1, 1);
  const mlpCpu = await handLoopRate(tf, handMlp(tf), mlpData, 128, 5, 1);
  const torch = torchReference();

  results.training = { cnnEngine, cnnHand, cnnCpu, mlpEngine, mlpHand, mlpCpu, torch };
  results.matmulTransposedRatio = matmulRatio;
  results.inference = inference;
  results.onnxruntimeTraining = { threads, cnnOrt, mlpOrt, feeds, residual };

  console.log('');
  line('CNN training samples/s: engine (wasm) | hand tf.js (wasm)', `${fmt(cnnEngine)} | ${fmt(cnnHand)}`);
  line('  (a) engine ÷ hand-written tf.js (goal ≥ 0.97)', fmt(cnnEngine / cnnHand));
  line('  (b) engine ÷ stock tf.js cpu', `${fmt(cnnEngine / cnnCpu)}  (cpu ${fmt(cnnCpu)}/s)`);
  line(`  (c) engine ÷ PyTorch ${threads} threads`, torch.available ? `${fmt(cnnEngine / torch.cnn!)}  (torch ${fmt(torch.cnn!)}/s)` : 'torch not available');
  line('MLP training samples/s: engine (wasm) | hand tf.js (wasm)', `${fmt(mlpEngine)} | ${fmt(mlpHand)}`);
  line('  (a) engine ÷ hand-written tf.js (goal ≥ 0.97)', fmt(mlpEngine / mlpHand));
  line('  (b) engine ÷ stock tf.js cpu', `${fmt(mlpEngine / mlpCpu)}  (cpu ${fmt(mlpCpu)}/s)`);
  line(`  (c) engine ÷ PyTorch ${threads} threads`, torch.available ? `${fmt(mlpEngine / torch.mlp!)}  (torch ${fmt(torch.mlp!)}/s)` : 'torch not available');
  line('wasm BatchMatMul 512² transposed ÷ untransposed time', fmt(matmulRatio));
  line(
    'CNN inference, batch 256: onnxruntime ÷ tf.js wasm predict',
    `${fmt(inference.onnxruntime / inference.tfjs)}  (${fmt(inference.onnxruntime)} vs ${fmt(inference.tfjs)}/s)`,
  );

  line('CNN training: onnxruntime samples/s', fmt(cnnOrt));
  line('  onnxruntime ÷ tf.js wasm (engine)', fmt(cnnOrt / cnnEngine));
  line(`  onnxruntime ÷ PyTorch ${threads} threads (goal ≥ 2)`, torch.available ? fmt(cnnOrt / torch.cnn!) : 'torch not available');
  line('MLP training: onnxruntime samples/s', fmt(mlpOrt));
  line('  onnxruntime ÷ tf.js wasm (engine)', fmt(mlpOrt / mlpEngine));
  line(`  onnxruntime ÷ PyTorch ${threads} threads`, torch.available ? fmt(mlpOrt / torch.mlp!) : 'torch not available');
  for (const r of residual) {
    const label = r.model === 'resnet20' ? 'ResNet-20, 32×32×3, batch 128' : 'NB201 skeleton, mixed cell, 32×32×3, batch 128';
    line(`${label}: onnxruntime | PyTorch samples/s`, `${range(r.onnxruntime)} | ${range(r.torch)}`);
    line(`  onnxruntime ÷ PyTorch ${threads} threads, per round (goal ≥ 1.5)`, r.ratios.length ? r.ratios.map(fmt).join(', ') : 'torch not available');
    if (r.cpu) {
      const t = r.cpu.torch === undefined ? 'torch not available' : `${fmt(r.cpu.ratio!)}  (${fmt(r.cpu.onnxruntime)} vs ${fmt(r.cpu.torch)})`;
      line('  samples per CPU-second at 1 thread: onnxruntime ÷ PyTorch', t);
    }
  }
  for (const f of feeds) {
    line(
      `feeding weights + Adam state, ${f.label} (${f.params} params): ms feed / ms step`,
      `${f.feedMs.toFixed(2)} / ${f.stepMs.toFixed(2)}  (${((100 * f.feedMs) / f.stepMs).toFixed(0)}%)`,
    );
  }

  line(
    'CNN job (designer) ÷ bench loop samples/s, dashboard (goal ≥ 0.9)',
    `${fmt(job.jobDashboard / job.loop)}  (${fmt(job.jobDashboard)} vs ${fmt(job.loop)}/s)`,
  );
  line('  epoch rate incl. validation of 10,000 + checkpoint ÷ loop', fmt(job.jobEpoch / job.loop));

  const table = path.join(here, '../../shared/data/nasbench201/nb201_cifar10.json');
  if (fs.existsSync(table)) {
    const nas = await benchNas(table, 100);
    results.nas = nas;
    for (const r of nas.rows) {
      line(
        `NB201 ${r.strategy}, ${r.runs} runs, 12,000 s: test of best-by-valid (paper)`,
        `${r.mean.toFixed(2)} ± ${r.std.toFixed(2)}  (${r.paper.mean.toFixed(2)} ± ${r.paper.std.toFixed(2)})`,
      );
    }
    line('NAS runner bookkeeping per trial, tabular (ms, goal < 5)', nas.bookkeepingMsPerTrial.toFixed(3));
    // Every ask/tell strategy at 12,000 s, at 100 queries, and with 1/4/16 simulated workers.
    results.search = await benchSearch(table, 100);
    console.log(searchMarkdown(results.search as Awaited<ReturnType<typeof benchSearch>>));
  } else {
    line('NAS-Bench-201 table', `not found at ${table}`);
  }

  const oneShot = await benchOneShot(fs.existsSync(table) ? table : undefined, Number(process.env.LOOM_BENCH_ONESHOT_SEEDS ?? 3));
  results.oneShot = oneShot;
  for (const r of oneShot.rows) {
    line(
      `weight sharing, ${r.method}: search s ÷ evolution's | retrained − evolution's`,
      `${fmt(r.wallRatio)} (${r.searchSeconds.mean.toFixed(0)} s) | ${r.accuracyDelta >= 0 ? '+' : ''}${r.accuracyDelta.toFixed(3)} (${r.retrained.mean.toFixed(3)})`,
    );
    if (r.cifarTest)
      line(
        `  found cells: NB201 CIFAR-10 test | parameter-free ops of 6`,
        `${r.cifarTest.mean.toFixed(2)} ± ${r.cifarTest.std.toFixed(2)} | ${r.paramFree.toFixed(2)}`,
      );
  }

  fs.mkdirSync(path.join(here, 'out'), { recursive: true });
  fs.writeFileSync(path.join(here, 'out', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
