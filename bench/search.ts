/**
 * Sample efficiency of every ask/tell strategy on the NAS-Bench-201 CIFAR-10 table (issue 22):
 * random search, regularized evolution, REINFORCE, local search, Bayesian optimisation (GP +
 * EI in the BANANAS loop) and ASHA, each `runs` seeded searches through the experiment runner
 * (temporary SQLite store, as the CLI), searching on `valid` and reporting `test` of the
 * best-by-valid full-fidelity architecture:
 *  - at the 12,000 s simulated budget and at 100 queries;
 *  - at 12,000 s with 1, 4 and 16 simulated asynchronous workers (same total compute).
 * Every strategy runs with its defaults; nothing here is tuned per table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../engine/store/db.js';
import { meanStd, type ExperimentConfig, type StrategyName } from '../nas/runner/config.js';
import { runExperiment } from '../nas/runner/experiment.js';

/** The strategies compared, in table order. */
export const SEARCH_STRATEGIES = ['random', 'evolution', 'reinforce', 'local', 'bayesopt', 'asha'] as const satisfies readonly StrategyName[];

/** Mean ± std (population) of the reported test accuracy, with the queries spent. */
export interface SearchCell {
  mean: number;
  std: number;
  /** Mean number of queries per run (all fidelities). */
  queries: number;
}

/** One strategy's row. */
export interface SearchRow {
  strategy: StrategyName;
  seconds12k: SearchCell;
  queries100: SearchCell;
  /** Workers -> result at 12,000 s. */
  workers: Record<number, SearchCell>;
  /** Wall time of the strategy's runs here, seconds. */
  wallSeconds: number;
}

/** The benchmark's figures. */
export interface SearchBenchResult {
  runs: number;
  budgetSeconds: number;
  workerCounts: number[];
  rows: SearchRow[];
  optimum: number | null;
}

async function cell(db: ReturnType<typeof openDb>, base: Omit<ExperimentConfig, 'seed'>, runs: number): Promise<SearchCell> {
  const tests: number[] = [];
  let queries = 0;
  for (let seed = 0; seed < runs; seed++) {
    const r = await runExperiment({ db, config: { ...base, seed } });
    if (!r.best) throw new Error(`${base.strategy.name} seed ${seed}: no successful full-fidelity trial`);
    tests.push(r.best.report);
    queries += r.trials;
  }
  return { ...meanStd(tests), queries: queries / runs };
}

/** Runs the benchmark; `strategies` to run a subset. */
export async function benchSearch(
  tablePath: string,
  runs = 100,
  workerCounts = [1, 4, 16],
  strategies: readonly StrategyName[] = SEARCH_STRATEGIES,
): Promise<SearchBenchResult> {
  const budgetSeconds = 12_000;
  // The store commits once per trial; a RAM-backed folder keeps that from dominating.
  const root = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(root, 'loom-bench-search-'));
  const db = openDb(dir);
  const rows: SearchRow[] = [];
  try {
    for (const strategy of strategies) {
      const t0 = performance.now();
      const base = {
        space: 'nb201',
        strategy: { name: strategy },
        evaluator: { spec: `tabular:${tablePath}` },
        objective: { metric: 'valid' },
        report: 'test',
      };
      const seconds12k = await cell(db, { ...base, budget: { seconds: budgetSeconds } }, runs);
      const queries100 = await cell(db, { ...base, budget: { trials: 100 } }, runs);
      const workers: Record<number, SearchCell> = {};
      for (const w of workerCounts) {
        workers[w] = w === 1 ? seconds12k : await cell(db, { ...base, budget: { seconds: budgetSeconds }, workers: w }, runs);
      }
      rows.push({ strategy, seconds12k, queries100, workers, wallSeconds: (performance.now() - t0) / 1000 });
    }
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const table = JSON.parse(fs.readFileSync(tablePath, 'utf8')) as { optimum?: { test?: number } };
  return { runs, budgetSeconds, workerCounts, rows, optimum: table.optimum?.test ?? null };
}

const f = (c: SearchCell) => `${c.mean.toFixed(2)} ± ${c.std.toFixed(2)}`;

/** The result as the markdown table BENCHMARKS.md carries. */
export function searchMarkdown(r: SearchBenchResult): string {
  const head = `| strategy | test @ 12,000 s | queries | test @ 100 queries | ${r.workerCounts.map((w) => `${w} worker${w > 1 ? 's' : ''}`).join(' | ')} |`;
  const sep = `|---|---|---|---|${r.workerCounts.map(() => '---').join('|')}|`;
  const lines = r.rows.map(
    (x) =>
      `| ${x.strategy} | ${f(x.seconds12k)} | ${x.seconds12k.queries.toFixed(1)} | ${f(x.queries100)} | ${r.workerCounts.map((w) => f(x.workers[w])).join(' | ')} |`,
  );
  return [head, sep, ...lines].join('\n');
}

// `npx tsx bench/search.ts [RUNS] [STRATEGY,…]` prints the table on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const table = path.join(import.meta.dirname, '../../shared/data/nasbench201/nb201_cifar10.json');
  const only = process.argv[3]?.split(',') as StrategyName[] | undefined;
  const res = await benchSearch(table, Number(process.argv[2] ?? 100), [1, 4, 16], only ?? SEARCH_STRATEGIES);
  console.log(searchMarkdown(res));
  for (const r of res.rows) console.log(`${r.strategy}: ${r.wallSeconds.toFixed(0)} s`);
  fs.mkdirSync(path.join(import.meta.dirname, 'out'), { recursive: true });
  fs.writeFileSync(path.join(import.meta.dirname, 'out', `search${only ? `-${only.join('-')}` : ''}.json`), `${JSON.stringify(res, null, 2)}\n`);
}
