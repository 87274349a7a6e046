// The shipped examples train to the targets the engine promises, on wasm, end to end through
// the same job the CLI runs (graph file -> backend -> data -> compile -> train -> store).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../engine/backend/select.js';
import { compileGraph } from '../../engine/compile/compile.js';
import { loadDataset } from '../../engine/data/registry.js';
import { splitValidation } from '../../engine/data/split.js';
import { inferShapes } from '../../engine/graph/infer.js';
import { loadGraphFromText } from '../../engine/graph/load.js';
import { fitDataset } from '../../engine/jobs/fit-data.js';
import { runTrainJob } from '../../engine/jobs/train-job.js';
import { openDb } from '../../engine/store/db.js';
import { RunStore } from '../../engine/store/runs.js';
import { trainingConfigSchema } from '../../engine/train/config.js';
import { evaluateModel } from '../../engine/train/evaluate.js';
import { trainModel } from '../../engine/train/loop.js';

const root = path.join(import.meta.dirname, '../..');
const example = (name: string) => fs.readFileSync(path.join(root, 'examples', `${name}.loom.json`), 'utf8');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-examples-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('examples train to their targets on wasm', () => {
  it('mlp-digits reaches ≥ 0.90 validation accuracy and is stored as a completed run', async () => {
    const r = await runTrainJob({ text: example('mlp-digits'), dataDir, backend: 'wasm' });
    expect(r.status).toBe('completed');
    expect(r.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);
    const db = openDb(dataDir);
    const run = new RunStore(db).get(r.runId)!;
    db.close();
    expect(run).toMatchObject({ status: 'completed', epochsDone: 20, dataset: 'digits', project: 'mlp-digits', backend: 'wasm' });
  });

  // lenet-mnist (≥ 0.90 in 2 epochs on a 5,000-image subset) runs on both engines in backends.test.ts.

  it('lstm-sine cuts its validation MSE by 10×', async () => {
    const { tf } = await initBackend('wasm');
    const graph = loadGraphFromText(example('lstm-sine'));
    const config = trainingConfigSchema.parse(graph.doc.training);
    const ds = await loadDataset(config.dataset!, { seed: config.seed });
    const { train, val } = splitValidation(ds, config.validationSplit, config.seed);
    const shapes = inferShapes(graph);
    const fitted = { train: fitDataset(graph, shapes, train, { targetIsInput: false }), val: fitDataset(graph, shapes, val, { targetIsInput: false }) };
    const { model, outputs } = compileGraph(tf, graph, { seed: config.seed });
    const before = await evaluateModel(tf, model, fitted.val, { loss: outputs[0].loss, fromLogits: false });
    const result = await trainModel({ tf, model, output: outputs[0], train: fitted.train, validation: fitted.val, config });
    const after = await evaluateModel(tf, model, fitted.val, { loss: outputs[0].loss, fromLogits: false });
    model.dispose();
    expect(result.status).toBe('completed');
    expect(after.regression!.mse).toBeLessThan(before.regression!.mse / 10);
  });

  it('autoencoder-digits learns to reconstruct its input', async () => {
    const r = await runTrainJob({ text: example('autoencoder-digits'), dataDir, backend: 'wasm', overrides: { epochs: 10 } });
    expect(r.status).toBe('completed');
    // Predicting every pixel's mean gives an MSE of about 0.1 on digits scaled to [0, 1].
    expect(r.metrics.valMse).toBeLessThan(0.05);
  });

  it('resnet-block-shapes (conv, BatchNorm, residual Add) trains and its loss falls', async () => {
    const losses: number[] = [];
    const r = await runTrainJob({
      text: example('resnet-block-shapes'),
      dataDir,
      backend: 'wasm',
      overrides: { epochs: 3, dataset: 'shapes:count=1200' },
      onEvent: (e) => {
        if (e.event === 'epoch') losses.push(e.metrics.loss);
      },
    });
    expect(r.status).toBe('completed');
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0]);
  });
});
