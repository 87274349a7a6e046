// Simulated asynchronous workers, multi-fidelity trials and tables without timing fields,
// through the experiment runner on the real NAS-Bench-201 table and on small tables.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../engine/store/experiments.js';
import type { ExperimentConfig } from './config.js';
import { useTempDbs } from './test-db.testkit.js';
import { resumeExperiment, runExperiment } from './experiment.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const TABLE = path.join(repoRoot, '../shared/data/nasbench201/nb201_cifar10.json');
const tmpDb = useTempDbs('loom-simworkers-');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-notime-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config = (over: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  space: 'nb201',
  strategy: { name: 'evolution' },
  evaluator: { spec: `tabular:${TABLE}` },
  objective: { metric: 'valid' },
  report: 'test',
  budget: { seconds: 12_000 },
  seed: 3,
  ...over,
});

describe('simulated workers on a table', () => {
  it('tells results in simulated finishing order and spends the same total budget', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config({ workers: 4 }) });
    const trials = new ExperimentStore(db).trials(r.id);
    const finished = trials.map((t) => t.metrics.finishedAt);
    for (let i = 1; i < finished.length; i++) expect(finished[i]).toBeGreaterThanOrEqual(finished[i - 1]);
    const total = trials.reduce((a, t) => a + t.costSeconds, 0);
    expect(total).toBeCloseTo(r.simulatedSeconds, 6);
    expect(r.simulatedSeconds).toBeLessThanOrEqual(12_000);
    // Four workers: the simulated wall clock is about a quarter of the compute spent.
    expect(finished.at(-1)!).toBeLessThan(0.4 * total);
    expect(finished.at(-1)!).toBeGreaterThan(0.2 * total);
    expect(new ExperimentStore(db).pending(r.id)).toEqual([]);
  });

  it('is deterministic for a seed, and one worker is the sequential run', async () => {
    const db = tmpDb();
    const keys = async (workers: number) => {
      const r = await runExperiment({ db, config: config({ workers, budget: { trials: 40 } }) });
      return new ExperimentStore(db).trials(r.id).map((t) => t.key);
    };
    expect(await keys(4)).toEqual(await keys(4));
    const seq = await runExperiment({ db, config: config({ budget: { trials: 40 } }) });
    const one = await runExperiment({ db, config: config({ budget: { trials: 40 } }), workers: 1 });
    expect(new ExperimentStore(db).trials(one.id).map((t) => t.key)).toEqual(new ExperimentStore(db).trials(seq.id).map((t) => t.key));
    expect(await keys(4)).not.toEqual(new ExperimentStore(db).trials(seq.id).map((t) => t.key));
  });

  it('resumes a cancelled run without losing or repeating a trial', async () => {
    const db = tmpDb();
    const ctl = new AbortController();
    let seen = 0;
    const first = await runExperiment({
      db,
      config: config({ workers: 4, budget: { trials: 30 } }),
      signal: ctl.signal,
      onTrial: () => void (++seen === 10 && ctl.abort()),
    });
    expect(first.status).toBe('cancelled');
    const store = new ExperimentStore(db);
    // The 10th result freed a worker and the abort came before it was refilled: 3 in flight.
    expect(store.pending(first.id).length).toBe(3);
    const done = await resumeExperiment({ db, id: first.id });
    expect(done.status).toBe('completed');
    const ids = store.trials(first.id).map((t) => t.trialId);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });
});

describe('multi-fidelity trials (ASHA) on a table', () => {
  it('screens on test12, promotes to valid, charges the share, and reports only full-fidelity trials', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config({ strategy: { name: 'asha' } }) });
    const trials = new ExperimentStore(db).trials(r.id);
    const low = trials.filter((t) => t.metrics.fidelity !== undefined);
    const full = trials.filter((t) => t.metrics.fidelity === undefined);
    expect(low.length).toBeGreaterThan(2 * full.length);
    expect(full.length).toBeGreaterThan(10);
    const table = JSON.parse(fs.readFileSync(TABLE, 'utf8')) as { archs: Record<string, Record<string, number>> };
    for (const t of low.slice(0, 20)) {
      const e = table.archs[t.key];
      expect(t.metrics).toEqual({ valid: e.test12, fidelity: 12 / 200, params: e.params, flops: e.flops });
      expect(t.costSeconds).toBeCloseTo(0.06 * 12 * e.train_time + e.eval_time, 6);
    }
    // Every full-fidelity trial is a promotion of a low-fidelity one.
    for (const t of full) expect(low.some((l) => l.trialId === t.parent && l.key === t.key)).toBe(true);
    expect(full.some((t) => t.trialId === r.best!.trialId)).toBe(true);
    expect(r.best!.report).toBe(table.archs[r.best!.key].test);
  });
});

describe('tables without timing fields', () => {
  const file = path.join(tmp, 'notime.json');
  const archs: Record<string, { valid: number; test: number }> = {};
  // A small nb201-keyed table: the cells whose first edge is a 3x3 conv score higher.
  const ops = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];
  for (let i = 0; i < 5 ** 6; i++) {
    const o = Array.from({ length: 6 }, (_, d) => ops[Math.floor(i / 5 ** d) % 5]);
    const key = `|${o[0]}~0|+|${o[1]}~0|${o[2]}~1|+|${o[3]}~0|${o[4]}~1|${o[5]}~2|`;
    archs[key] = { valid: (o[0] === 'nor_conv_3x3' ? 50 : 0) + (i % 50), test: i % 97 };
  }
  fs.writeFileSync(file, JSON.stringify({ archs }));

  it('work with a trial budget (queries cost nothing)', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config({ evaluator: { spec: `tabular:${file}` }, budget: { trials: 25 } }) });
    expect([r.status, r.trials, r.simulatedSeconds]).toEqual(['completed', 25, 0]);
  });

  it('are refused with a time budget, saying which field is missing and what to use', async () => {
    const db = tmpDb();
    await expect(runExperiment({ db, config: config({ evaluator: { spec: `tabular:${file}` } }) })).rejects.toThrow(
      /a time budget \(--budget-seconds\) charges each query 12 × train_time \+ 1 × eval_time, but the entries have no numeric field "train_time" .*use a trial budget \(--budget-trials\)/,
    );
  });
});
