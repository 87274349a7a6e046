// Budget rules, persistence and resume of experiments (in-process; the CLI kill test is in
// tests/cli/search.test.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentStore, type TrialRecord } from '../../engine/store/experiments.js';
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import { TabularEvaluator } from '../evaluators/tabular.js';
import type { ExperimentConfig } from './config.js';
import { meanStd, parseExperimentConfig } from './config.js';
import { useTempDbs } from './test-db.testkit.js';
import { resumeExperiment, runExperiment } from './experiment.js';
import { defaultDeps, type RunnerDeps } from './registry.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const TABLE = path.join(repoRoot, '../shared/data/nasbench201/nb201_cifar10.json');

const tmpDb = useTempDbs('loom-nas-');

const config = (over: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  space: 'nb201',
  strategy: { name: 'random' },
  evaluator: { spec: `tabular:${TABLE}` },
  objective: { metric: 'valid' },
  report: 'test',
  budget: { seconds: 12_000 },
  seed: 7,
  ...over,
});

/** Evaluator with scripted costs (call i costs costs[i % n]) and signal = -cost. */
function scripted(costs: number[]): Partial<RunnerDeps> {
  let calls = 0;
  const evaluator: Evaluator = {
    spec: 'scripted',
    evaluate(): Evaluation {
      const c = costs[calls++ % costs.length];
      return { signal: -c, report: c, metrics: { c }, costSeconds: c };
    },
  };
  return { evaluator: () => evaluator };
}

/** The fields that must match between an interrupted-and-resumed and an uninterrupted run. */
const comparable = (ts: TrialRecord[]) => ts.map(({ createdAt: _c, wallMs: _w, ...t }) => t);

describe('budget rules', () => {
  it('stops before a query would exceed the simulated time (equal is allowed), without skipping ahead', async () => {
    const db = tmpDb();
    let r = await runExperiment({ db, config: config({ budget: { seconds: 30 } }), deps: scripted([10]) });
    expect([r.trials, r.simulatedSeconds, r.status]).toEqual([3, 30, 'completed']);
    r = await runExperiment({ db, config: config({ budget: { seconds: 39 } }), deps: scripted([10]) });
    expect([r.trials, r.simulatedSeconds]).toEqual([3, 30]);
    // The 50 s query does not fit in 40 s: the search ends there although 1 s queries follow.
    r = await runExperiment({ db, config: config({ budget: { seconds: 40 } }), deps: scripted([10, 50, 1]) });
    expect([r.trials, r.simulatedSeconds]).toEqual([1, 10]);
    expect(new ExperimentStore(db).trials(r.id)).toHaveLength(1);
  });

  it('stops after budget.trials, and at whichever budget ends first', async () => {
    const db = tmpDb();
    expect((await runExperiment({ db, config: config({ budget: { trials: 5 } }), deps: scripted([10]) })).trials).toBe(5);
    expect((await runExperiment({ db, config: config({ budget: { trials: 5, seconds: 25 } }), deps: scripted([10]) })).trials).toBe(2);
    expect((await runExperiment({ db, config: config({ budget: { trials: 2, seconds: 1e9 } }), deps: scripted([10]) })).trials).toBe(2);
  });

  it('spends a 12,000 s budget on the table as NAS-Bench-201 does (about 106 queries)', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config() });
    expect(r.trials).toBeGreaterThan(85);
    expect(r.trials).toBeLessThan(130);
    expect(r.simulatedSeconds).toBeLessThanOrEqual(12_000);
    const trials = new ExperimentStore(db).trials(r.id);
    const best = trials.reduce((b, t) => (t.objective! > b.objective! ? t : b));
    expect(r.best).toMatchObject({ trialId: best.trialId, key: best.key, objective: best.metrics.valid, report: best.metrics.test });
    expect(trials.reduce((s, t) => s + t.costSeconds, 0)).toBeCloseTo(r.simulatedSeconds, 6);
  });

  it('rejects configs without a budget or with unknown fields, naming the field', () => {
    expect(() => parseExperimentConfig(config({ budget: {} }))).toThrow(/budget: set budget.trials and\/or budget.seconds/);
    expect(() => parseExperimentConfig({ ...config(), extra: 1 })).toThrow(/experiment config/);
    expect(() => parseExperimentConfig(config({ seed: -1 }))).toThrow(/seed/);
  });

  it('computes population mean and std', () => {
    expect(meanStd([1, 3])).toEqual({ mean: 2, std: 1 });
  });
});

