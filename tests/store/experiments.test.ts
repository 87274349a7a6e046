// The experiments/trials tables: in-place upgrade of an older data folder, lifecycle and
// per-trial atomicity.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.js';
import { ExperimentStore, newExperimentId } from '../../engine/store/experiments.js';
import { RunStore } from '../../engine/store/runs.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-exp-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const trial = (trialId: number, seq: number) => ({
  trialId,
  seq,
  sample: { a: 'x' },
  key: `k${trialId}`,
  status: 'ok' as const,
  objective: trialId,
  metrics: { valid: trialId },
  parent: null,
  changed: null,
  costSeconds: 1.5,
  wallMs: 0.1,
});

describe('ExperimentStore', () => {
  it('upgrades a version-1 data folder in place, keeping its runs', () => {
    const dir = tmp();
    const old = new Database(path.join(dir, 'layerloom.db'));
    const fresh = openDb(tmp()); // a current database, to copy the v1 runs schema from
    const runsSql = (
      fresh.prepare(`SELECT sql FROM sqlite_master WHERE name IN ('runs', 'run_epochs', 'runs_project') ORDER BY rowid`).all() as { sql: string }[]
    ).map((r) => r.sql);
    fresh.close();
    for (const sql of runsSql) old.exec(sql);
    old
      .prepare(
        `INSERT INTO runs (id, project, created_at, updated_at, status, graph_json, graph_hash, config_json, dataset, checkpoint_dir) VALUES ('r1', 'p', 1, 1, 'completed', '{}', 'h', '{}', 'digits', '/ck')`,
      )
      .run();
    old.pragma('user_version = 1');
    old.close();

    const db = openDb(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(new RunStore(db).get('r1')!.status).toBe('completed');
    expect(new ExperimentStore(db).list()).toEqual([]);
    db.close();
  });

  it('creates, records trials with state atomically, finishes, lists and deletes', () => {
    const db = openDb(tmp());
    const store = new ExperimentStore(db);
    const id = newExperimentId();
    expect(id).toMatch(/^e\d{14}-[0-9a-f]{6}$/);
    store.create(id, { seed: 1 }, { rng: 1 });
    store.recordTrial(id, { trial: trial(0, 0), strategyState: { rng: 2 }, simulatedSeconds: 1.5, bestTrial: 0 });
    store.recordTrial(id, { trial: trial(1, 1), strategyState: { rng: 3 }, simulatedSeconds: 3, bestTrial: 1 });
    // A duplicate trial id rolls the whole commit back: the state stays at the last good trial.
    expect(() => store.recordTrial(id, { trial: trial(1, 2), strategyState: { rng: 99 }, simulatedSeconds: 9, bestTrial: 1 })).toThrow();
    let e = store.get(id)!;
    expect(e).toMatchObject({ status: 'running', config: { seed: 1 }, strategyState: { rng: 3 }, simulatedSeconds: 3, trialsDone: 2, bestTrial: 1 });
    expect(store.trials(id).map((t) => [t.trialId, t.seq, t.key])).toEqual([
      [0, 0, 'k0'],
      [1, 1, 'k1'],
    ]);
    expect(store.trial(id, 1)).toMatchObject({ sample: { a: 'x' }, metrics: { valid: 1 }, costSeconds: 1.5 });
    store.finish(id, 'completed');
    e = store.get(id)!;
    expect(e.status).toBe('completed');
    expect(store.list().map((x) => x.id)).toEqual([id]);
    expect(store.delete(id)).toBe(true);
    expect(store.trials(id)).toEqual([]);
    db.close();
  });
});
