// The parallel runner: trials in worker processes (real train evaluator on the digits space),
// a crashing worker recorded as a failed trial, and resume after an abort with proposals in
// flight. The crash is injected with the worker's LAYERLOOM_TEST_CRASH_KEY test hook
// (worker.ts): the worker evaluating that key calls process.exit(3).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../engine/store/experiments.js';
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import { TabularEvaluator } from '../evaluators/tabular.js';
import { drawnSpace } from '../space/drawn.js';
import { createStrategy } from '../strategies/index.js';
import type { ExperimentConfig } from './config.js';
import { useTempDbs } from './test-db.testkit.js';
import { resumeExperiment, runExperiment } from './experiment.js';
import { TEST_CRASH_EXIT_CODE } from './worker-messages.js';
import { LOST_TRIAL_PREFIX, TRIAL_ATTEMPTS } from './pool.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const TABLE = path.join(repoRoot, '../shared/data/nasbench201/nb201_cifar10.json');
const SPACE_FILE = path.join(repoRoot, 'examples/spaces/space-digits.loom.json');

const tmpDb = useTempDbs('loom-par-');
afterEach(() => {
  delete process.env.LAYERLOOM_TEST_CRASH_KEY;
});

const spaceDoc = fs.readFileSync(SPACE_FILE, 'utf8');
const trainConfig: ExperimentConfig = {
  space: 'space-digits.loom.json',
  spaceDoc,
  strategy: { name: 'random' },
  evaluator: { spec: 'train', train: { epochs: 1, limit: 200 } },
  objective: { metric: 'valAccuracy' },
  report: 'valAccuracy',
  budget: { trials: 4 },
  seed: 0,
  workers: 2,
};

