/**
 * The cost estimate shown before a search launches: measured, not guessed. The largest
 * candidate (by FLOPs) trains for a few hundred samples in a `layerloom train` process; its
 * steady samples/s times the training-set size gives seconds per epoch, which the strategy's
 * budget turns into a total.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { z } from 'zod';
import { parseJson } from '../../engine/graph/load.js';
import { childExecArgv } from '../../engine/util/deep-stack.js';
import { loadDataset } from '../../engine/data/registry.js';
import type { searchSettingsSchema } from '../../engine/server/protocol/search.js';
import { drawnSpace } from '../space/drawn.js';

type Settings = z.output<typeof searchSettingsSchema>;

/** Samples used for the throughput measurement. */
const PROBE_SAMPLES = 384;

/** Steady-state training samples/s of `doc` on `data`, measured in a child `layerloom train`. */
async function measureThroughput(cliPath: string, text: string, s: Settings, data: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-estimate-'));
  const file = path.join(dir, 'candidate.loom.json');
  fs.writeFileSync(file, text);
  const args = [
    cliPath,
    'train',
    file,
    '--json',
    '--data',
    data,
    '--epochs',
    '1',
    '--limit',
    String(PROBE_SAMPLES),
    '--data-dir',
    dir,
    ...(s.batch ? ['--batch', String(s.batch)] : []),
    ...(s.backend ? ['--backend', s.backend] : []),
  ];
  try {
    const child = spawn(process.execPath, [...childExecArgv(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let best = 0;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const e = JSON.parse(line) as { event?: string; samplesPerSec?: number };
        if ((e.event === 'batch' || e.event === 'epoch') && e.samplesPerSec) best = Math.max(best, e.samplesPerSec);
      } catch {
        // not an event
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0 || best <= 0) throw new Error(`could not measure training speed: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
    return best;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Estimates the wall time of a search in seconds, with how it was derived. */
export async function estimateSearch(cliPath: string, text: string, s: Settings): Promise<{ seconds: number; secondsPerEpoch: number | null; detail: string }> {
  if (s.evaluator.startsWith('tabular:')) {
    return { seconds: 0, secondsPerEpoch: null, detail: 'tabular lookups train nothing: the search takes seconds' };
  }
  const space = drawnSpace(text);
  const doc = parseJson(text) as { training?: { dataset?: string; epochs?: number; limit?: number } };
  const data = s.data ?? doc.training?.dataset;
  if (!data) throw new Error('no dataset: choose one in the search settings or the training panel');
  const largest = space.extremes(s.seed ?? 0).maxFlops;
  const candidate = `${JSON.stringify(space.materialize(largest.sample))}\n`;
  const [sps, ds] = await Promise.all([measureThroughput(cliPath, candidate, s, data), loadDataset(data, { seed: s.seed ?? 0 })]);
  const trainCount = Math.min(s.limit ?? doc.training?.limit ?? Infinity, ds.test ? ds.count : Math.round(ds.count * 0.8));
  const perEpoch = trainCount / sps;
  if (s.evaluator === 'supernet') {
    const epochs = s.supernetEpochs ?? 10;
    // DARTS runs every op of a mixed edge per step; SPOS/ENAS one path (about one candidate).
    const widest = Math.max(1, ...space.decisions.map((d) => d.options.length));
    const factor = s.strategy === 'darts' ? widest : 1;
    const seconds = epochs * perEpoch * factor;
    return {
      seconds,
      secondsPerEpoch: perEpoch,
      detail: `${epochs} supernet epochs × ${perEpoch.toFixed(1)} s per epoch of the largest candidate${factor > 1 ? ` × ${factor} ops per mixed edge (DARTS)` : ''}`,
    };
  }
  const epochs = s.epochs ?? doc.training?.epochs ?? 1;
  const trials = s.budgetTrials ?? 20;
  const workers = Math.max(1, Math.min(s.workers ?? 1, os.cpus().length));
  const seconds = (trials * epochs * perEpoch) / workers;
  return {
    seconds,
    secondsPerEpoch: perEpoch,
    detail: `${trials} trials × ${epochs} epoch${epochs > 1 ? 's' : ''} × ${perEpoch.toFixed(1)} s per epoch (largest candidate, ${Math.round(sps)} samples/s on ${trainCount} samples)${workers > 1 ? ` ÷ ${workers} workers` : ''}; an upper bound, smaller candidates train faster`,
  };
}
