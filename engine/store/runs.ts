/**
 * Training runs as rows: graph and config as they were at start, per-epoch metrics, status,
 * checkpoint folder. A run left 'running' by a process that died is marked 'interrupted'
 * the next time the store is opened, so the UI and CLI can offer Resume.
 */
import { processAlive } from '../util/process.js';
import { openDb, type Db } from './db.js';

/**
 * One chart point kept with a run. `batch` points sit at a fractional epoch (`1.5` = half way
 * through epoch 2) and hold `loss`, `lr`, `samplesPerSec`; `epoch` points sit at the 1-based
 * epoch and hold `lr`, `samplesPerSec`, `durationMs`.
 */
export interface RunPoint {
  kind: 'batch' | 'epoch';
  step: number;
  data: Record<string, number | null>;
}

/** Run lifecycle states. */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'stopped-early' | 'failed' | 'interrupted';

/** A run as stored. */
export interface RunRecord {
  id: string;
  project: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  graph: unknown;
  graphHash: string;
  config: unknown;
  dataset: string;
  backend: string | null;
  epochsDone: number;
  best: Record<string, number> | null;
  final: Record<string, number> | null;
  checkpointDir: string;
  error: string | null;
  durationMs: number;
}

interface Row {
  id: string;
  project: string;
  created_at: number;
  updated_at: number;
  status: RunStatus;
  graph_json: string;
  graph_hash: string;
  config_json: string;
  dataset: string;
  backend: string | null;
  pid: number | null;
  epochs_done: number;
  best_json: string | null;
  final_json: string | null;
  checkpoint_dir: string;
  error: string | null;
  duration_ms: number;
}

function fromRow(r: Row): RunRecord {
  return {
    id: r.id,
    project: r.project,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    graph: JSON.parse(r.graph_json),
    graphHash: r.graph_hash,
    config: JSON.parse(r.config_json),
    dataset: r.dataset,
    backend: r.backend,
    epochsDone: r.epochs_done,
    best: r.best_json ? JSON.parse(r.best_json) : null,
    final: r.final_json ? JSON.parse(r.final_json) : null,
    checkpointDir: r.checkpoint_dir,
    error: r.error,
    durationMs: r.duration_ms,
  };
}

/** Typed access to the runs tables. */
export class RunStore {
  constructor(private readonly db: Db) {
    // A read-only handle (a full or read-only disk) lists runs as stored.
    if (!db.readonly) this.markInterrupted();
  }

  /** Marks runs whose owning process is gone as interrupted. Returns how many. */
  markInterrupted(): number {
    const rows = this.db.prepare(`SELECT id, pid FROM runs WHERE status = 'running'`).all() as { id: string; pid: number | null }[];
    const dead = rows.filter((r) => r.pid === null || (r.pid !== process.pid && !processAlive(r.pid)));
    const stmt = this.db.prepare(`UPDATE runs SET status = 'interrupted', updated_at = ? WHERE id = ?`);
    for (const r of dead) stmt.run(Date.now(), r.id);
    return dead.length;
  }

