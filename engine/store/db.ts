/**
 * Opens the SQLite database (better-sqlite3 12, WAL) under the data folder and applies
 * schema migrations keyed on `PRAGMA user_version`, so older data folders upgrade in place.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { diskError, storageError } from '../util/disk-errors.js';

/** The better-sqlite3 handle type. */
export type Db = Database.Database;

/** Ordered migrations; index i upgrades user_version i -> i+1. Never edit a shipped one. */
const migrations: string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     project TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     graph_json TEXT NOT NULL,
     graph_hash TEXT NOT NULL,
     config_json TEXT NOT NULL,
     dataset TEXT NOT NULL,
     backend TEXT,
     pid INTEGER,
     epochs_done INTEGER NOT NULL DEFAULT 0,
     best_json TEXT,
     final_json TEXT,
     checkpoint_dir TEXT NOT NULL,
     error TEXT,
     duration_ms INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX runs_project ON runs(project, created_at);
   CREATE TABLE run_epochs (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     epoch INTEGER NOT NULL,
     metrics_json TEXT NOT NULL,
     PRIMARY KEY (run_id, epoch)
   );`,
  // 1 -> 2: architecture-search experiments (nas/runner) and their trials.
  `CREATE TABLE experiments (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     config_json TEXT NOT NULL,
     strategy_state_json TEXT,
     simulated_seconds REAL NOT NULL DEFAULT 0,
     trials_done INTEGER NOT NULL DEFAULT 0,
     best_trial INTEGER,
     pid INTEGER,
     error TEXT
   );
   CREATE INDEX experiments_created ON experiments(created_at);
   CREATE TABLE trials (
     experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
     trial_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     sample_json TEXT NOT NULL,
     arch_key TEXT NOT NULL,
     status TEXT NOT NULL,
     objective REAL,
     metrics_json TEXT NOT NULL,
     parent_trial INTEGER,
     changed TEXT,
     cost_seconds REAL NOT NULL,
     wall_ms REAL NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (experiment_id, trial_id),
     UNIQUE (experiment_id, seq)
   );`,
  // 2 -> 3: why a trial failed or was skipped (training evaluator), null otherwise.
  `ALTER TABLE trials ADD COLUMN error TEXT;`,
  // 3 -> 4: proposals in flight in a parallel search (asked, not yet told), so a resume re-runs
  // exactly those before asking for more. Rows are deleted as their trial is recorded.
  `CREATE TABLE pending_trials (
     experiment_id TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
     trial_id INTEGER NOT NULL,
     sample_json TEXT NOT NULL,
     parent_trial INTEGER,
     changed TEXT,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (experiment_id, trial_id)
   );`,
  // 4 -> 5: what the designer's dashboard shows of a run after the fact: thinned per-batch and
  // per-epoch series (loss, learning rate, throughput) and the end-of-run report (evaluation,
  // per-node statistics).
  `CREATE TABLE run_points (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     step REAL NOT NULL,
     data_json TEXT NOT NULL,
     PRIMARY KEY (run_id, kind, step)
   );
   CREATE TABLE run_reports (
     run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     report_json TEXT NOT NULL
   );`,
];

/**
 * The database file as a read-only in-memory copy. Its header says WAL, which an in-memory
 * database cannot use, so the copy is marked as a rollback-journal file (header bytes 18-19).
 * Transactions still only in the -wal file are not seen: a clean close checkpoints them.
 */
function snapshotInMemory(file: string): Db {
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes, { readonly: true });
}

/** How to open the database. */
export interface OpenDbOptions {
  /**
   * Read only, without migrations: what `layerloom runs` falls back to when the data folder
   * cannot be written (a full or read-only disk), so the history stays readable.
   */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) `layerloom.db` in `dataDir` and migrates it. A full or read-only
 * disk gives a DiskError naming the file and the cause (ENOSPC, EROFS, EACCES).
 */
export function openDb(dataDir: string, opts: OpenDbOptions = {}): Db {
  const file = path.join(dataDir, 'layerloom.db');
  if (opts.readonly) {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        // SQLite opens lazily: the first read is what fails on such a disk.
        db.prepare('SELECT count(*) FROM sqlite_master').get();
        return db;
      } catch (e) {
        db.close();
        throw e;
      }
    } catch {
      // A WAL database opened read-only still needs to create its -shm file, which a full or
      // read-only disk refuses; a copy in memory needs nothing of the disk.
    }
    try {
      return snapshotInMemory(file);
    } catch (e) {
      throw storageError(e, file);
    }
  }
  let db: Db | undefined;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    db?.close();
    throw storageError(diskError(e, dataDir, 'create the data folder'), file);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    db.close();
    throw new Error(`${dataDir}/layerloom.db has schema version ${version}, newer than this Layerloom understands (${migrations.length})`);
  }
  try {
    for (let v = version; v < migrations.length; v++) {
      db.transaction(() => {
        db.exec(migrations[v]);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  } catch (e) {
    db.close();
    throw storageError(e, file);
  }
  return db;
}
