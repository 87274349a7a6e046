/**
 * `npx tsx bench/queue.ts`: search trials through BullMQ on a local redis-server (started on a
 * free loopback port) against the same search on local worker processes, in one run:
 *  - a tabular NAS-Bench-201 search of 200 trials with 4 workers, both ways, alternated A/B/A/B:
 *    the steady per-trial time (trials 20..200, so process start-up and table loading are out)
 *    and the queue's overhead per trial over local (goal < 5 ms);
 *  - a 24-trial train search (examples/spaces/space-digits.loom.json, 1 epoch, 200 samples)
 *    on 1 and on 2 queue worker processes, 1 onnxruntime thread per trial
 *    (LOOM_BENCH_QUEUE_THREADS): wall time and the speed-up.
 * LOOM_BENCH_QUEUE_PARTS=train (or tabular) runs one part only.
 * Needs /usr/bin/redis-server and ../shared's table. Prints a table and writes bench/out/queue.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../engine/store/db.js';
import type { ExperimentConfig } from '../nas/runner/config.js';
import { runExperiment } from '../nas/runner/experiment.js';
import { startQueueWorker, type QueueWorker } from '../nas/runner/queue/queue-worker.js';
import { spawn } from 'node:child_process';
import net from 'node:net';

const root = path.join(import.meta.dirname, '..');
const TABLE = path.join(root, '../shared/data/nasbench201/nb201_cifar10.json');
const SPACE = path.join(root, 'examples/spaces/space-digits.loom.json');
const WARM = 20;

/** A throw-away redis-server on a free loopback port (no persistence), stopped by `dispose`. */
async function startRedis(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => ((out += d), out.includes('Ready to accept connections') && resolve()));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, dispose: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

/** Runs one search; returns total wall seconds and steady ms per trial after the first WARM trials. */
async function timed(
  config: ExperimentConfig,
  extra: { queue?: string; workers: number },
): Promise<{ totalS: number; steadyMsPerTrial: number; trials: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-qbench-'));
  const db = openDb(dir);
  const stamps: number[] = [];
  const t0 = performance.now();
  const r = await runExperiment({ db, config, ...extra, onTrial: () => stamps.push(performance.now()) });
  const totalS = (performance.now() - t0) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const from = Math.min(WARM, stamps.length - 1);
  const steady = (stamps.at(-1)! - stamps[from]) / (stamps.length - 1 - from);
  return { totalS, steadyMsPerTrial: steady, trials: r.trials };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const out: Record<string, unknown> = { date: new Date().toISOString(), cores: os.availableParallelism() };
  const line = (label: string, value: string) => console.log(`${label.padEnd(64)} ${value}`);
  try {
    const parts = process.env.LOOM_BENCH_QUEUE_PARTS ?? 'tabular,train';
    if (parts.includes('tabular')) {
      // Tabular: 200 trials, 4 workers, local processes vs queue (4 queue workers of 1 process each).
      const tab = (seed: number): ExperimentConfig => ({
        space: 'nb201',
        strategy: { name: 'random' },
        evaluator: { spec: `tabular:${TABLE}` },
        objective: { metric: 'valid' },
        report: 'test',
        budget: { trials: 200 },
        seed,
      });
      const workers: QueueWorker[] = [];
      for (let i = 0; i < 4; i++) workers.push(await startQueueWorker({ url: redis.url, concurrency: 1, name: `bench${i}`, log: () => undefined }));
      const local: number[] = [];
      const queued: number[] = [];
      for (let round = 0; round < 2; round++) {
        local.push((await timed(tab(round), { workers: 4 })).steadyMsPerTrial);
        queued.push((await timed(tab(round), { workers: 4, queue: redis.url })).steadyMsPerTrial);
      }
      for (const w of workers) await w.close();
      const overhead = queued.map((q, i) => q - local[i]);
      out.tabular = { local, queued, overhead };
      line('tabular 200 trials, 4 workers: local ms/trial (rounds)', local.map((x) => x.toFixed(2)).join(', '));
      line('  through the queue ms/trial (rounds)', queued.map((x) => x.toFixed(2)).join(', '));
      line('  queue overhead ms/trial (goal < 5)', overhead.map((x) => x.toFixed(2)).join(', '));
    }
    if (parts.includes('train')) {
      // Train: 24 trials on 1 vs 2 queue worker processes.
      const train: ExperimentConfig = {
        space: 'space-digits.loom.json',
        spaceDoc: fs.readFileSync(SPACE, 'utf8'),
        strategy: { name: 'random' },
        evaluator: { spec: 'train', train: { epochs: 1, limit: 200 } },
        objective: { metric: 'valAccuracy' },
        report: 'valAccuracy',
        budget: { trials: 24 },
        seed: 0,
      };
      // One onnxruntime thread per trial, so two workers do not fight over the cores of a small machine.
      const threads = Number(process.env.LOOM_BENCH_QUEUE_THREADS ?? 1);
      out.trainThreads = threads;
      const trainRuns: Record<string, number> = {};
      for (const n of [1, 2]) {
        const ws: QueueWorker[] = [];
        for (let i = 0; i < n; i++) ws.push(await startQueueWorker({ url: redis.url, concurrency: 1, threads, name: `train${i}`, log: () => undefined }));
        const r = await timed(train, { workers: n, queue: redis.url });
        for (const w of ws) await w.close();
        trainRuns[`workers${n}`] = r.totalS;
        line(`train search 24 trials, ${n} queue worker process${n > 1 ? 'es' : ''}: wall s (trials)`, `${r.totalS.toFixed(1)} (${r.trials})`);
      }
      const speedup = trainRuns.workers1 / trainRuns.workers2;
      out.train = { ...trainRuns, speedup };
      line('  speed-up 2 vs 1 worker', speedup.toFixed(2));
    }
  } finally {
    await redis.dispose();
  }
  fs.mkdirSync(path.join(root, 'bench/out'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/out/queue.json'), JSON.stringify(out, null, 2));
}

await main();
