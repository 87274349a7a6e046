/**
 * Weight sharing vs full training on one drawn space (the nb201 cell space in its skeleton,
 * 2 stages × 1 cell at 8 channels, on the embedded 8×8 digits): SPOS, ENAS and DARTS (each
 * with and without its collapse remedy where it has one) against the reference, regularized
 * evolution whose every trial is trained (4 epochs, the retraining protocol's optimizer).
 * Every found cell gets the same final retraining (nas/runner/retrain.ts, 10 epochs, 3
 * retraining seeds), and its NAS-Bench-201 CIFAR-10 test accuracy is looked up.
 *
 * Figures per method, over `seeds` search seeds: search wall time, retrained accuracy,
 * NB201 CIFAR-10 test of the found cell, parameter-free ops (none, skip, pool) among its six
 * edges. Ratios: wall time ÷ evolution's, accuracy − evolution's, measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../engine/store/db.js';
import { meanStd, type ExperimentConfig } from '../nas/runner/config.js';
import { runExperiment } from '../nas/runner/experiment.js';
import { nb201Lookup, oneShotConfig } from '../nas/runner/one-shot-config.js';
import { RETRAIN_PROTOCOL, retrain } from '../nas/runner/retrain.js';
import { nb201SkeletonSpace } from '../nas/space/nb201-skeleton.js';
import type { OneShotName } from '../nas/strategies/one-shot.js';

/** One search method of the benchmark. */
interface Method {
  label: string;
  /** null: the reference (evolution with trained trials). */
  strategy: OneShotName | null;
  options?: Record<string, unknown>;
}

const METHODS: Method[] = [
  { label: 'evolution, trained trials', strategy: null },
  { label: 'SPOS', strategy: 'spos' },
  { label: 'ENAS (op-dropout remedy)', strategy: 'enas' },
  { label: 'ENAS, no remedy', strategy: 'enas', options: { remedy: 'none' } },
  { label: 'DARTS (op-dropout remedy)', strategy: 'darts' },
  { label: 'DARTS-', strategy: 'darts', options: { remedy: 'darts-' } },
  { label: 'DARTS, no remedy', strategy: 'darts', options: { remedy: 'none' } },
];

const DATASET = 'digits';
const CHANNELS = 8;
const EPOCHS: Record<OneShotName, number> = { spos: 15, enas: 15, darts: 8 };
/** The reference's budget: trials and epochs per trial. */
const EVOLUTION = { trials: 24, epochs: 4 };
const RETRAIN_SEEDS = [1, 2, 3];

/** One method's figures. */
export interface OneShotBenchRow {
  method: string;
  cells: string[];
  searchSeconds: { mean: number; std: number };
  retrained: { mean: number; std: number };
  cifarTest: { mean: number; std: number } | null;
  paramFree: number;
  /** Ratios against the reference (evolution with trained trials). */
  wallRatio: number;
  accuracyDelta: number;
}

/** The benchmark's result. */
export interface OneShotBenchResult {
  seeds: number;
  rows: OneShotBenchRow[];
}

const PARAM_FREE = /none|skip_connect|avg_pool_3x3/g;

