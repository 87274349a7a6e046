/**
 * Training through the protocol, against an in-process server whose jobs run in child
 * processes: start → watch (events, report, stored run), replay and cancel-unsubscribe,
 * stop → resume from the checkpoint, errors (bad params, graph errors with the node,
 * data errors with the file, unknown run ids), and the run history (get, export, download,
 * delete).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../renderer/src/public-api.js';
import { engineFeatures } from '../../engine/server/features.js';
import { closeAllTrainJobs } from '../../engine/server/jobs/index.js';
import { openDb } from '../../engine/store/db.js';
import { startServer, type RunningServer } from '../../engine/server/serve.js';
import { callError, connect, epochsOf, mlpDigits, watchAll, type TrainEvent } from './training-helpers.js';

let server: RunningServer;
let dataDir: string;
let c: EngineClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-train-'));
  server = await startServer({ port: 0, dataDir, features: engineFeatures });
  c = connect(server.port, server.token);
});
afterAll(async () => {
  c.close();
  closeAllTrainJobs();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** mlp-digits with its training section changed. */
function withTraining(training: Record<string, unknown>): string {
  const doc = JSON.parse(mlpDigits) as { training: Record<string, unknown> };
  return JSON.stringify({ ...doc, training: { ...doc.training, ...training } });
}

