// The training evaluator on a tiny MLP over the embedded digits, on broken graphs and on budgets.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { parseDocument } from '../../engine/graph/load.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { parseConstraints } from '../runner/objectives.js';
import { createEvaluator } from './index.js';
import { TrainEvaluator, type TrainEvaluation } from './train.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const mlp = parseDocument(JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples/mlp-digits.loom.json'), 'utf8')));

/** The example MLP with a hidden layer of `units`, trained at a higher rate so 2 epochs suffice. */
function tiny(units: number): LoomDocument {
  const doc = structuredClone(mlp);
  doc.nodes.find((n) => n.id === 'hidden')!.params.units = units;
  doc.training = { ...doc.training!, optimizer: { ...doc.training!.optimizer, learningRate: 0.01 } };
  return doc;
}

const budget = { epochs: 2, limit: 300 };

describe('TrainEvaluator', () => {
  it('trains a tiny graph on digits, reporting accuracy, graphCost, backend, wall time and latency', async () => {
    const ev = new TrainEvaluator({ ...budget, latency: true });
    const doc = tiny(32);
    const r = await ev.evaluateDocument(doc);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.signal).toBeGreaterThan(0.5);
    expect(r.signal).toBe(r.metrics.valAccuracy);
    expect(r.report).toBe(r.signal);
    expect(r.metrics.valLoss).toBeGreaterThan(0);
    const graph = validateDocument(doc);
    const cost = graphCost(graph, inferShapes(graph));
    expect(r.params).toBe(cost.params);
    expect(r.flops).toBe(cost.flops);
    expect(r.metrics).toMatchObject({ params: cost.params, flops: cost.flops, epochs: 2 });
    expect(r.history).toHaveLength(2);
    expect(['onnxruntime', 'tensorflow', 'wasm', 'cpu']).toContain(r.backend);
    expect(r.wallMs).toBeGreaterThan(0);
    expect(r.costSeconds).toBeCloseTo(r.wallMs / 1000, 6);
    expect(r.metrics.latencyMs).toBeGreaterThan(0);
    expect(Number.isFinite(r.metrics.latencyMs)).toBe(true);
  });

  it('loads the data once and reuses it across trials; evaluate(key) materializes the candidate', async () => {
    const ev = createEvaluator('train', {
      signal: 'valAccuracy',
      report: 'valAccuracy',
      train: { ...budget, epochs: 1, materialize: (key) => tiny(Number(key)) },
    });
    const a = await ev.evaluate('8');
    const b = await ev.evaluate('16');
    expect([a, b].map((r) => (r as TrainEvaluation).status)).toEqual(['ok', 'ok']);
    expect(b.params).toBeGreaterThan(a.params!);
    expect((ev as TrainEvaluator).dataLoads).toBe(1);
  });

  it('evaluateAt trains that share of the epochs (multi-fidelity search) and says so', async () => {
    const ev = new TrainEvaluator({ epochs: 4, limit: 300, materialize: (key) => tiny(Number(key)) });
    const low = await ev.evaluateAt('16', 0.25);
    expect(low.status).toBe('ok');
    expect(low.metrics).toMatchObject({ epochs: 1, fidelity: 0.25 });
    expect(low.history).toHaveLength(1);
    // Never below one epoch: the share actually trained is reported.
    expect((await ev.evaluateAt('16', 0.01)).metrics).toMatchObject({ epochs: 1, fidelity: 0.25 });
    await expect(ev.evaluateAt('16', 1.5)).rejects.toThrow(/fidelity must be in \(0, 1\], got 1.5/);
  });

  it('trains on a tf.js backend too (the loop without the ONNX step)', async () => {
    const r = await new TrainEvaluator({ ...budget, epochs: 1, backend: 'cpu', latency: { runs: 5 } }).evaluateDocument(tiny(16));
    expect(r).toMatchObject({ status: 'ok', backend: 'cpu' });
    expect(r.metrics.latencyMs).toBeGreaterThan(0);
  });

  it('returns a broken graph as a failed result naming the node, without throwing', async () => {
    const doc = tiny(16);
    // A 2-D convolution cannot take the flat [64] input.
    doc.nodes.find((n) => n.id === 'hidden')!.kind = 'Conv2D';
    doc.nodes.find((n) => n.id === 'hidden')!.params = { filters: 4, kernelSize: 3 };
    const r = await new TrainEvaluator(budget).evaluateDocument(doc);
    expect(r.status).toBe('failed');
    expect(r.node).toBe('hidden');
    expect(r.error).toMatch(/node "hidden"/);
    expect(Number.isNaN(r.signal)).toBe(true);
  });

  it('fails a graph whose output does not fit the data, naming the output node', async () => {
    const doc = tiny(16);
    doc.nodes.find((n) => n.id === 'logits')!.params.units = 3;
    const r = await new TrainEvaluator(budget).evaluateDocument(doc);
    expect(r).toMatchObject({ status: 'failed', node: 'digit' });
    expect(r.error).toMatch(/10 classes/);
  });

  it('fails a diverging run with the epoch and batch where the loss went NaN', async () => {
    const doc = tiny(16);
    doc.training = { ...doc.training!, optimizer: { ...doc.training!.optimizer, name: 'sgd', learningRate: 1e30 } };
    const r = await new TrainEvaluator(budget).evaluateDocument(doc);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^training diverged: loss is NaN at epoch 1, batch \d+$/);
  });

  it('returns an aborted trial as failed "cancelled"', async () => {
    const r = await new TrainEvaluator(budget).evaluateDocument(tiny(16), AbortSignal.abort());
    expect(r).toMatchObject({ status: 'failed', error: 'cancelled' });
  });

  it('skips a candidate that violates a static constraint without loading data or training', async () => {
    const ev = new TrainEvaluator({ ...budget, constraints: parseConstraints('params<=1000') });
    const r = await ev.evaluateDocument(tiny(32));
    expect(r.status).toBe('skipped');
    expect(r.error).toMatch(/^params \d+ violates params<=1000$/);
    expect(ev.dataLoads).toBe(0);
    expect(r.params).toBeGreaterThan(1000);
  });
});
