/**
 * The engine dies mid-run (kill -9 of `layerloom serve`): the run is found 'interrupted'
 * when the engine starts again on the same data folder, and Resume continues from the
 * epoch of its last checkpoint to the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../engine/store/db.js';
import { RunStore } from '../../engine/store/runs.js';
import { loadCheckpoint } from '../../engine/train/checkpoint.js';
import { startEngine, type ServedEngine } from '../e2e/harness.js';
import { connect, epochsOf, mlpDigits, watchAll, type TrainEvent } from './training-helpers.js';

const EPOCHS = 40;
const engines: ServedEngine[] = [];
afterAll(async () => {
  // (ServedEngine.stop waits for an exit that a SIGKILLed engine has already had.)
  for (const e of engines) if (e.process.exitCode === null && e.process.signalCode === null) await e.stop();
  if (engines[0]) fs.rmSync(engines[0].dataDir, { recursive: true, force: true });
});

describe('engine killed during training', () => {
  it('on start, marks runs left running by a process that is gone as interrupted', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-orphan-'));
    const db = openDb(dataDir);
    new RunStore(db).create({
      id: 'r-orphan',
      project: 'p',
      graph: JSON.parse(mlpDigits),
      graphHash: 'h',
      config: { epochs: 3 },
      dataset: 'digits',
      backend: 'wasm',
      checkpointDir: path.join(dataDir, 'runs', 'r-orphan'),
    });
    db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(2 ** 22 + 4321, 'r-orphan'); // a pid no process has
    db.close();
    const engine = await startEngine({ dataDir });
    engines.push(engine);
    // Marked as the engine started, before any call.
    const check = openDb(dataDir);
    expect(check.prepare(`SELECT status FROM runs WHERE id = 'r-orphan'`).get()).toEqual({ status: 'interrupted' });
    check.close();
    const c = connect(engine.port, engine.token);
    const { runs } = await c.call('runs.list', {});
    expect(runs.map((r) => [r.id, r.status])).toEqual([['r-orphan', 'interrupted']]);
    c.close();
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks the run interrupted and resumes it from its last checkpoint', async () => {
    const first = await startEngine();
    engines.push(first);
    const c1 = connect(first.port, first.token);
    const { runId } = await c1.call('train.start', { text: mlpDigits, overrides: { epochs: EPOCHS } });
    // Kill the engine (not gracefully) once two epochs are in.
    const lost = await watchAll(c1, runId, (e) => {
      if (e.event === 'epoch' && e.epoch === 2) first.process.kill('SIGKILL');
    }).then(
      () => null,
      (err: Error) => err,
    );
    c1.close();
    expect(lost?.message).toMatch(/connection to the engine was lost/);

    const second = await startEngine({ dataDir: first.dataDir });
    engines.push(second);
    const c2 = connect(second.port, second.token);
    // The job process notices its engine is gone within moments; wait for it.
    let run = (await c2.call('runs.get', { runId })).run;
    for (let i = 0; i < 50 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await c2.call('runs.get', { runId })).run;
    }
    expect(run.status).toBe('interrupted');
    expect(run.active).toBe(false);
    expect(run.epochsDone).toBeGreaterThanOrEqual(2);
    expect(run.epochsDone).toBeLessThan(EPOCHS);
    const ckpt = await loadCheckpoint(path.join(first.dataDir, 'runs', runId), 'last');
    expect(ckpt.epoch).toBeGreaterThanOrEqual(run.epochsDone);

    // Watching an interrupted run replays its epochs and says so.
    const replay = await watchAll(c2, runId);
    expect(replay.status).toBe('interrupted');
    expect(replay.events.at(-1)?.event).toBe('interrupted');

    await c2.call('train.resume', { runId });
    const resumed = await watchAll(c2, runId);
    expect(resumed.status).toBe('completed');
    const start = resumed.events.find((e) => e.event === 'start') as Extract<TrainEvent, { event: 'start' }>;
    expect(start.startEpoch).toBe(ckpt.epoch + 1);
    expect(epochsOf(resumed.events)).toEqual(Array.from({ length: EPOCHS - ckpt.epoch }, (_, i) => ckpt.epoch + 1 + i));
    const done = await c2.call('runs.get', { runId });
    expect(done.run).toMatchObject({ status: 'completed', epochsDone: EPOCHS });
    expect(done.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(done.report?.classification?.accuracy).toBeGreaterThan(0.9);
    c2.close();
  });
});