/** Runs the benchmark; `table` (optional) is a NAS-Bench-201-format table for the look-ups. */
export async function benchOneShot(
  table: string | undefined,
  seeds = 3,
  log: (s: string) => void = () => {},
  methods: Method[] = METHODS,
  retrainSeeds = RETRAIN_SEEDS,
): Promise<OneShotBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-bench-oneshot-'));
  const db = openDb(dir);
  try {
    const raw: { method: Method; cells: string[]; seconds: number[]; retrained: number[]; cifar: number[] }[] = [];
    for (const method of methods) {
      const row = { method, cells: [] as string[], seconds: [] as number[], retrained: [] as number[], cifar: [] as number[] };
      for (let seed = 0; seed < seeds; seed++) {
        const base = await oneShotConfig({
          strategy: method.strategy ?? 'spos',
          options: method.options,
          supernet: { dataset: DATASET, epochs: EPOCHS[method.strategy ?? 'spos'] },
          seed,
          skeleton: { channels: CHANNELS },
        });
        const config: ExperimentConfig = method.strategy ? base : evolutionConfig(base.spaceDoc!, seed);
        const t0 = performance.now();
        const r = await runExperiment({ db, config });
        row.seconds.push((performance.now() - t0) / 1000);
        const cell = r.best!.key;
        row.cells.push(cell);
        const space = nb201SkeletonSpace(base.spaceDoc!);
        const accs: number[] = [];
        for (const s of retrainSeeds) accs.push((await retrain(space, cell, { dataset: DATASET, seed: s })).signal);
        row.retrained.push(meanStd(accs).mean);
        const hit = table ? nb201Lookup(table, cell) : undefined;
        if (hit) row.cifar.push(hit.test);
        log(
          `${method.label} seed ${seed}: ${cell} ${row.seconds.at(-1)!.toFixed(0)} s, retrained ${row.retrained.at(-1)!.toFixed(3)}${hit ? `, NB201 CIFAR-10 test ${hit.test}` : ''}`,
        );
      }
      raw.push(row);
    }
    const ref = raw[0];
    const refSeconds = meanStd(ref.seconds).mean;
    const refAcc = meanStd(ref.retrained).mean;
    const rows = raw.map((r) => ({
      method: r.method.label,
      cells: r.cells,
      searchSeconds: meanStd(r.seconds),
      retrained: meanStd(r.retrained),
      cifarTest: r.cifar.length ? meanStd(r.cifar) : null,
      paramFree: r.cells.reduce((n, c) => n + (c.match(PARAM_FREE)?.length ?? 0), 0) / r.cells.length,
      wallRatio: meanStd(r.seconds).mean / refSeconds,
      accuracyDelta: meanStd(r.retrained).mean - refAcc,
    }));
    return { seeds, rows };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The reference: regularized evolution on the same skeleton, each trial trained. */
function evolutionConfig(spaceDoc: string, seed: number): ExperimentConfig {
  // Trials train with the retraining protocol's optimizer, for fewer epochs.
  const doc = JSON.parse(spaceDoc) as { training?: Record<string, unknown> };
  doc.training = { ...doc.training, ...RETRAIN_PROTOCOL };
  return {
    space: 'nb201',
    spaceDoc: JSON.stringify(doc),
    strategy: { name: 'evolution' },
    evaluator: { spec: 'train', train: { dataset: DATASET, epochs: EVOLUTION.epochs, seed: 1 } },
    objective: { metric: 'valAccuracy' },
    report: 'valAccuracy',
    budget: { trials: EVOLUTION.trials },
    seed,
  };
}

// `npx tsx bench/one-shot.ts [SEEDS] [defaults|all] [RETRAIN_SEEDS]` prints the table on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const table = path.join(import.meta.dirname, '../../shared/data/nasbench201/nb201_cifar10.json');
  // `defaults`: the reference and each strategy with its default settings only.
  const methods = process.argv[3] === 'defaults' ? METHODS.filter((m) => !m.options) : METHODS;
  // A fourth argument retrains each found cell with that many of the retraining seeds.
  const retrainSeeds = RETRAIN_SEEDS.slice(0, Number(process.argv[4] ?? RETRAIN_SEEDS.length));
  const res = await benchOneShot(fs.existsSync(table) ? table : undefined, Number(process.argv[2] ?? 3), (s) => console.log(s), methods, retrainSeeds);
  for (const r of res.rows) {
    console.log(
      `${r.method.padEnd(28)} ${r.searchSeconds.mean.toFixed(0).padStart(5)} s (×${r.wallRatio.toFixed(2)})  retrained ${r.retrained.mean.toFixed(3)} ± ${r.retrained.std.toFixed(3)} (${r.accuracyDelta >= 0 ? '+' : ''}${r.accuracyDelta.toFixed(3)})` +
        `  NB201 test ${r.cifarTest ? `${r.cifarTest.mean.toFixed(2)} ± ${r.cifarTest.std.toFixed(2)}` : 'n/a'}  param-free ${r.paramFree.toFixed(2)}/6`,
    );
  }
  console.log(JSON.stringify(res));
}
