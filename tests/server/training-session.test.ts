/**
 * The renderer's training and runs sessions (the code behind the Training and Runs panels)
 * in Node against a real `layerloom serve`: a run followed into the store and re-attached
 * after a reload, the engine killed
 * mid-run (the panel says the connection was lost, then shows the run interrupted once an
 * engine is back), Resume to the end with the evaluation and per-node statistics, and the
 * history: open (read-only graph on the canvas), compare, delete.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { runsSession, trainingSession, useNodeStatsStore, useRunsStore, useTrainingStore, useViewStore } from '../../renderer/src/public-api.js';
import { startEngine, type ServedEngine } from '../e2e/harness.js';
import { connect, mlpDigits } from './training-helpers.js';

const engines: ServedEngine[] = [];
afterAll(async () => {
  for (const e of engines) if (e.process.exitCode === null && e.process.signalCode === null) await e.stop();
});

/** Polls until `f` holds (the stores are updated by socket events). */
async function until(f: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const doc = (epochs: number): LoomDocument => {
  const d = JSON.parse(mlpDigits) as LoomDocument;
  return { ...d, training: { ...d.training!, epochs } };
};
const run = () => useTrainingStore.getState().run!;

describe('training and runs sessions', () => {
  it('follows a run, survives the engine dying, resumes it, and manages the history', async () => {
    const a = await startEngine();
    engines.push(a);
    const client = connect(a.port, a.token);
    const training = trainingSession(client);

    await training.start(doc(40), 'mlp-digits', 'auto');
    expect(useTrainingStore.getState().error).toBeNull();
    const runId = run().runId;
    await until(() => run().epochRows.length >= 2, 'two epochs');
    expect(run().phase).toBe('running');
    expect(run().backend?.name).toBeTruthy();
    // A reloaded page finds the project's running job and replays it.
    useTrainingStore.setState({ run: null });
    await training.restore('mlp-digits');
    expect(run().runId).toBe(runId);
    await until(() => run().epochRows.length >= 2 && run().backend !== null, 'the replay');
    expect(run().epochRows[0].epoch).toBe(1);
    a.process.kill('SIGKILL');
    await until(() => run().phase === 'lost', 'the lost connection');
    expect(run().message).toMatch(/connection to the engine was lost/);

    // An engine comes back (Electron restarts it on a new port): the client follows it.
    const b = await startEngine({ dataDir: a.dataDir });
    engines.push(b);
    client.retarget(() => `ws://127.0.0.1:${b.port}/ws?token=${encodeURIComponent(b.token)}`);
    await until(() => run().status === 'interrupted', 'the interrupted status');
    expect(run().phase).toBe('ended');
    const before = run().epochRows.length;
    expect(before).toBeGreaterThanOrEqual(2);

    await training.resume(runId);
    await until(() => run().phase === 'ended', 'the resumed run to end');
    expect(run().status).toBe('completed');
    // Every epoch, including one finished just before the kill whose event never arrived
    // (the session reads the stored rows at the end).
    await until(() => run().epochRows.length === 40, 'all 40 epoch rows');
    expect(run().epochRows.map((r) => r.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(run().report?.classification?.accuracy).toBeGreaterThan(0.9);
    expect(useNodeStatsStore.getState().runId).toBe(runId);
    expect(useNodeStatsStore.getState().stats.hidden.weightNorm).toBeGreaterThan(0);

    // A second, short run to compare with.
    await training.start(doc(3), 'mlp-digits', 'auto');
    const second = run().runId;
    await until(() => run().phase === 'ended', 'the second run');

    const runs = runsSession(client);
    await runs.refresh('mlp-digits');
    expect(useRunsStore.getState().runs.map((r) => [r.id, r.status])).toEqual([
      [second, 'completed'],
      [runId, 'completed'],
    ]);
    await runs.open(runId);
    expect(useViewStore.getState().readOnly?.title).toContain(runId);
    expect(useViewStore.getState().readOnly?.doc.nodes).toHaveLength(5);
    expect(useRunsStore.getState().opened?.report).not.toBeNull();
    runs.close();
    expect(useViewStore.getState().readOnly).toBeNull();
    // The canvas banner's "Back to design" closes the opened run as well.
    await runs.open(runId);
    useViewStore.getState().exitReadOnly();
    expect(useRunsStore.getState().opened).toBeNull();

    await runs.toggleCompare(runId);
    await runs.toggleCompare(second);
    expect(useRunsStore.getState().compared.map((c) => c.run.epochRows.length)).toEqual([40, 3]);

    await runs.remove(second);
    expect(useRunsStore.getState().runs.map((r) => r.id)).toEqual([runId]);
    expect(useRunsStore.getState().compare).toEqual([runId]);
    client.close();
  });
});
