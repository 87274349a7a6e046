/**
 * Search over the engine protocol, as the designer drives it: the live space summary, a
 * launch that returns the experiment id at once, watched events until the end, the list and
 * detail from SQLite, a trial's concrete graph with its differences, stop + resume, and an
 * ONNX export of a trial that onnxruntime loads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { searchHandlers } from '../../nas/server/search-handlers.js';
import { startServer, type RunningServer } from '../../engine/server/serve.js';
import { EngineClient, EngineError, type SocketLike } from '../../renderer/src/public-api.js';

const root = path.resolve(import.meta.dirname, '../..');
const SPACE = fs.readFileSync(path.join(root, 'examples/spaces/space-digits.loom.json'), 'utf8');
const settings = { strategy: 'evolution' as const, evaluator: 'train', data: 'digits', epochs: 1, limit: 300, budgetTrials: 4, seed: 1, workers: 1 };

let server: RunningServer;
let client: EngineClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-search-serve-'));
  // The benchmark table lies outside the data folder: the user grants its folder (--allow-dir).
  const tables = [path.resolve(root, '../shared/data/nasbench201')].filter((d) => fs.existsSync(d));
  server = await startServer({ port: 0, dataDir, allowDirs: tables, features: [searchHandlers] });
  client = new EngineClient(
    () => `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
    (u) => new WebSocket(u) as unknown as SocketLike,
  );
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

describe('search over the protocol', () => {
  it('summarizes a drawn space: size, decisions tied to the drawing, extremes, shape check', async () => {
    const s = await client.call('space.summary', { text: SPACE });
    expect(s.searchable).toBe(true);
    // stem kernel 2 × repeats 3 × block kernel 2 × head filters 3 × optional residual edge 2.
    expect(s.size).toBe(2 * 3 * 2 * 3 * 2);
    expect(s.decisions.find((d) => d.kind === 'edge')?.edge).toBeDefined();
    expect(s.decisions.find((d) => d.name === 'head.filters')).toMatchObject({ kind: 'param', node: 'head', param: 'filters', options: [16, 32, 64] });
    expect(s.decisions.find((d) => d.name === 'blocks')).toMatchObject({ kind: 'repeat', node: 'blocks' });
    expect(s.extremes!.maxParams.params).toBeGreaterThan(s.extremes!.minParams.params);
    expect(s.check.failures).toEqual([]);
    // A broken choice is blamed on its decision value.
    // A 9×9 kernel without padding does not fit the 8×8 digits.
    const broken = SPACE.replace(/"choice": \[\s*3,\s*5\s*\]/, '"choice": [3, 9]').replace('"padding": "same"', '"padding": "valid"');
    expect(broken).not.toBe(SPACE);
    const b = await client.call('space.summary', { text: broken });
    expect(b.check.failures.length).toBeGreaterThan(0);
    expect(b.check.failures[0].decisions).toContain('stem.kernelSize');
    const bad = await client.call('space.summary', { text: '{"version":1,"nodes":[{"id":"x","kind":"Repeat","params":{"min":3,"max":1}}],"edges":[]}' });
    expect(bad.error?.where.node).toBe('x');
  });

  it('runs an evolution search, streams its trials, lists it, shows a trial graph and exports it', async () => {
    const { experimentId } = await client.call('search.start', { text: SPACE, project: 'space-digits', settings });
    const events: { event: string }[] = [];
    const { status } = await client.call('search.watch', { experimentId }, { onEvent: (e) => events.push(e) });
    expect(status).toBe('completed');
    const trials = events.filter((e) => e.event === 'trial');
    expect(trials).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed' });

    const list = await client.call('search.list', {});
    expect(list[0]).toMatchObject({ id: experimentId, status: 'completed', trialsDone: 4, strategy: 'evolution', project: 'space-digits', live: false });
    const got = await client.call('search.get', { experimentId });
    expect(got.trials).toHaveLength(4);
    expect(got.spaceText).toContain('"blocks"');

    // Late watchers get the whole history (a page reload).
    const replay: unknown[] = [];
    await client.call('search.watch', { experimentId }, { onEvent: (e) => replay.push(e) });
    expect(replay.filter((e) => (e as { event: string }).event === 'trial')).toHaveLength(4);

    const best = got.experiment.bestTrial!;
    const g = await client.call('search.trialGraph', { experimentId, trialId: best, against: 'design' });
    const doc = JSON.parse(g.text) as { nodes: { id: string; kind: string }[]; edges: { id: string }[] };
    expect(doc.nodes.some((n) => n.kind === 'Repeat')).toBe(false);
    expect(doc.edges.every((e) => typeof e.id === 'string')).toBe(true);
    const ids = new Set(doc.nodes.map((n) => n.id));
    expect(g.changedNodes.every((id) => ids.has(id))).toBe(true);

    const exported = await client.call('search.exportTrial', { experimentId, trialId: best });
    expect(fs.existsSync(exported.path)).toBe(true);
    const session = await ort.InferenceSession.create(exported.path);
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(64), [1, 8, 8, 1]) });
    const probs = out[session.outputNames[0]].data as Float32Array;
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('runs DARTS on the supernet and streams per-choice probabilities for the canvas heat', async () => {
    const { experimentId } = await client.call('search.start', {
      text: SPACE,
      project: 'space-digits',
      settings: { strategy: 'darts', evaluator: 'supernet', data: 'digits', limit: 300, supernetEpochs: 1, seed: 3 },
    });
    const events: { event: string; choices?: Record<string, Record<string, number>> }[] = [];
    const { status } = await client.call('search.watch', { experimentId }, { onEvent: (e) => events.push(e) });
    expect(status).toBe('completed');
    const probs = events.filter((e) => e.event === 'probabilities');
    expect(probs.length).toBeGreaterThan(0);
    const last = probs.at(-1)!.choices!;
    expect(Object.values(last['head.filters']).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    const done = events.at(-1) as { event: string; best?: { arch: string; trialId: number } };
    expect(done.event).toBe('done');
    const g = await client.call('search.trialGraph', { experimentId, trialId: done.best!.trialId, against: 'design' });
    expect(JSON.parse(g.text).nodes.length).toBeGreaterThan(5);
    // The supernet keeps no standalone model: export retrains the found graph from scratch.
    const exported = await client.call('search.exportTrial', { experimentId, trialId: done.best!.trialId });
    // Well above chance (0.1): the document's 3 epochs on the whole dataset (not the search's subset).
    expect(exported.metrics.valAccuracy).toBeGreaterThan(0.2);
    const session = await ort.InferenceSession.create(exported.path);
    expect(session.inputNames).toEqual(['pixels']);
  });

  it('searches a drawn NB201 cell against the benchmark table and retrains the found graph to export it', async () => {
    const table = path.join(root, '../shared/data/nasbench201/nb201_cifar10.json');
    const cellNet = JSON.stringify({
      version: 1,
      name: 'cell-digits',
      nodes: [
        { id: 'pixels', kind: 'Input', params: { shape: [8, 8, 1] } },
        { id: 'stem', kind: 'Conv2D', params: { filters: 8, kernelSize: 3, padding: 'same' } },
        { id: 'cell', kind: 'Cell', params: {} },
        { id: 'gap', kind: 'GlobalAvgPool', params: {} },
        { id: 'logits', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
        { id: 'digit', kind: 'Output', params: { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] } },
      ],
      edges: [
        { source: 'pixels', target: 'stem' },
        { source: 'stem', target: 'cell' },
        { source: 'cell', target: 'gap' },
        { source: 'gap', target: 'logits' },
        { source: 'logits', target: 'digit' },
      ],
      training: { dataset: 'digits', epochs: 2, batchSize: 32, optimizer: { name: 'adam', learningRate: 0.005 } },
    });
    expect((await client.call('space.summary', { text: cellNet })).size).toBe(15625);
    const { experimentId } = await client.call('search.start', {
      text: cellNet,
      project: 'cell-digits',
      settings: { strategy: 'evolution', evaluator: `tabular:${table}`, budgetTrials: 30, seed: 0 },
    });
    const { status } = await client.call('search.watch', { experimentId });
    expect(status).toBe('completed');
    const got = await client.call('search.get', { experimentId });
    expect(got.trials).toHaveLength(30);
    // Every trial carries the table's numbers for its cell (valid/test accuracy on CIFAR-10).
    expect(got.trials.every((t) => t.metrics.valid > 0 && t.metrics.test > 0)).toBe(true);
    const best = got.experiment.bestTrial!;
    const exported = await client.call('search.exportTrial', { experimentId, trialId: best });
    expect(fs.existsSync(exported.path)).toBe(true);
    expect(exported.metrics.valAccuracy).toBeGreaterThan(0.2);
  });

  it('stops a running search and resumes it to the end', async () => {
    const { experimentId } = await client.call('search.start', { text: SPACE, project: 'space-digits', settings: { ...settings, budgetTrials: 6, seed: 2 } });
    let stopped = false;
    const first = await client.call(
      'search.watch',
      { experimentId },
      {
        onEvent: (e) => {
          if (e.event === 'trial' && !stopped) {
            stopped = true;
            void client.call('search.stop', { experimentId });
          }
        },
      },
    );
    expect(first.status).toBe('cancelled');
    const mid = await client.call('search.get', { experimentId });
    expect(mid.trials.length).toBeGreaterThanOrEqual(1);
    expect(mid.trials.length).toBeLessThan(6);
    await client.call('search.resume', { experimentId });
    const end = await client.call('search.watch', { experimentId });
    expect(end.status).toBe('completed');
    expect((await client.call('search.get', { experimentId })).trials).toHaveLength(6);
  });

  it('estimates the cost before launch from a measured epoch of the largest candidate', async () => {
    const e = await client.call('search.estimate', { text: SPACE, settings });
    expect(e.secondsPerEpoch).toBeGreaterThan(0);
    // 4 trials × 1 epoch, at most the largest candidate's epoch each.
    expect(e.seconds).toBeCloseTo(4 * e.secondsPerEpoch!, 6);
    expect(e.detail).toMatch(/4 trials × 1 epoch × [\d.]+ s per epoch/);
    const tab = await client.call('search.estimate', { text: SPACE, settings: { ...settings, evaluator: 'tabular:x.json' } });
    expect(tab.seconds).toBe(0);
  });

  it('names what is wrong: unknown experiment, bad settings', async () => {
    const e1 = await client.call('search.get', { experimentId: 'nope' }).catch((e: EngineError) => e);
    expect((e1 as EngineError).code).toBe('not-found');
    const e2 = await client.call('search.start', { text: SPACE, settings: { ...settings, strategy: 'bogus' as 'random' } }).catch((e: EngineError) => e);
    expect((e2 as EngineError).code).toBe('bad-params');
    expect((e2 as EngineError).info.where?.field).toBe('settings.strategy');
  });

  it('lists a search that fails at start with its error', async () => {
    // A tabular search of a space without a Cell fails in the search process before any trial.
    const table = path.join(dataDir, 'table.json');
    fs.writeFileSync(table, '{}');
    const { experimentId } = await client.call('search.start', { text: SPACE, project: 'no-data', settings: { ...settings, evaluator: `tabular:${table}` } });
    const { status } = await client.call('search.watch', { experimentId });
    expect(status).toBe('failed');
    const listed = (await client.call('search.list', {})).find((x) => x.id === experimentId);
    expect(listed).toMatchObject({ status: 'failed', project: 'no-data', strategy: settings.strategy, live: false });
    expect(listed!.error).toMatch(/needs exactly one Cell node/);
    const got = await client.call('search.get', { experimentId });
    expect(got.trials).toEqual([]);
    expect(got.spaceText).toBe(SPACE);
  });
});
