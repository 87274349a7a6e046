/**
 * A run killed between writing its checkpoint and storing that epoch's row resumes with the
 * missing row filled in from the checkpoint's history, so the run's epochs in SQLite are
 * complete (the designer's history and charts read them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runTrainJob } from '../../engine/jobs/train-job.js';
import { openDb } from '../../engine/store/db.js';
import { RunStore } from '../../engine/store/runs.js';

const root = path.resolve(import.meta.dirname, '../..');

it('fills epoch rows the store lost from the checkpoint history on resume', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-backfill-'));
  const text = fs.readFileSync(path.join(root, 'examples/mlp-digits.loom.json'), 'utf8');
  const controller = new AbortController();
  const first = await runTrainJob({
    text,
    dataDir,
    backend: 'wasm',
    signal: controller.signal,
    overrides: { dataset: 'digits', epochs: 5, limit: 400 },
    onEvent: (e) => {
      if (e.event === 'epoch' && e.epoch === 3) controller.abort();
    },
  });
  expect(first.status).toBe('cancelled');
  // Lose the last stored epoch, as a kill right after its checkpoint would.
  const db = openDb(dataDir);
  const store = new RunStore(db);
  const before = store.epochs(first.runId).map((r) => r.epoch);
  db.prepare('DELETE FROM run_epochs WHERE run_id = ? AND epoch = ?').run(first.runId, before.at(-1));
  db.close();

  const resumed = await runTrainJob({ resume: first.runId, dataDir, backend: 'wasm' });
  expect(resumed.status).toBe('completed');
  const db2 = openDb(dataDir);
  const epochs = new RunStore(db2).epochs(first.runId);
  db2.close();
  expect(epochs.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4]);
  expect(epochs.every((r) => Number.isFinite(r.metrics.loss))).toBe(true);
});
