// Repeated architectures: with the train evaluator a search reuses stored results (cache hits,
// not charged to the budget), in the sequential and the parallel driver and across resume;
// tabular benchmarks charge every query, repeats included (NAS-Bench-201's protocol).
import { describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../engine/store/experiments.js';
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import { CategoricalSpace } from '../space/categorical.js';
import type { ExperimentConfig } from './config.js';
import { useTempDbs } from './test-db.testkit.js';
import { resumeExperiment, runExperiment } from './experiment.js';
import type { CacheHitEvent } from './types.js';
import { reusesResults, TrialCache } from './trial-cache.js';
import { LOST_TRIAL_PREFIX } from './pool.js';

const tmpDb = useTempDbs('loom-cache-');

// 6 candidates: a random search of 5 counted trials repeats some of them (seeded, so always).
const tiny = new CategoricalSpace('tiny', [
  { name: 'a', options: [1, 2, 3] },
  { name: 'b', options: ['x', 'y'] },
]);

/** A deterministic "training" evaluator that counts calls per key. */
function counting(): { evaluator: Evaluator; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const evaluator: Evaluator = {
    spec: 'counting',
    async evaluate(key): Promise<Evaluation> {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      await new Promise((res) => setTimeout(res, key.length % 5));
      const v = [...key].reduce((s, c) => s + c.charCodeAt(0), 0) % 97;
      return { signal: v, report: v, metrics: { v }, costSeconds: 1 };
    },
  };
  return { evaluator, calls };
}

const config = (spec: string, over: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  space: 'tiny',
  strategy: { name: 'random' },
  evaluator: { spec },
  objective: { metric: 'v' },
  report: 'v',
  budget: { trials: 5 },
  seed: 3,
  ...over,
});

describe('trial cache (train evaluator)', () => {
  it('is used by train evaluators only', () => {
    expect(reusesResults(config('train'))).toBe(true);
    expect(reusesResults(config('train:digits'))).toBe(true);
    expect(reusesResults(config('tabular:/x.json'))).toBe(false);
    expect(reusesResults(config('supernet'))).toBe(false);
  });

  it('never reuses a trial lost with its worker', () => {
    const c = new TrialCache([{ trialId: 0, key: 'k', status: 'failed', objective: null, error: `${LOST_TRIAL_PREFIX} 2 times` }]);
    expect(c.get('k')).toBeUndefined();
    c.add({ trialId: 1, key: 'k', status: 'ok', objective: 5, error: null });
    expect(c.get('k')).toEqual({ trialId: 1, status: 'ok', objective: 5 });
  });

  it.each([1, 3])('workers %i: trains each architecture once, answers repeats from the store, charges only new ones', async (workers) => {
    const db = tmpDb();
    const { evaluator, calls } = counting();
    const hits: CacheHitEvent[] = [];
    const r = await runExperiment({
      db,
      config: config('train', { workers }),
      deps: { space: () => tiny, evaluator: () => evaluator },
      onCacheHit: (e) => hits.push(e),
    });
    const trials = new ExperimentStore(db).trials(r.id);
    expect(r.trials).toBe(5);
    expect(new Set(trials.map((t) => t.key)).size).toBe(5); // 5 distinct architectures
    for (const n of calls.values()) expect(n).toBe(1);
    expect(calls.size).toBe(5);
    expect(hits.length).toBeGreaterThan(0);
    expect(r.cacheHits).toBe(hits.length);
    for (const h of hits) {
      const from = trials.find((t) => t.trialId === h.cachedFrom)!;
      expect([from.key, from.objective]).toEqual([h.key, h.objective]);
      expect(trials.some((t) => t.trialId === h.trialId)).toBe(false); // no trial row for a hit
    }
    expect(r.simulatedSeconds).toBe(5); // only trained trials cost
    expect(new ExperimentStore(db).pending(r.id)).toEqual([]);
  });

  it('ends a search that only repeats (space exhausted) instead of looping', async () => {
    const db = tmpDb();
    const { evaluator, calls } = counting();
    const r = await runExperiment({ db, config: config('train', { budget: { trials: 50 } }), deps: { space: () => tiny, evaluator: () => evaluator } });
    expect([r.status, r.trials, calls.size]).toEqual(['completed', 6, 6]);
  });

  it('reuses results stored before a resume', async () => {
    const db = tmpDb();
    const first = counting();
    const ctl = new AbortController();
    const part = await runExperiment({
      db,
      config: config('train', { budget: { trials: 6 } }),
      signal: ctl.signal,
      deps: { space: () => tiny, evaluator: () => first.evaluator },
      onTrial: (t) => t.seq === 2 && ctl.abort(),
    });
    expect(part.status).toBe('cancelled');
    const second = counting();
    const done = await resumeExperiment({ db, id: part.id, deps: { space: () => tiny, evaluator: () => second.evaluator } });
    expect(done.trials).toBe(6);
    for (const k of second.calls.keys()) expect(first.calls.has(k)).toBe(false);
  });

  it('tabular benchmarks charge every query, repeats included', async () => {
    const db = tmpDb();
    const { evaluator, calls } = counting();
    const r = await runExperiment({
      db,
      config: config('tabular:unused.json', { budget: { trials: 12 } }),
      deps: { space: () => tiny, evaluator: () => evaluator },
    });
    expect(r.trials).toBe(12);
    expect([...calls.values()].reduce((a, b) => a + b, 0)).toBe(12);
    expect(calls.size).toBeLessThan(12);
    expect(r.cacheHits).toBe(0);
  });
});