describe('training jobs over the protocol', () => {
  let completedRun = '';

  it('starts a job at once, streams its events, and stores the run with its report', async () => {
    const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { epochs: 4 } });
    // The call answers before training ends (the job trains elsewhere): the run is still active,
    // and its whole event stream, start to done, is yet to be watched.
    expect((await c.call('train.active', {})).map((j) => j.runId)).toContain(runId);
    const { status, events } = await watchAll(c, runId);
    expect(status).toBe('completed');
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('backend');
    expect(kinds).toContain('batch');
    expect(epochsOf(events)).toEqual([1, 2, 3, 4]);
    expect(kinds.indexOf('report')).toBeLessThan(kinds.indexOf('done'));
    expect(kinds.at(-1)).toBe('done');
    const start = events.find((e) => e.event === 'start') as Extract<TrainEvent, { event: 'start' }>;
    expect(start).toMatchObject({ epochs: 4, startEpoch: 1, trainCount: 1438, valCount: 359 });
    const report = (events.find((e) => e.event === 'report') as Extract<TrainEvent, { event: 'report' }>).report;
    expect(report.classification!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(359);
    expect(report.classification!.perClass).toHaveLength(10);
    expect(report.classification!.roc).toHaveLength(10);
    expect(report.misclassified.every((m) => m.image?.width === 8)).toBe(true);
    expect(Object.keys(report.nodeStats).sort()).toEqual(['digit', 'dropout', 'hidden', 'logits', 'pixels']);

    // `done` comes after the status is stored: the history already shows it finished.
    const { runs } = await c.call('runs.list', { project: 'mlp-digits' });
    expect(runs.find((r) => r.id === runId)).toMatchObject({ status: 'completed', active: false, epochsDone: 4, epochs: 4, dataset: 'digits' });
    expect(runs.find((r) => r.id === runId)!.best!.valAccuracy).toBeGreaterThan(0.9);
    const got = await c.call('runs.get', { runId });
    expect(got.graph.nodes.map((n) => n.id)).toEqual(JSON.parse(mlpDigits).nodes.map((n: { id: string }) => n.id));
    expect(got.config.epochs).toBe(4);
    expect(got.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(got.points.filter((p) => p.kind === 'epoch').map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(got.points.some((p) => p.kind === 'batch' && typeof p.data.loss === 'number')).toBe(true);
    expect(got.report).toEqual(report);
    expect(await c.call('train.active', {})).toEqual([]);
    completedRun = runId;
  });

  it('replays a run to a late watcher; cancelling a watch only unsubscribes', async () => {
    const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { epochs: 25 } });
    const ctl = new AbortController();
    const first: TrainEvent[] = [];
    const watching = c.call(
      'train.watch',
      { runId },
      { signal: ctl.signal, onEvent: (e) => (first.push(e), e.event === 'epoch' && e.epoch === 2 && ctl.abort()) },
    );
    expect((await callError(watching)).code).toBe('cancelled');
    const seen = first.length;
    // The job trains on without the watcher.
    expect((await c.call('train.active', {})).map((j) => j.runId)).toContain(runId);
    await new Promise((r) => setTimeout(r, 300));
    expect(first.length).toBe(seen);
    // A new watch (a reloaded page) replays from the start and follows to the end.
    const again = await watchAll(c, runId);
    expect(again.status).toBe('completed');
    expect(epochsOf(again.events)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(again.events[0].event).toBe('backend');
    // Watching a finished run replays it too.
    const after = await watchAll(c, runId);
    expect(epochsOf(after.events)).toHaveLength(25);
    expect(after.events.at(-1)).toMatchObject({ event: 'done', status: 'completed' });
  });

  it('stops a run after its batch and resumes it from the last checkpoint', async () => {
    const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { epochs: 300 } });
    const stopped = await watchAll(c, runId, (e) => {
      if (e.event === 'epoch' && e.epoch === 2) void c.call('train.stop', { runId });
    });
    expect(stopped.status).toBe('cancelled');
    const done = stopped.events.at(-1) as Extract<TrainEvent, { event: 'done' }>;
    expect(done.status).toBe('cancelled');
    const run = (await c.call('runs.get', { runId })).run;
    expect(run.status).toBe('cancelled');
    expect(run.epochsDone).toBeGreaterThanOrEqual(2);
    expect((await callError(c.call('train.stop', { runId }))).code).toBe('bad-params');

    // The resumed run keeps its 300 epochs; stop it again one epoch in.
    await c.call('train.resume', { runId });
    const resumed = await watchAll(c, runId, (e) => {
      if (e.event === 'epoch' && e.epoch === run.epochsDone + 1) void c.call('train.stop', { runId });
    });
    const start = resumed.events.find((e) => e.event === 'start') as Extract<TrainEvent, { event: 'start' }>;
    expect(start.startEpoch).toBe(run.epochsDone + 1);
    expect(epochsOf(resumed.events)[0]).toBe(run.epochsDone + 1);
    expect(resumed.status).toBe('cancelled');
  });

  it('a training process that dies leaves the server up and the run interrupted', async () => {
    const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { epochs: 300 } });
    const crashed = await watchAll(c, runId, (e) => {
      if (e.event !== 'epoch' || e.epoch !== 2) return;
      const db = openDb(dataDir);
      const { pid } = db.prepare('SELECT pid FROM runs WHERE id = ?').get(runId) as { pid: number };
      db.close();
      process.kill(pid, 'SIGKILL'); // as the kernel's out-of-memory killer would
    });
    expect(crashed.status).toBe('interrupted');
    expect(crashed.events.at(-1)).toEqual({ event: 'interrupted', message: 'the training process was killed by SIGKILL' });
    expect((await c.call('runs.get', { runId })).run).toMatchObject({ status: 'interrupted', error: 'the training process was killed by SIGKILL' });
    expect(await c.call('train.active', {})).toEqual([]);
    expect((await c.call('engine.hello', {})).pid).toBe(process.pid);
  });

  it('refuses bad input precisely, before or while starting', async () => {
    const notJson = await callError(c.call('train.start', { text: '{"version": 1,' }));
    expect(notJson.code).toBe('graph');
    expect(notJson.info.where?.line).toBe(1);
    const doc = JSON.parse(mlpDigits);
    doc.nodes[1].params.units = -3;
    const badParam = await callError(c.call('train.start', { text: JSON.stringify(doc) }));
    expect(badParam.code).toBe('graph');
    expect(badParam.info.where?.node).toBe('hidden');
    const noData = await callError(c.call('train.start', { text: withTraining({ dataset: undefined }) }));
    expect(noData.info).toMatchObject({ code: 'bad-params', where: { field: 'training.dataset' } });
    const badOverride = await callError(c.call('train.start', { text: mlpDigits, overrides: { epochs: 0 } }));
    expect(badOverride.info).toMatchObject({ code: 'bad-params', where: { field: 'overrides.epochs' } });

    // Data problems surface in the job: the run id comes back, the watch reports the file.
    const csv = path.join(dataDir, 'ragged.csv');
    fs.writeFileSync(csv, 'a,b,label\n1,2,0\n3,4\n');
    const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { dataset: `csv:${csv}` } });
    const failed = await watchAll(c, runId);
    expect(failed.status).toBe('failed');
    const f = failed.events.at(-1) as Extract<TrainEvent, { event: 'failed' }>;
    expect(f.error).toMatchObject({ code: 'bad-params', where: { file: csv, position: 'line 3' } });
    expect(f.error.message).toContain('ragged row');
    // The graph does not fit the data: the Input node is named.
    const spirals = await watchAll(c, (await c.call('train.start', { text: mlpDigits, overrides: { dataset: 'spirals' } })).runId);
    const g = spirals.events.at(-1) as Extract<TrainEvent, { event: 'failed' }>;
    expect(g.error).toMatchObject({ code: 'graph', where: { node: 'pixels' } });
  });

  it('answers not-found for unknown run ids and bad-params for malformed ones', async () => {
    const unknown = { runId: 'r20000101000000-abcdef' };
    for (const call of [
      c.call('train.watch', unknown),
      c.call('train.stop', unknown),
      c.call('train.resume', unknown),
      c.call('runs.get', unknown),
      c.call('runs.delete', unknown),
      c.call('runs.export', unknown),
    ]) {
      const e = await callError(call);
      expect(e.info).toMatchObject({ code: 'not-found', where: { field: 'runId' } });
    }
    const bad = await callError(c.call('runs.get', { runId: '../../etc' }));
    expect(bad.info).toMatchObject({ code: 'bad-params', where: { field: 'runId' } });
    const finished = await callError(c.call('train.resume', { runId: completedRun }));
    expect(finished.code).toBe('bad-params');
    expect(finished.message).toContain('already finished');
  });

  it('exports a run to ONNX (verified), serves it with the token only, and deletes the run', async () => {
    const ex = await c.call('runs.export', { runId: completedRun });
    expect(ex.path).toBe(path.join(dataDir, 'exports', `${completedRun}.onnx`));
    expect(ex.bytes).toBe(fs.statSync(ex.path).size);
    expect(ex.verify).toMatchObject({ inputs: 'dataset' });
    expect(ex.verify!.maxAbsDiff!).toBeLessThan(1e-4);
    const base = `http://127.0.0.1:${server.port}${ex.downloadPath}`;
    const ok = await fetch(`${base}?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="${completedRun}.onnx"`);
    const named = await fetch(`${base}?token=${server.token}&name=digits-net.onnx`);
    expect(named.headers.get('content-disposition')).toBe('attachment; filename="digits-net.onnx"');
    const unsafe = await fetch(`${base}?token=${server.token}&name=${encodeURIComponent('../x".onnx')}`);
    expect(unsafe.headers.get('content-disposition')).toBe(`attachment; filename="${completedRun}.onnx"`);
    expect((await ok.arrayBuffer()).byteLength).toBe(ex.bytes);
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(`${base}?token=wrong`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${server.port}/download/exports/..%2F..%2Flayerloom.db?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/download/exports/%2e%2e%2flayerloom.onnx?token=${server.token}`)).status).toBe(404);

    // Electron passes a path of its save dialog.
    const chosen = path.join(dataDir, 'chosen', 'model.onnx');
    const ex2 = await c.call('runs.export', { runId: completedRun, path: chosen });
    expect(ex2.downloadPath).toBeNull();
    expect(fs.existsSync(chosen)).toBe(true);
    expect((await callError(c.call('runs.export', { runId: completedRun, path: 'relative.onnx' }))).info.where?.field).toBe('path');

    const ckptDir = path.join(dataDir, 'runs', completedRun);
    const log = path.join(dataDir, 'logs', `train-${completedRun}.log`);
    expect(fs.existsSync(ckptDir)).toBe(true);
    expect(fs.existsSync(log)).toBe(true);
    await c.call('runs.delete', { runId: completedRun });
    expect(fs.existsSync(ckptDir)).toBe(false);
    expect(fs.existsSync(log)).toBe(false);
    expect(fs.existsSync(ex.path)).toBe(false);
    expect((await callError(c.call('runs.get', { runId: completedRun }))).code).toBe('not-found');
  });
});

describe('datasets', () => {
  it('lists the built-in sets and the file formats', async () => {
    const { datasets, fileKinds } = await c.call('datasets.list', {});
    expect(datasets.map((d) => d.name)).toEqual(expect.arrayContaining(['digits', 'mnist', 'spirals', 'shapes', 'sine']));
    expect(fileKinds.map((k) => k.kind)).toEqual(['idx', 'csv', 'npy', 'images']);
  });

  it('previews image and tabular sets with their class balance', async () => {
    const digits = await c.call('datasets.preview', { spec: 'digits', samples: 10 });
    expect(digits).toMatchObject({ count: 1797, numClasses: 10, isImage: true, inputShape: [8, 8, 1] });
    expect(digits.classCounts.reduce((a, b) => a + b, 0)).toBe(1797);
    expect(digits.samples.map((s) => s.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(digits.samples[0].image).toMatchObject({ width: 8, height: 8, channels: 1 });
    const csv = path.join(dataDir, 'iris.csv');
    fs.writeFileSync(csv, 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n');
    const tab = await c.call('datasets.preview', { spec: `csv:${csv}` });
    expect(tab.classCounts).toEqual([2, 1]);
    expect(tab.samples[0].values).toEqual([1, 2]);
    expect(tab.samples[0].image).toBeUndefined();
  });

  it('names the file and position of a bad user file', async () => {
    const gone = path.join(dataDir, 'nope', 'train-images-idx3-ubyte');
    const missing = await callError(c.call('datasets.preview', { spec: `idx:${gone},${gone}` }));
    expect(missing.info).toMatchObject({ code: 'bad-params', where: { field: 'spec' } });
    expect(missing.message).toBe(`${JSON.stringify(gone)} does not exist`);
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b,label\n1,x,0\n');
    const e = await callError(c.call('datasets.preview', { spec: `csv:${bad}` }));
    expect(e.info.where).toMatchObject({ file: bad, position: 'line 2, column 2' });
    expect((await callError(c.call('datasets.preview', { spec: 'nonsense' }))).code).toBe('bad-params');
  });
});
