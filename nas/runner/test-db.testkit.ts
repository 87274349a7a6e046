/**
 * Test helper: fresh SQLite databases in temporary folders, closed and removed after each
 * test of the file that calls `useTempDbs`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openDb, type Db } from '../../engine/store/db.js';

/** Registers the cleanup hook and returns a factory for temporary databases. */
export function useTempDbs(prefix: string): () => Db {
  const dbs: { db: Db; dir: string }[] = [];
  afterEach(() => {
    for (const { db, dir } of dbs.splice(0)) {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const db = openDb(dir);
    dbs.push({ db, dir });
    return db;
  };
}
