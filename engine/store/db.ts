/**
 * Opens the SQLite database (better-sqlite3 12, WAL) under the data folder and applies
 * schema migrations keyed on `PRAGMA user_version`, so older data folders upgrade in place.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

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
];

/** Opens (creating if needed) `layerloom.db` in `dataDir` and migrates it. */
export function openDb(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'layerloom.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    db.close();
    throw new Error(`${dataDir}/layerloom.db has schema version ${version}, newer than this Layerloom understands (${migrations.length})`);
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
