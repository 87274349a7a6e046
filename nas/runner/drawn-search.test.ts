// Searches over a drawn space with the train evaluator (digits, 1 epoch on 200 samples):
// trials stored with status, constraint violators skipped, resume without duplicates,
// the Pareto front, and the shape-check refusal.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentStore } from '../../engine/store/experiments.js';
import type { ExperimentConfig } from './config.js';
import { useTempDbs } from './test-db.testkit.js';
import { resumeExperiment, runExperiment } from './experiment.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const SPACE_TEXT = fs.readFileSync(path.join(repoRoot, 'examples/spaces/space-digits.loom.json'), 'utf8');

const tmpDb = useTempDbs('loom-drawn-');

const config = (over: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  space: 'space-digits.loom.json',
  spaceDoc: SPACE_TEXT,
  strategy: { name: 'random' },
  evaluator: { spec: 'train', train: { epochs: 1, limit: 200 } },
  objective: { metric: 'valAccuracy' },
  objectives: ['valAccuracy:max'],
  report: 'valAccuracy',
  budget: { trials: 4 },
  seed: 1,
  ...over,
});

describe('drawn-space search with the train evaluator', () => {
  it('trains 4 trials and stores them as ok with their metrics', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config() });
    expect([r.status, r.trials]).toEqual(['completed', 4]);
    const trials = new ExperimentStore(db).trials(r.id);
    expect(trials.map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    for (const t of trials) {
      expect(t.key).toMatch(/^stem\.kernelSize=\d,/);
      expect(t.metrics.params).toBeGreaterThan(0);
      expect(t.objective).toBe(t.metrics.valAccuracy);
      expect(t.error).toBeNull();
    }
    expect(r.best!.objective).toBe(Math.max(...trials.map((t) => t.objective!)));
    expect(r.pareto).toBeUndefined();
  });

  it('skips constraint violators without training or counting them, and reports a Pareto front', async () => {
    const db = tmpDb();
    const r = await runExperiment({ db, config: config({ constraints: ['params<=15000'], objectives: ['valAccuracy:max', 'params:min'] }) });
    const trials = new ExperimentStore(db).trials(r.id);
    const skipped = trials.filter((t) => t.status === 'skipped');
    expect(trials.filter((t) => t.status === 'ok')).toHaveLength(4);
    expect(skipped.length).toBeGreaterThan(0);
    for (const t of skipped) {
      expect(t.error).toMatch(/^params \d+ violates params<=15000$/);
      expect(t.objective).toBeNull();
      expect(t.metrics.valAccuracy).toBeUndefined();
      expect(t.metrics.params).toBeGreaterThan(15000);
    }
    expect(r.trials).toBe(trials.length);
    expect(r.pareto!.length).toBeGreaterThan(0);
    const okIds = new Set(trials.filter((t) => t.status === 'ok').map((t) => t.trialId));
    for (const p of r.pareto!) expect(okIds.has(p.trialId)).toBe(true);
  });

  it('resumes after an interruption without duplicating trials', async () => {
    const db = tmpDb();
    const store = new ExperimentStore(db);
    const cfg = config({ strategy: { name: 'evolution' }, constraints: ['params<=15000'] });
    const full = await runExperiment({ db, config: cfg });
    const shape = (id: string) => store.trials(id).map((t) => [t.seq, t.trialId, t.key, t.status]);

    const ctl = new AbortController();
    const part = await runExperiment({ db, config: cfg, signal: ctl.signal, onTrial: (t) => t.seq === 1 && ctl.abort() });
    expect([part.status, part.trials]).toEqual(['cancelled', 2]);
    const seen: number[] = [];
    const done = await resumeExperiment({ db, id: part.id, onTrial: (t) => seen.push(t.seq) });
    expect(seen[0]).toBe(2);
    expect(done.status).toBe('completed');
    expect(shape(part.id)).toEqual(shape(full.id));
    expect(store.trials(part.id).filter((t) => t.status !== 'skipped')).toHaveLength(4);
  });

  it('refuses a space whose candidates fail the shape check, naming the decision values', async () => {
    const doc = JSON.parse(SPACE_TEXT) as { nodes: { id: string; params: Record<string, unknown> }[] };
    const stem = doc.nodes.find((n) => n.id === 'stem')!;
    stem.params = { ...stem.params, kernelSize: { choice: [3, 9] }, padding: 'valid' };
    const db = tmpDb();
    await expect(runExperiment({ db, config: config({ spaceDoc: JSON.stringify(doc) }) })).rejects.toThrow(
      /^search space space-digits: \d+ of \d+ checked candidates fail the shape check: \[stem\.kernelSize=9,[^\]]*\] /,
    );
    expect(new ExperimentStore(db).list()).toEqual([]);
  });
});
