import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile.js';
import { loadDigits } from '../data/digits.js';
import { selectSamples } from '../data/split.js';
import { loadGraphFromText } from '../graph/load.js';
import { evaluateModel } from '../train/evaluate.js';
import { buildRunReport, REPORT_MISTAKES } from './run-report.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tinyMlp = fs.readFileSync(path.join(import.meta.dirname, '../../tests/fixtures/valid/tiny-mlp.loom.json'), 'utf8');

describe('buildRunReport', () => {
  it('reports evaluation, ROC points, mistakes with pixels, and per-node statistics', async () => {
    const graph = loadGraphFromText(tinyMlp);
    const { model } = compileGraph(tf, graph, { seed: 1 });
    const digits = await loadDigits();
    // 200 samples as the graph's Input takes them: [64] features, drawn as their 8×8 image.
    const val = {
      ...selectSamples(
        digits,
        Array.from({ length: 200 }, (_, i) => i),
      ),
      inputShape: [64],
    };
    const report = await buildRunReport({
      tf,
      model,
      graph,
      validation: val,
      sampleShape: [8, 8, 1],
      evaluate: (ds) => evaluateModel(tf, model, ds, { loss: 'sparseCategoricalCrossentropy', fromLogits: false }),
    });
    expect(report.task).toBe('classification');
    expect(report.count).toBe(200);
    expect(report.classNames).toHaveLength(10);
    const c = report.classification!;
    expect(c.confusion.flat().reduce((a, b) => a + b, 0)).toBe(200);
    expect(c.perClass.map((p) => p.support)).toEqual(c.confusion.map((row) => row.reduce((a, b) => a + b, 0)));
    expect(c.roc).toHaveLength(10);
    for (const curve of c.roc) {
      expect(curve.fpr.length).toBe(curve.tpr.length);
      expect([curve.fpr[0], curve.tpr[0], curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    }
    // An untrained model gets most samples wrong; the list is capped and sorted by confidence.
    expect(report.misclassified).toHaveLength(REPORT_MISTAKES);
    const conf = report.misclassified.map((m) => m.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
    const m = report.misclassified[0];
    expect(m.trueClass).toBe(val.y[m.index]);
    expect(m.image).toMatchObject({ width: 8, height: 8, channels: 1 });
    expect(m.image!.pixels).toHaveLength(64);
    expect(m.image!.pixels[3]).toBe(Math.round(val.x[m.index * 64 + 3] * 255));
    expect(Object.keys(report.nodeStats).sort()).toEqual(['hidden', 'logits', 'x', 'y']);
    expect(report.nodeStats.hidden.weightNorm).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    model.dispose();
  });
});
