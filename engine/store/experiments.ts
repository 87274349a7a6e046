/**
 * Architecture-search experiments as rows: the experiment's config and strategy state, and one
 * row per finished trial. The engine stores them as opaque JSON (it never imports nas/); the
 * runner in nas/runner gives them meaning. A trial and the strategy state after telling it are
 * written in one transaction, so a killed process leaves a consistent prefix of the search.
 */
import { processAlive } from '../util/process.js';
import crypto from 'node:crypto';
import type { Db } from './db.js';
import type Database from 'better-sqlite3';

/** Experiment lifecycle states. */
export type ExperimentStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/** An experiment as stored. */
export interface ExperimentRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  status: ExperimentStatus;
  config: unknown;
  strategyState: unknown;
  simulatedSeconds: number;
  trialsDone: number;
  bestTrial: number | null;
  error: string | null;
}

/** Outcome of one trial. */
export type TrialStatus = 'ok' | 'failed' | 'skipped';

/** A finished trial as stored. */
export interface TrialRecord {
  trialId: number;
  /** 0-based position in the order trials finished. */
  seq: number;
  sample: Record<string, string | number | boolean>;
  key: string;
  /** `skipped`: violated a constraint and was not trained. */
  status: TrialStatus;
  objective: number | null;
  metrics: Record<string, number>;
  parent: number | null;
  changed: string | null;
  costSeconds: number;
  wallMs: number;
  /** Why the trial failed or was skipped; null for ok trials (and for rows older than schema 3). */
  error: string | null;
  createdAt: number;
}

interface ExperimentRow {
  id: string;
  created_at: number;
  updated_at: number;
  status: ExperimentStatus;
  config_json: string;
  strategy_state_json: string | null;
  simulated_seconds: number;
  trials_done: number;
  best_trial: number | null;
  pid: number | null;
  error: string | null;
}

interface TrialRow {
  trial_id: number;
  seq: number;
  sample_json: string;
  arch_key: string;
  status: TrialStatus;
  objective: number | null;
  metrics_json: string;
  parent_trial: number | null;
  changed: string | null;
  cost_seconds: number;
  wall_ms: number;
  error: string | null;
  created_at: number;
}

function fromRow(r: ExperimentRow): ExperimentRecord {
  return {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    config: JSON.parse(r.config_json),
    strategyState: r.strategy_state_json === null ? null : JSON.parse(r.strategy_state_json),
    simulatedSeconds: r.simulated_seconds,
    trialsDone: r.trials_done,
    bestTrial: r.best_trial,
    error: r.error,
  };
}

function trialFromRow(r: TrialRow): TrialRecord {
  return {
    trialId: r.trial_id,
    seq: r.seq,
    sample: JSON.parse(r.sample_json),
    key: r.arch_key,
    status: r.status,
    objective: r.objective,
    metrics: JSON.parse(r.metrics_json),
    parent: r.parent_trial,
    changed: r.changed,
    costSeconds: r.cost_seconds,
    wallMs: r.wall_ms,
    error: r.error ?? null,
    createdAt: r.created_at,
  };
}

