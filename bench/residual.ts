/**
 * Residual/BatchNorm training speed (issue 15): the ResNet-20-style network and the NB201
 * skeleton with a mixed cell (bench/residual-models.ts) on 32×32×3, batch 128, Adam, trained
 * by the engine's loop on onnxruntime and by PyTorch (bench/torch_reference.py, same layers,
 * batch, optimizer and thread count). The two alternate `rounds` times, so a noisy machine
 * shows up as a range rather than as one lucky figure.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Tf } from '../engine/layers/types.js';
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
}

/** PyTorch samples/s for `models`, or undefined when /usr/bin/python3 has no torch. */
export function torchRates(models: string[], threads: number, seconds = 5): Record<string, number> | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', [path.join(here, 'torch_reference.py'), String(seconds), models.join(','), String(threads)], {
      encoding: 'utf8',
      timeout: 600_000,
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
  return rows;
}