  /** Inserts a new run in state 'running', owned by this process. */
  create(run: {
    id: string;
    project: string;
    graph: unknown;
    graphHash: string;
    config: unknown;
    dataset: string;
    backend: string;
    checkpointDir: string;
  }): RunRecord {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO runs (id, project, created_at, updated_at, status, graph_json, graph_hash, config_json, dataset, backend, pid, checkpoint_dir)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.project,
        now,
        now,
        JSON.stringify(run.graph),
        run.graphHash,
        JSON.stringify(run.config),
        run.dataset,
        run.backend,
        process.pid,
        run.checkpointDir,
      );
    return this.get(run.id)!;
  }

  /** Claims an existing run for this process (resume). */
  claim(id: string, backend: string): void {
    this.db
      .prepare(`UPDATE runs SET status = 'running', pid = ?, backend = ?, error = NULL, updated_at = ? WHERE id = ?`)
      .run(process.pid, backend, Date.now(), id);
  }

  /**
   * Records one finished epoch (idempotent per epoch, so a resumed run may rewrite it), with
   * the chart points gathered during it, in one transaction.
   */
  recordEpoch(id: string, epoch: number, metrics: Record<string, number>, durationMs: number, points: RunPoint[] = []): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT OR REPLACE INTO run_epochs (run_id, epoch, metrics_json) VALUES (?, ?, ?)`).run(id, epoch, JSON.stringify(metrics));
      const put = this.db.prepare(`INSERT OR REPLACE INTO run_points (run_id, kind, step, data_json) VALUES (?, ?, ?, ?)`);
      for (const p of points) put.run(id, p.kind, p.step, JSON.stringify(p.data));
      this.db
        .prepare(`UPDATE runs SET epochs_done = ?, updated_at = ?, duration_ms = duration_ms + ? WHERE id = ?`)
        .run(epoch + 1, Date.now(), Math.round(durationMs), id);
    })();
  }

  /** Sets the best-so-far metrics. */
  setBest(id: string, best: Record<string, number>): void {
    this.db.prepare(`UPDATE runs SET best_json = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(best), Date.now(), id);
  }

  /**
   * Marks a run whose process died as interrupted, keeping why. Applies to a run still
   * 'running' or already found 'interrupted' (opening the store marks dead owners first);
   * false for any other run (it ended before its process did) or none.
   */
  interrupt(id: string, reason: string): boolean {
    return (
      this.db
        .prepare(`UPDATE runs SET status = 'interrupted', pid = NULL, error = ?, updated_at = ? WHERE id = ? AND status IN ('running', 'interrupted')`)
        .run(reason, Date.now(), id).changes > 0
    );
  }

  /** Ends a run with a status, final metrics and optional error text. */
  finish(id: string, status: RunStatus, final: Record<string, number> | null, error?: string): void {
    this.db
      .prepare(`UPDATE runs SET status = ?, final_json = ?, error = ?, pid = NULL, updated_at = ? WHERE id = ?`)
      .run(status, final ? JSON.stringify(final) : null, error ?? null, Date.now(), id);
  }

  /** One run, or undefined. */
  get(id: string): RunRecord | undefined {
    const r = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Runs of a project (or all), newest first. */
  list(project?: string): RunRecord[] {
    const rows = (
      project
        ? this.db.prepare(`SELECT * FROM runs WHERE project = ? ORDER BY created_at DESC`).all(project)
        : this.db.prepare(`SELECT * FROM runs ORDER BY created_at DESC`).all()
    ) as Row[];
    return rows.map(fromRow);
  }

  /** Per-epoch metrics of a run, in epoch order. */
  epochs(id: string): { epoch: number; metrics: Record<string, number> }[] {
    const rows = this.db.prepare(`SELECT epoch, metrics_json FROM run_epochs WHERE run_id = ? ORDER BY epoch`).all(id) as {
      epoch: number;
      metrics_json: string;
    }[];
    return rows.map((r) => ({ epoch: r.epoch, metrics: JSON.parse(r.metrics_json) }));
  }

  /** Chart points of a run: batch points first, then epoch points, each by step. */
  points(id: string): RunPoint[] {
    const rows = this.db.prepare(`SELECT kind, step, data_json FROM run_points WHERE run_id = ? ORDER BY kind, step`).all(id) as {
      kind: RunPoint['kind'];
      step: number;
      data_json: string;
    }[];
    return rows.map((r) => ({ kind: r.kind, step: r.step, data: JSON.parse(r.data_json) }));
  }

  /** Stores the end-of-run report (evaluation, per-node statistics), replacing an older one. */
  saveReport(id: string, report: unknown): void {
    this.db.prepare(`INSERT OR REPLACE INTO run_reports (run_id, created_at, report_json) VALUES (?, ?, ?)`).run(id, Date.now(), JSON.stringify(report));
  }

  /** The run's report as stored, or null when it has none. */
  report(id: string): unknown {
    const r = this.db.prepare(`SELECT report_json FROM run_reports WHERE run_id = ?`).get(id) as { report_json: string } | undefined;
    return r ? JSON.parse(r.report_json) : null;
  }

  /** Deletes a run with its epochs, points and report (checkpoint files are the caller's to remove). */
  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id).changes > 0;
  }
}

/** Opens the run store of a data folder for one operation (opening marks dead runs interrupted). */
export function withRunStore<T>(dataDir: string, f: (store: RunStore) => T): T {
  const db = openDb(dataDir);
  try {
    return f(new RunStore(db));
  } finally {
    db.close();
  }
}
