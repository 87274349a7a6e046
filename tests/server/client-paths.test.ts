/**
 * Client path confinement over the protocol: every method that takes a path (runs.export,
 * search.exportTrial, datasets.preview, train.start, search.start, search.estimate) refuses
 * relative paths, `..`, symlinks out of a granted folder, wrong extensions and existing files,
 * with errors that read nothing of a foreign file and say the same whether it exists or not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineClient } from '../../renderer/src/public-api.js';
import { writeGrant } from '../../electron/grants.js';
import { ClientPaths, grantToken } from '../../engine/server/client-paths.js';
import { engineFeatures } from '../../engine/server/features.js';
import { closeAllTrainJobs } from '../../engine/server/jobs/index.js';
import { startServer, type RunningServer } from '../../engine/server/serve.js';
import { openDb } from '../../engine/store/db.js';
import { ExperimentStore } from '../../engine/store/experiments.js';
import { withRunStore } from '../../engine/store/runs.js';
import { searchHandlers } from '../../nas/server/search-handlers.js';
import { callError, connect, mlpDigits } from './training-helpers.js';

const GRANT_KEY = 'k'.repeat(64);
const SECRET = 'TOP-SECRET-BYTES';
const RUN = 'r20260101000000-abcdef';
const EXPERIMENT = 'e20260101000000-abcdef';

let root: string;
let dataDir: string;
let allowed: string;
let outside: string;
let server: RunningServer;
let c: EngineClient;

beforeAll(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-paths-')));
  dataDir = path.join(root, 'data');
  allowed = path.join(root, 'allowed');
  outside = path.join(root, 'outside');
  for (const d of [dataDir, allowed, outside]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(outside, 'data.csv'), `a,b,label\n1,2,${SECRET}\n`);
  fs.writeFileSync(path.join(outside, 'passwd'), `root:x:0:0:${SECRET}\n`);
  fs.writeFileSync(path.join(outside, 'table.json'), '{}');
  fs.writeFileSync(path.join(allowed, 'iris.csv'), 'a,b,label\n1,2,x\n3,4,y\n');
  fs.writeFileSync(path.join(allowed, 'exists.onnx'), 'old');
  fs.symlinkSync(outside, path.join(allowed, 'link-dir'));
  fs.symlinkSync(path.join(outside, 'data.csv'), path.join(allowed, 'link.csv'));
  fs.symlinkSync(path.join(outside, 'out.onnx'), path.join(allowed, 'link.onnx'));
  // A run and an experiment to export (the path is checked before any export work starts).
  withRunStore(dataDir, (s) => {
    s.create({
      id: RUN,
      project: 'p',
      graph: JSON.parse(mlpDigits),
      graphHash: 'h',
      config: { dataset: `csv:${path.join(outside, 'data.csv')}` },
      dataset: 'digits',
      backend: 'cpu',
      checkpointDir: path.join(dataDir, 'runs', RUN),
    });
    s.recordEpoch(RUN, 0, { loss: 1 }, 1);
    s.finish(RUN, 'cancelled', null);
  });
  const db = openDb(dataDir);
  new ExperimentStore(db).create(EXPERIMENT, { space: 'x' }, {});
  db.close();
  server = await startServer({ port: 0, dataDir, allowDirs: [allowed], grantKey: GRANT_KEY, features: [...engineFeatures, searchHandlers] });
  c = connect(server.port, server.token);
});
afterAll(async () => {
  c.close();
  closeAllTrainJobs();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The refusal of a path, with the path itself replaced, so two refusals can be compared. */
async function refusal(p: Promise<unknown>, given: string): Promise<{ code: string; field: unknown; message: string }> {
  const e = await callError(p);
  expect(e.message).not.toContain(SECRET);
  return { code: e.code, field: e.info.where?.field, message: e.message.replace(JSON.stringify(given), 'PATH') };
}

const writers: [string, (target: { path: string; overwrite?: boolean; grant?: string }) => Promise<unknown>][] = [
  ['runs.export', (t) => c.call('runs.export', { runId: RUN, ...t })],
  ['search.exportTrial', (t) => c.call('search.exportTrial', { experimentId: EXPERIMENT, trialId: 0, ...t })],
];

