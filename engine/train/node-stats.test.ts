import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile.js';
import { loadGraphFromText } from '../graph/load.js';
import { Rng } from '../util/rng.js';
import { nodeStatistics } from './node-stats.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tinyMlp = fs.readFileSync(path.join(import.meta.dirname, '../../tests/fixtures/valid/tiny-mlp.loom.json'), 'utf8');

/** Mean, population std and zero fraction of plain numbers. */
function moments(v: ArrayLike<number>): [number, number, number] {
  const xs = Array.from(v);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return [mean, Math.sqrt(variance), xs.filter((x) => x === 0).length / xs.length];
}

describe('nodeStatistics', () => {
  it('gives weight norms and activation moments per node id, Output nodes aliased to their source', async () => {
    const { model } = compileGraph(tf, loadGraphFromText(tinyMlp), { seed: 3 });
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 8 * 64 }, () => rng.normal());
    const stats = await nodeStatistics(tf, model, { x, shape: [8, 64] }, { y: 'logits' });
    expect(Object.keys(stats).sort()).toEqual(['hidden', 'logits', 'x', 'y']);

    const [kernel, bias] = model
      .getLayer('hidden')
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    const norm = Math.sqrt([...kernel, ...bias].reduce((a, b) => a + b * b, 0));
    expect(stats.hidden.weightNorm).toBeCloseTo(norm, 4);
    expect(stats.x.weightNorm).toBeUndefined();

    const hidden = tf.model({ inputs: model.inputs, outputs: model.getLayer('hidden').output as tf.SymbolicTensor });
    const h = hidden.predict(tf.tensor(x, [8, 64])) as tf.Tensor;
    const [mean, std, zeros] = moments(h.dataSync());
    expect(stats.hidden.activationMean).toBeCloseTo(mean, 4);
    expect(stats.hidden.activationStd).toBeCloseTo(std, 4);
    expect(stats.hidden.zeroFraction).toBeCloseTo(zeros, 6);
    // ReLU on random inputs leaves some units dead on some samples.
    expect(zeros).toBeGreaterThan(0);
    expect(stats.x.activationMean).toBeCloseTo(moments(x)[0], 4);
    // Softmax rows sum to 1, so the output's mean is 1 / classes.
    expect(stats.y.activationMean).toBeCloseTo(1 / 10, 5);
    expect(stats.y.weightNorm).toBeUndefined();
    h.dispose();
    model.dispose();
  });

  it('leaves no tensors behind', async () => {
    const { model } = compileGraph(tf, loadGraphFromText(tinyMlp));
    const before = tf.memory().numTensors;
    await nodeStatistics(tf, model, { x: new Float32Array(4 * 64), shape: [4, 64] });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