describe('parallel runner (worker processes)', () => {
  it('runs a 2-worker train search to 4 distinct ok trials', async () => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const r = await runExperiment({ db, config: trainConfig });
    expect([r.status, r.trials]).toEqual(['completed', 4]);
    const trials = store.trials(r.id);
    expect(trials.map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(trials.map((t) => t.seq)).toEqual([0, 1, 2, 3]);
    expect(trials.map((t) => t.trialId).sort()).toEqual([0, 1, 2, 3]);
    for (const t of trials) expect(t.metrics.valAccuracy).toBeGreaterThan(0);
    expect(store.pending(r.id)).toEqual([]);
  });

  it('records a trial whose worker process dies on both attempts as failed and goes on', async () => {
    // Random proposals do not depend on results: trial 1's key is known in advance.
    const space = drawnSpace(spaceDoc);
    const crashKey = space.key(createStrategy('random', space, trainConfig.seed).ask(2)[1].sample);
    process.env.LAYERLOOM_TEST_CRASH_KEY = crashKey;
    const db = tmpDb();
    const r = await runExperiment({ db, config: trainConfig });
    expect([r.status, r.trials]).toEqual(['completed', 4]);
    const trials = new ExperimentStore(db).trials(r.id);
    const crashed = trials.find((t) => t.trialId === 1)!;
    expect(crashed).toMatchObject({ key: crashKey, status: 'failed', objective: null });
    expect(crashed.error).toContain(`${LOST_TRIAL_PREFIX} 2 times (attempt 2 of ${TRIAL_ATTEMPTS})`);
    expect(crashed.error).toContain(`worker process exited with code ${TEST_CRASH_EXIT_CODE} while evaluating this trial`);
    expect(
      trials
        .filter((t) => t.status === 'ok')
        .map((t) => t.trialId)
        .sort(),
    ).toEqual([0, 2, 3]);
  });

  it('retries a trial lost with its worker once: one crash costs nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-crash-once-'));
    const marker = path.join(dir, 'crashed');
    process.env.LAYERLOOM_TEST_CRASH_ONCE = marker;
    try {
      const db = tmpDb();
      const r = await runExperiment({ db, config: { ...trainConfig, budget: { trials: 3 } } });
      expect(fs.existsSync(marker)).toBe(true); // a worker did die mid-trial
      const trials = new ExperimentStore(db).trials(r.id);
      expect(trials.map((t) => t.status)).toEqual(['ok', 'ok', 'ok']);
      expect(trials.map((t) => t.trialId).sort()).toEqual([0, 1, 2]);
      // The crashed key was trained again and scored, not recorded as a failure.
      expect(trials.map((t) => t.key)).toContain(fs.readFileSync(marker, 'utf8'));
    } finally {
      delete process.env.LAYERLOOM_TEST_CRASH_ONCE;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Tabular look-ups that answer after a key-dependent delay, so completion order varies. */
function delayed(): { evaluator: () => Evaluator; calls: string[] } {
  const table = new TabularEvaluator(TABLE);
  const calls: string[] = [];
  const evaluator: Evaluator = {
    spec: 'delayed',
    async evaluate(key): Promise<Evaluation> {
      calls.push(key);
      await new Promise((res) => setTimeout(res, (key.length * 7) % 13));
      return table.evaluate(key);
    },
  };
  return { evaluator: () => evaluator, calls };
}

describe('parallel runner: abort and resume', () => {
  it.each(['random', 'evolution', 'reinforce'] as const)('%s: resume re-runs exactly the in-flight proposals, losing and duplicating nothing', async (name) => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const cfg: ExperimentConfig = {
      space: 'nb201',
      strategy: { name },
      evaluator: { spec: `tabular:${TABLE}` },
      objective: { metric: 'valid' },
      report: 'test',
      budget: { trials: 40 },
      seed: 5,
      workers: 4,
    };
    const ctl = new AbortController();
    const first = delayed();
    const part = await runExperiment({ db, config: cfg, signal: ctl.signal, deps: { evaluator: first.evaluator }, onTrial: (t) => t.seq === 9 && ctl.abort() });
    expect([part.status, part.trials]).toEqual(['cancelled', 10]);
    const inflight = store.pending(part.id);
    expect(inflight.length).toBeGreaterThan(0);
    expect(inflight.length).toBeLessThanOrEqual(4);
    const recorded = new Set(store.trials(part.id).map((t) => t.trialId));
    for (const p of inflight) expect(recorded.has(p.trialId)).toBe(false);

    const second = delayed();
    const done = await resumeExperiment({ db, id: part.id, deps: { evaluator: second.evaluator } });
    expect([done.status, done.trials]).toEqual(['completed', 40]);
    // The resumed run starts with the proposals that were in flight, as stored.
    const space = (await import('../space/nb201.js')).nb201;
    expect(second.calls.slice(0, inflight.length)).toEqual(inflight.map((p) => space.key(p.sample)));
    const trials = store.trials(part.id);
    expect(trials.map((t) => t.seq)).toEqual([...Array(40).keys()]);
    expect(trials.map((t) => t.trialId).sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
    for (const p of inflight) expect(trials.find((t) => t.trialId === p.trialId)!.sample).toEqual(p.sample);
    expect(store.pending(part.id)).toEqual([]);
    expect(store.get(part.id)).toMatchObject({ status: 'completed', trialsDone: 40 });
  });

  it('keeps the time budget rule: the first result that does not fit ends the search', async () => {
    const db = tmpDb();
    const cfg: ExperimentConfig = {
      space: 'nb201',
      strategy: { name: 'random' },
      evaluator: { spec: `tabular:${TABLE}` },
      objective: { metric: 'valid' },
      report: 'test',
      budget: { seconds: 3000 },
      seed: 1,
      workers: 3,
    };
    const r = await runExperiment({ db, config: cfg, deps: { evaluator: delayed().evaluator } });
    expect(r.status).toBe('completed');
    expect(r.simulatedSeconds).toBeLessThanOrEqual(3000);
    const store = new ExperimentStore(db);
    expect(store.trials(r.id)).toHaveLength(r.trials);
    expect(store.pending(r.id)).toEqual([]);
  });
});