describe.each(writers)('%s writes only where the user allowed', (_name, write) => {
  it('refuses relative paths, "..", wrong extensions and missing folders outside the data folder', async () => {
    expect(await refusal(write({ path: 'model.onnx' }), 'model.onnx')).toMatchObject({
      code: 'bad-params',
      field: 'path',
      message: expect.stringMatching(/relative path/),
    });
    expect(await refusal(write({ path: `${allowed}/../outside/x.onnx` }), `${allowed}/../outside/x.onnx`)).toMatchObject({
      field: 'path',
      message: expect.stringMatching(/contains "\.\."/),
    });
    expect(await refusal(write({ path: path.join(allowed, 'model.txt') }), path.join(allowed, 'model.txt'))).toMatchObject({
      message: 'PATH must end in .onnx',
    });
    const deep = path.join(allowed, 'new', 'model.onnx');
    expect((await refusal(write({ path: deep }), deep)).message).toMatch(/creates folders only inside its data folder/);
    expect(fs.existsSync(path.join(allowed, 'new'))).toBe(false);
  });

  it('refuses paths outside the grants with the same words whether they exist or not, and symlinks out', async () => {
    const existing = path.join(outside, 'data.onnx');
    fs.writeFileSync(existing, SECRET);
    const missing = path.join(outside, 'nothing', 'here.onnx');
    const a = await refusal(write({ path: existing }), existing);
    const b = await refusal(write({ path: missing }), missing);
    expect(a).toEqual(b);
    expect(a.message).toMatch(/^PATH is outside the folders this engine may write/);
    const viaLink = path.join(allowed, 'link-dir', 'x.onnx');
    expect(await refusal(write({ path: viaLink }), viaLink)).toEqual(a);
    expect((await refusal(write({ path: path.join(allowed, 'link.onnx') }), path.join(allowed, 'link.onnx'))).message).toMatch(/symbolic link/);
    expect(fs.existsSync(path.join(outside, 'out.onnx'))).toBe(false);
    expect(fs.readFileSync(existing, 'utf8')).toBe(SECRET);
  });

  it('never replaces an existing file unless asked to', async () => {
    const existing = path.join(allowed, 'exists.onnx');
    expect((await refusal(write({ path: existing }), existing)).message).toBe('PATH exists; pass overwrite: true to replace it');
    expect(fs.readFileSync(existing, 'utf8')).toBe('old');
    // With overwrite the path passes; the export itself then fails on the stand-in run or trial.
    const e = await callError(write({ path: existing, overwrite: true }));
    expect(e.message).not.toMatch(/exists; pass overwrite|outside the folders/);
  });

  it('accepts a native-dialog pick outside the grants only with its own grant', async () => {
    const picked = path.join(outside, 'picked.onnx');
    const forged = await refusal(write({ path: picked, grant: grantToken(GRANT_KEY, 'write', path.join(outside, 'other.onnx')) }), picked);
    expect(forged.message).toMatch(/outside the folders/);
    const e = await callError(write({ path: picked, grant: writeGrant(GRANT_KEY, picked) }));
    expect(e.message).not.toMatch(/outside the folders|exists; pass overwrite/);
  });
});

