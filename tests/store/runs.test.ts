import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { openDb } from '../../engine/store/db.js';
import { RunStore } from '../../engine/store/runs.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const run = (id: string) => ({
  id,
  project: 'p',
  graph: { nodes: [] },
  graphHash: 'h',
  config: { epochs: 3 },
  dataset: 'digits',
  backend: 'wasm',
  checkpointDir: `/ck/${id}`,
});

describe('RunStore', () => {
  it('creates, records epochs, finishes and lists runs', () => {
    const dir = tmp();
    const db = openDb(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const store = new RunStore(db);
    store.create(run('a'));
    store.recordEpoch('a', 0, { loss: 1, valAccuracy: 0.5 }, 100);
    store.recordEpoch('a', 1, { loss: 0.5, valAccuracy: 0.7 }, 120);
    store.recordEpoch('a', 1, { loss: 0.4, valAccuracy: 0.75 }, 0); // a resumed run rewrites its epoch
    store.setBest('a', { valAccuracy: 0.75 });
    store.finish('a', 'completed', { valAccuracy: 0.75 });
    const r = store.get('a')!;
    expect(r.status).toBe('completed');
    expect(r.epochsDone).toBe(2);
    expect(r.durationMs).toBe(220);
    expect(r.best).toEqual({ valAccuracy: 0.75 });
    expect(store.epochs('a').map((e) => e.metrics.valAccuracy)).toEqual([0.5, 0.75]);
    expect(store.list('p').map((x) => x.id)).toEqual(['a']);
    expect(store.delete('a')).toBe(true);
    expect(store.epochs('a')).toEqual([]);
    db.close();
  });

  it('keeps chart points and the report with the run, and deletes them with it', () => {
    const db = openDb(tmp());
    const store = new RunStore(db);
    store.create(run('p1'));
    store.recordEpoch('p1', 0, { loss: 1 }, 10, [
      { kind: 'batch', step: 0.5, data: { loss: 1.2, lr: 0.1 } },
      { kind: 'epoch', step: 1, data: { lr: 0.1, samplesPerSec: 900 } },
    ]);
    // A resumed run redoing epoch 1 replaces its points rather than duplicating them.
    store.recordEpoch('p1', 0, { loss: 0.9 }, 10, [{ kind: 'batch', step: 0.5, data: { loss: 1.1, lr: 0.1 } }]);
    expect(store.points('p1')).toEqual([
      { kind: 'batch', step: 0.5, data: { loss: 1.1, lr: 0.1 } },
      { kind: 'epoch', step: 1, data: { lr: 0.1, samplesPerSec: 900 } },
    ]);
    expect(store.report('p1')).toBeNull();
    store.saveReport('p1', { task: 'classification', nodeStats: {} });
    expect(store.report('p1')).toEqual({ task: 'classification', nodeStats: {} });
    store.delete('p1');
    expect(store.points('p1')).toEqual([]);
    expect(store.report('p1')).toBeNull();
    db.close();
  });

  it('marks runs of dead processes interrupted when reopened, and survives reopening', () => {
    const dir = tmp();
    let db = openDb(dir);
    new RunStore(db).create(run('b'));
    // Pretend the owner was a process that no longer exists.
    db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, 'b');
    db.close();
    db = openDb(dir);
    expect(new RunStore(db).get('b')!.status).toBe('interrupted');
    db.close();
  });

  it('refuses a database from a newer Layerloom', () => {
    const dir = tmp();
    const db = openDb(dir);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDb(dir)).toThrow(/schema version 99, newer than this Layerloom understands/);
  });

  it('picks the platform app-data folder', () => {
    expect(defaultDataDir({ LAYERLOOM_DATA_DIR: '/x' }, 'linux')).toBe('/x');
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/layerloom');
    expect(defaultDataDir({ APPDATA: 'C:/AppData' }, 'win32')).toMatch(/Layerloom$/);
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Layerloom$/);
  });
});
