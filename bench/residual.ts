/**
 * Residual/BatchNorm training speed (issue 15): the ResNet-20-style network and the NB201
 * skeleton with a mixed cell (bench/residual-models.ts) on 32×32×3, batch 128, Adam, trained
 * by the engine's loop on onnxruntime and by PyTorch (bench/torch_reference.py, same layers,
 * batch, optimizer and thread count). The two alternate `rounds` times, so a noisy machine
 * shows up as a range rather than as one lucky figure. On a shared machine wall-clock ratios
 * swing with the load (PyTorch's OpenMP threads suffer more from oversubscription), so a
 * second ratio compares samples per CPU-second at 1 thread.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { compileGraph } from '../engine/compile/compile.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import type { LoomDocumentInput } from '../engine/graph/schema.js';
import type { Tf } from '../engine/layers/types.js';
import { trainingConfigSchema } from '../engine/train/config.js';
import { OrtStepper } from '../engine/train/onnx-step/ort-stepper.js';
import { nb201MixedDoc, resnet20Doc } from './residual-models.js';
import { engineLoopRate, randomData } from './training.js';

const here = path.dirname(new URL(import.meta.url).pathname);

/** Samples/s per round for one network. */
export interface ResidualRow {
  model: 'resnet20' | 'nb201';
  onnxruntime: number[];
  torch: number[];
  /** onnxruntime ÷ PyTorch per round (empty without torch). */
  ratios: number[];
  /**
   * Samples per second of process CPU time at 1 thread, onnxruntime's compiled step and
   * PyTorch: a ratio that other processes on a busy machine barely move.
   */
  cpu?: { onnxruntime: number; torch?: number; ratio?: number };
}

/** Samples per CPU-second of the compiled step replayed on one batch at 1 thread (after 2 warm-ups). */
export async function stepCpuRate(tf: Tf, doc: LoomDocumentInput, steps = 3, batchSize = 128): Promise<number> {
  const graph = loadGraphFromText(JSON.stringify(doc));
  const { model, outputs } = compileGraph(tf, graph, { seed: 1 });
  const data = randomData([32, 32, 3], batchSize);
  const config = trainingConfigSchema.parse({ batchSize, optimizer: { name: 'adam' } });
  const stepper = await OrtStepper.create({ graph, model, output: outputs[0], config, train: data, threads: 1 });
  const batch = { n: batchSize, x: data.x, xShape: [batchSize, 32, 32, 3], y: Int32Array.from(data.y), yShape: [batchSize] };
  for (let i = 0; i < 2; i++) await stepper.step(batch, 0.001, 1);
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) await stepper.step(batch, 0.001, 1);
  const c = process.cpuUsage(c0);
  stepper.dispose();
  model.dispose();
  return (steps * batchSize) / ((c.user + c.system) / 1e6);
}

/** PyTorch samples/s for `models`, or undefined when /usr/bin/python3 has no torch. */
export function torchRates(models: string[], threads: number, seconds = 5, cpuTime = false): Record<string, number> | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', [path.join(here, 'torch_reference.py'), String(seconds), models.join(','), String(threads)], {
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, LOOM_TORCH_CPU_TIME: cpuTime ? '1' : '0' },
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number> & { available: boolean };
    return r.available ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Alternating onnxruntime / PyTorch rounds for both networks (`samples` per epoch, 2 epochs, the second timed). */
export async function benchResidual(tf: Tf, threads: number, rounds = 2, samples = 128 * 6): Promise<ResidualRow[]> {
  const data = randomData([32, 32, 3], samples);
  const docs = { resnet20: resnet20Doc(), nb201: nb201MixedDoc() } as const;
  const rows: ResidualRow[] = (['resnet20', 'nb201'] as const).map((model) => ({ model, onnxruntime: [], torch: [], ratios: [] }));
  for (let r = 0; r < rounds; r++) {
    for (const row of rows) row.onnxruntime.push(await engineLoopRate(tf, docs[row.model], data, 128, 'onnxruntime', threads));
    const torch = torchRates(['resnet20', 'nb201'], threads);
    for (const row of rows) {
      if (!torch) continue;
      row.torch.push(torch[row.model]);
      row.ratios.push(row.onnxruntime[r] / torch[row.model]);
    }
  }
  const torchCpu = torchRates(['resnet20', 'nb201'], 1, 4, true);
  for (const row of rows) {
    const ort = await stepCpuRate(tf, docs[row.model]);
    const t = torchCpu?.[row.model];
    row.cpu = { onnxruntime: ort, ...(t !== undefined && { torch: t, ratio: ort / t }) };
  }
  return rows;
}