describe('dataset reads', () => {
  const preview = (spec: string) => c.call('datasets.preview', { spec });

  it('previews a CSV in a granted folder', async () => {
    const r = await preview(`csv:${path.join(allowed, 'iris.csv')}`);
    expect(r.classCounts).toEqual([1, 1]);
  });

  it('refuses foreign files before reading them: relative, "..", wrong format, outside, symlinked out', async () => {
    expect((await refusal(preview('csv:iris.csv'), 'iris.csv')).message).toMatch(/relative path/);
    // Control characters and bidi overrides of the client's text come back escaped.
    expect((await callError(preview('csv:ev\u202Eil\u001b.csv'))).message).toMatch(/^"ev\\u202eil\\u001b\.csv" is a relative path/);
    expect((await refusal(preview(`csv:${allowed}/../outside/data.csv`), `${allowed}/../outside/data.csv`)).message).toMatch(/"\.\."/);
    expect((await refusal(preview(`csv:${path.join(outside, 'passwd')}`), path.join(outside, 'passwd'))).message).toMatch(
      /is not named like a \.csv \(or \.tsv/,
    );
    const passwd = path.join(outside, 'passwd');
    expect((await refusal(preview(`idx:${passwd},${passwd}`), passwd)).message).toMatch(/is not named like an IDX file/);
    const existing = await refusal(preview(`csv:${path.join(outside, 'data.csv')}`), path.join(outside, 'data.csv'));
    const missing = await refusal(preview(`csv:${path.join(outside, 'nope.csv')}`), path.join(outside, 'nope.csv'));
    expect(existing).toEqual(missing);
    expect(existing).toMatchObject({ code: 'bad-params', field: 'spec', message: expect.stringMatching(/^PATH is outside the folders this engine may read/) });
    expect(await refusal(preview(`csv:${path.join(allowed, 'link.csv')}`), path.join(allowed, 'link.csv'))).toEqual(existing);
    expect(await refusal(preview(`images:${path.join(allowed, 'link-dir')}`), path.join(allowed, 'link-dir'))).toEqual(existing);
    expect(await refusal(preview(`npy:${path.join(outside, 'x.npy')},${path.join(outside, 'y.npy')}`), path.join(outside, 'x.npy'))).toEqual(existing);
    // Inside the grants a missing file is named as missing.
    expect((await refusal(preview(`csv:${path.join(allowed, 'gone.csv')}`), path.join(allowed, 'gone.csv'))).message).toBe('PATH does not exist');
  });

  it('train.start and train.resume check the document dataset and the override', async () => {
    const doc = JSON.parse(mlpDigits) as { training: Record<string, unknown> };
    const foreign = `csv:${path.join(outside, 'data.csv')}`;
    const inDoc = await callError(c.call('train.start', { text: JSON.stringify({ ...doc, training: { ...doc.training, dataset: foreign } }) }));
    expect(inDoc.info).toMatchObject({ code: 'bad-params', where: { field: 'training.dataset' } });
    const override = await callError(c.call('train.start', { text: mlpDigits, overrides: { dataset: foreign } }));
    expect(override.info).toMatchObject({ code: 'bad-params', where: { field: 'overrides.dataset' } });
    expect(override.message).toMatch(/outside the folders/);
    const resumed = await callError(c.call('train.resume', { runId: RUN }));
    expect(resumed.message).toMatch(/outside the folders/);
  });

  it('search.start and search.estimate check the dataset and the tabular table', async () => {
    const space = mlpDigits;
    const base = { strategy: 'random' as const, evaluator: 'train', budgetTrials: 1 };
    const data = await callError(c.call('search.start', { text: space, settings: { ...base, data: `csv:${path.join(outside, 'data.csv')}` } }));
    expect(data.info).toMatchObject({ code: 'bad-params', where: { field: 'settings.data' } });
    const est = await callError(c.call('search.estimate', { text: space, settings: { ...base, data: 'csv:rel.csv' } }));
    expect(est.message).toMatch(/relative path/);
    const table = await callError(c.call('search.start', { text: space, settings: { ...base, evaluator: `tabular:${path.join(outside, 'table.json')}` } }));
    expect(table.info).toMatchObject({ code: 'bad-params', where: { field: 'settings.evaluator' } });
  });
});

describe('project files', () => {
  it('files.read refuses a link in the projects folder instead of following it out', async () => {
    const projects = path.join(dataDir, 'projects');
    fs.mkdirSync(projects, { recursive: true });
    fs.symlinkSync(path.join(outside, 'passwd'), path.join(projects, 'evil.loom.json'));
    const e = await callError(c.call('files.read', { name: 'evil.loom.json' }));
    expect(e.info).toMatchObject({ code: 'bad-params', where: { field: 'name' } });
    expect(e.message).toMatch(/not a regular file/);
    expect(e.message).not.toContain(SECRET);
  });
});

describe('train.start checks memory before a job spends any', () => {
  it('refuses a Dense of 1e12 units on its node, at once', async () => {
    const doc = JSON.parse(mlpDigits) as { nodes: { id: string; params: Record<string, unknown> }[] };
    doc.nodes.find((n) => n.id === 'hidden')!.params.units = 1e12;
    const e = await callError(c.call('train.start', { text: JSON.stringify(doc) }));
    expect(e.info).toMatchObject({ code: 'graph', where: { node: 'hidden' } });
    expect(e.message).toMatch(/^node "hidden": 6\.50e\+13 parameters, more than the largest array the runtime can allocate/);
    expect(await c.call('train.active', {})).toEqual([]);
  });
});

describe('ClientPaths', () => {
  it("computes the same grant as Electron's main process", () => {
    expect(grantToken('key', 'write', '/a/b.onnx')).toBe(writeGrant('key', '/a/b.onnx'));
  });

  it('refuses a relative or missing --allow-dir and grants nothing by default but the data folder', () => {
    expect(() => new ClientPaths({ dataDir, allowDirs: ['rel'] })).toThrow(/absolute/);
    expect(() => new ClientPaths({ dataDir, allowDirs: [path.join(root, 'none')] })).toThrow(/not an existing folder/);
    const p = new ClientPaths({ dataDir });
    expect(p.folders).toEqual([dataDir]);
    expect(() => p.readable(path.join(os.homedir(), 'x.csv'), { field: 'f', kind: 'file', pattern: /\.csv$/, expected: 'a csv' })).toThrow(
      /outside the folders/,
    );
    // Inside the data folder missing folders are created.
    expect(p.writable(path.join(dataDir, 'exports', 'deep', 'a.onnx'), { field: 'path', extension: '.onnx' })).toBe(
      path.join(dataDir, 'exports', 'deep', 'a.onnx'),
    );
    expect(fs.statSync(path.join(dataDir, 'exports', 'deep')).isDirectory()).toBe(true);
  });
});
