/**
 * NAS-Bench-201 reproduction (Dong & Yang, ICLR 2020, Table 5, CIFAR-10): `runs` seeded
 * searches each for random search, regularized evolution and REINFORCE on the tabular
 * evaluator, 12,000 simulated seconds, searching on `valid` and reporting `test` of the
 * best-by-valid architecture, persisted to a temporary SQLite store as the CLI does. Also
 * measures the runner's bookkeeping per trial (strategy + store + loop, everything but the
 * table lookup), whose goal is < 5 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../engine/store/db.js';
import { meanStd, type StrategyName } from '../nas/runner/config.js';
import { runExperiment } from '../nas/runner/experiment.js';

/** The paper's CIFAR-10 test accuracies (mean ± std over 500 runs), Table 5. */
export const NB201_PAPER = {
  random: { mean: 93.7, std: 0.36 },
  evolution: { mean: 93.92, std: 0.3 },
  reinforce: { mean: 93.85, std: 0.37 },
} as const;

/** One strategy's figures. */
export interface NasBenchRow {
  strategy: StrategyName;
  runs: number;
  /** Test accuracy (%) of the best-by-valid architecture: mean and population std. */
  mean: number;
  std: number;
  paper: { mean: number; std: number };
  /** Valid accuracy (%) of the same architectures. */
  validMean: number;
  meanTrials: number;
  /** Runner time per trial excluding the evaluator (strategy, store, loop), ms. */
  bookkeepingMsPerTrial: number;
  /** Of which the SQLite commit per trial, ms. */
  storeMsPerTrial: number;
}

/** All strategies' figures. */
export interface NasBenchResult {
  budgetSeconds: number;
  rows: NasBenchRow[];
  /** Worst strategy's bookkeeping per trial, ms (goal < 5). */
  bookkeepingMsPerTrial: number;
}

/** Runs the benchmark on a NAS-Bench-201-format table; `runs` seeds per strategy (0..runs-1). */
export async function benchNas(tablePath: string, runs = 100): Promise<NasBenchResult> {
  const budgetSeconds = 12_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-bench-nas-'));
  const db = openDb(dir);
  const rows: NasBenchRow[] = [];
  try {
    for (const strategy of ['random', 'evolution', 'reinforce'] as const) {
      const tests: number[] = [];
      const valids: number[] = [];
      let trials = 0;
      let overheadMs = 0;
      let storeMs = 0;
      for (let seed = 0; seed < runs; seed++) {
        const r = await runExperiment({
          db,
          config: {
            space: 'nb201',
            strategy: { name: strategy },
            evaluator: { spec: `tabular:${tablePath}` },
            objective: { metric: 'valid' },
            report: 'test',
            budget: { seconds: budgetSeconds },
            seed,
          },
        });
        if (!r.best) throw new Error(`${strategy} seed ${seed}: no successful trial`);
        tests.push(r.best.report);
        valids.push(r.best.objective);
        trials += r.timing.trials;
        overheadMs += r.timing.totalMs - r.timing.evaluateMs;
        storeMs += r.timing.storeMs;
      }
      rows.push({
        strategy,
        runs,
        ...meanStd(tests),
        paper: NB201_PAPER[strategy],
        validMean: meanStd(valids).mean,
        meanTrials: trials / runs,
        bookkeepingMsPerTrial: overheadMs / trials,
        storeMsPerTrial: storeMs / trials,
      });
    }
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { budgetSeconds, rows, bookkeepingMsPerTrial: Math.max(...rows.map((r) => r.bookkeepingMsPerTrial)) };
}

// `npx tsx bench/nas.ts [TABLE] [RUNS]` prints the table on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const table = process.argv[2] || path.join(import.meta.dirname, '../../shared/data/nasbench201/nb201_cifar10.json');
  const res = await benchNas(table, Number(process.argv[3] ?? 100));
  for (const r of res.rows) {
    console.log(
      `${r.strategy.padEnd(10)} test ${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} (paper ${r.paper.mean.toFixed(2)} ± ${r.paper.std.toFixed(2)})` +
        `  valid ${r.validMean.toFixed(2)}  ${r.meanTrials.toFixed(1)} trials/run  ${r.bookkeepingMsPerTrial.toFixed(3)} ms/trial (store ${r.storeMsPerTrial.toFixed(3)})`,
    );
  }
}