/** An experiment id that sorts by time and is unique across processes. */
export function newExperimentId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `e${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** A trial to record, with the experiment-level state that changes with it. */
export interface TrialCommit {
  /** `error` may be left out (null). */
  trial: Omit<TrialRecord, 'createdAt' | 'error'> & { error?: string | null };
  strategyState: unknown;
  simulatedSeconds: number;
  bestTrial: number | null;
}

/** A proposal in flight in a parallel search: asked from the strategy, not yet recorded. */
export interface PendingTrial {
  trialId: number;
  sample: Record<string, string | number | boolean>;
  parent: number | null;
  changed: string | null;
}

/** Typed access to the experiments and trials tables. */
export class ExperimentStore {
  // Prepared once: recordTrial runs per trial and its cost is part of the < 5 ms budget.
  private readonly insertTrial: Database.Statement;
  private readonly updateAfterTrial: Database.Statement;
  private readonly commitTrial: (c: TrialCommit & { id: string }) => void;
  private readonly deletePending: Database.Statement;

  constructor(private readonly db: Db) {
    this.markInterrupted();
    this.insertTrial = db.prepare(
      `INSERT INTO trials (experiment_id, trial_id, seq, sample_json, arch_key, status, objective, metrics_json, parent_trial, changed, cost_seconds, wall_ms, created_at, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateAfterTrial = db.prepare(
      `UPDATE experiments SET strategy_state_json = ?, simulated_seconds = ?, trials_done = trials_done + 1, best_trial = ?, updated_at = ? WHERE id = ?`,
    );
    this.deletePending = db.prepare(`DELETE FROM pending_trials WHERE experiment_id = ? AND trial_id = ?`);
    this.commitTrial = db.transaction((c: TrialCommit & { id: string }) => {
      const t = c.trial;
      this.deletePending.run(c.id, t.trialId);
      const now = Date.now();
      // Plain INSERT (not OR REPLACE): the primary key turns a duplicated trial into an error.
      this.insertTrial.run(
        c.id,
        t.trialId,
        t.seq,
        JSON.stringify(t.sample),
        t.key,
        t.status,
        t.objective,
        JSON.stringify(t.metrics),
        t.parent,
        t.changed,
        t.costSeconds,
        t.wallMs,
        now,
        t.error ?? null,
      );
      this.updateAfterTrial.run(JSON.stringify(c.strategyState), c.simulatedSeconds, c.bestTrial, now, c.id);
    });
  }

  /** Marks experiments whose owning process is gone as interrupted. Returns how many. */
  markInterrupted(): number {
    const rows = this.db.prepare(`SELECT id, pid FROM experiments WHERE status = 'running'`).all() as { id: string; pid: number | null }[];
    const dead = rows.filter((r) => r.pid === null || (r.pid !== process.pid && !processAlive(r.pid)));
    const stmt = this.db.prepare(`UPDATE experiments SET status = 'interrupted', pid = NULL, updated_at = ? WHERE id = ?`);
    for (const r of dead) stmt.run(Date.now(), r.id);
    return dead.length;
  }

  /** Inserts a new experiment in state 'running', owned by this process. */
  create(id: string, config: unknown, strategyState: unknown): ExperimentRecord {
    const now = Date.now();
    this.db
      .prepare(`INSERT INTO experiments (id, created_at, updated_at, status, config_json, strategy_state_json, pid) VALUES (?, ?, ?, 'running', ?, ?, ?)`)
      .run(id, now, now, JSON.stringify(config), JSON.stringify(strategyState), process.pid);
    return this.get(id)!;
  }

  /**
   * Claims an experiment for this process (resume). Fails when another live process owns it,
   * so two resumes cannot interleave trials.
   */
  claim(id: string): void {
    this.markInterrupted();
    const changed = this.db
      .prepare(`UPDATE experiments SET status = 'running', pid = ?, error = NULL, updated_at = ? WHERE id = ? AND status != 'running'`)
      .run(process.pid, Date.now(), id).changes;
    if (changed === 0) {
      const row = this.db.prepare(`SELECT pid FROM experiments WHERE id = ?`).get(id) as { pid: number | null } | undefined;
      throw new Error(row ? `experiment ${id} is running in process ${row.pid}` : `no experiment ${id}`);
    }
  }

  /** Records one finished trial together with the strategy state after telling it. */
  recordTrial(id: string, commit: TrialCommit): void {
    this.commitTrial({ ...commit, id });
  }

  /**
   * Records proposals just asked in a parallel search, with the strategy state after the ask,
   * in one transaction: the stored state's pending set then always matches `pending(id)`.
   */
  addPending(id: string, proposals: readonly PendingTrial[], strategyState: unknown): void {
    const insert = this.db.prepare(
      `INSERT INTO pending_trials (experiment_id, trial_id, sample_json, parent_trial, changed, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      const now = Date.now();
      for (const p of proposals) insert.run(id, p.trialId, JSON.stringify(p.sample), p.parent, p.changed, now);
      this.db.prepare(`UPDATE experiments SET strategy_state_json = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(strategyState), now, id);
    })();
  }

  /**
   * Stores the strategy state outside a trial (a weight-sharing search records its progress
   * after each supernet epoch, before any trial exists).
   */
  saveStrategyState(id: string, strategyState: unknown): void {
    this.db.prepare(`UPDATE experiments SET strategy_state_json = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(strategyState), Date.now(), id);
  }

  /**
   * Forgets one in-flight proposal without recording a trial (it was answered from a stored
   * result), with the strategy state after telling it, in one transaction.
   */
  dropPending(id: string, trialId: number, strategyState: unknown): void {
    this.db.transaction(() => {
      this.deletePending.run(id, trialId);
      this.saveStrategyState(id, strategyState);
    })();
  }

  /** Proposals in flight when the experiment last stopped, by trial id. */
  pending(id: string): PendingTrial[] {
    const rows = this.db
      .prepare(`SELECT trial_id, sample_json, parent_trial, changed FROM pending_trials WHERE experiment_id = ? ORDER BY trial_id`)
      .all(id) as { trial_id: number; sample_json: string; parent_trial: number | null; changed: string | null }[];
    return rows.map((r) => ({ trialId: r.trial_id, sample: JSON.parse(r.sample_json), parent: r.parent_trial, changed: r.changed }));
  }

  /** Forgets the in-flight proposals of an experiment (it completed; they will never run). */
  clearPending(id: string): void {
    this.db.prepare(`DELETE FROM pending_trials WHERE experiment_id = ?`).run(id);
  }

  /** Ends an experiment with a status and optional error text. */
  finish(id: string, status: ExperimentStatus, error?: string): void {
    this.db.prepare(`UPDATE experiments SET status = ?, error = ?, pid = NULL, updated_at = ? WHERE id = ?`).run(status, error ?? null, Date.now(), id);
  }

  /** One experiment, or undefined. */
  get(id: string): ExperimentRecord | undefined {
    const r = this.db.prepare(`SELECT * FROM experiments WHERE id = ?`).get(id) as ExperimentRow | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** All experiments, newest first. */
  list(): ExperimentRecord[] {
    return (this.db.prepare(`SELECT * FROM experiments ORDER BY created_at DESC, id DESC`).all() as ExperimentRow[]).map(fromRow);
  }

  /** Trials of an experiment in the order they finished. */
  trials(id: string): TrialRecord[] {
    return (this.db.prepare(`SELECT * FROM trials WHERE experiment_id = ? ORDER BY seq`).all(id) as TrialRow[]).map(trialFromRow);
  }

  /** One trial, or undefined. */
  trial(id: string, trialId: number): TrialRecord | undefined {
    const r = this.db.prepare(`SELECT * FROM trials WHERE experiment_id = ? AND trial_id = ?`).get(id, trialId) as TrialRow | undefined;
    return r ? trialFromRow(r) : undefined;
  }

  /** Deletes an experiment and its trials. */
  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM experiments WHERE id = ?`).run(id).changes > 0;
  }
}