describe('persistence and resume', () => {
  it.each(['random', 'evolution', 'reinforce'] as const)('%s: stop + resume gives the same trials as one uninterrupted run', async (name) => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const cfg = config({ strategy: { name } });
    const full = await runExperiment({ db, config: cfg });
    const expected = comparable(store.trials(full.id));

    // Stop after 20 trials (abort between trials), resume, stop again after 50 in total, resume.
    let ctl = new AbortController();
    const onTrial = (n: number) => (t: { seq: number }) => t.seq + 1 === n && ctl.abort();
    const part = await runExperiment({ db, config: cfg, signal: ctl.signal, onTrial: onTrial(20) });
    expect([part.status, part.trials]).toEqual(['cancelled', 20]);
    ctl = new AbortController();
    expect((await resumeExperiment({ db, id: part.id, signal: ctl.signal, onTrial: onTrial(50) })).trials).toBe(50);
    const seen: number[] = [];
    const done = await resumeExperiment({ db, id: part.id, onTrial: (t) => seen.push(t.seq) });
    expect(seen[0]).toBe(50);
    expect(done).toMatchObject({ status: 'completed', trials: full.trials, best: full.best, simulatedSeconds: full.simulatedSeconds });
    expect(comparable(store.trials(part.id))).toEqual(expected);
    // Resuming a completed experiment changes nothing.
    expect((await resumeExperiment({ db, id: part.id })).trials).toBe(full.trials);
    expect(store.trials(part.id)).toHaveLength(full.trials);
  });

  it('re-asks a proposal that was asked but never told (crash during evaluation)', async () => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const cfg = config({ strategy: { name: 'evolution' } });
    const full = await runExperiment({ db, config: cfg });
    // The 31st evaluation dies, as a killed process would: that proposal was asked, not told.
    const table = new TabularEvaluator(TABLE);
    let calls = 0;
    const crashing: Evaluator = { spec: 'crash', evaluate: (k) => (++calls === 31 ? crash() : table.evaluate(k)) };
    const crash = (): never => {
      throw new Error('killed');
    };
    await expect(runExperiment({ db, config: cfg, id: 'crashy', deps: { evaluator: () => crashing } })).rejects.toThrow('killed');
    expect(store.get('crashy')).toMatchObject({ status: 'failed', trialsDone: 30, error: 'killed' });
    // A process that died without a chance to record anything leaves 'running' with a dead pid.
    db.prepare(`UPDATE experiments SET status = 'running', pid = ? WHERE id = 'crashy'`).run(2 ** 22 + 4321);
    expect(new ExperimentStore(db).get('crashy')!.status).toBe('interrupted');
    await resumeExperiment({ db, id: 'crashy' });
    expect(comparable(store.trials('crashy'))).toEqual(comparable(store.trials(full.id)));
  });

  it('refuses to resume an experiment another live process is running, and unknown ids', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config({ budget: { trials: 2 } }), deps: scripted([1]) });
    db.prepare(`UPDATE experiments SET status = 'running', pid = ? WHERE id = ?`).run(process.ppid, r.id);
    await expect(resumeExperiment({ db, id: r.id, deps: scripted([1]) })).rejects.toThrow(`experiment ${r.id} is running in process ${process.ppid}`);
    await expect(resumeExperiment({ db, id: 'e-nope' })).rejects.toThrow('no experiment e-nope');
  });

  it('a duplicated trial cannot be written', async () => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const r = await runExperiment({ db, config: config({ budget: { trials: 1 } }), deps: scripted([1]) });
    const [t] = store.trials(r.id);
    expect(() => store.recordTrial(r.id, { trial: { ...t, seq: 1 }, strategyState: {}, simulatedSeconds: 2, bestTrial: 0 })).toThrow(/UNIQUE|PRIMARY/);
    expect(store.get(r.id)!.trialsDone).toBe(1);
  });

  it('uses the registry by default', () => {
    expect(defaultDeps.space('nb201').name).toBe('nb201');
    expect(() => defaultDeps.space('darts')).toThrow(/unknown search space "darts"; available: nb201/);
  });
});
