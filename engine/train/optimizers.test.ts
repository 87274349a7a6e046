import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { optimizerSchema } from './config.js';
import { createOptimizer } from './optimizers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const opt = (o: object) => createOptimizer(tf, optimizerSchema.parse(o));

/** One step on f(w) = Σ w (gradient 1 everywhere); returns the change of w[0]. */
function stepSize(o: ReturnType<typeof opt>, w: tf.Variable): number {
  const before = w.dataSync()[0];
  const g = { [w.name]: tf.onesLike(w) };
  o.apply(g, [w]);
  tf.dispose(Object.values(g));
  return before - w.dataSync()[0];
}

describe('optimizers', () => {
  for (const name of ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const) {
    it(`${name}: a changed learning rate changes the step size`, () => {
      // RMSprop's momentum buffer holds lr-scaled steps, so compare it without momentum.
      const extra = name === 'rmsprop' ? { momentum: 0 } : {};
      const a = opt({ name, learningRate: 0.1, weightDecay: 0, ...extra });
      const b = opt({ name, learningRate: 0.1, weightDecay: 0, ...extra });
      const wa = tf.variable(tf.zeros([2, 2]));
      const wb = tf.variable(tf.zeros([2, 2]));
      b.setLearningRate(0.01);
      const sa = stepSize(a, wa);
      const sb = stepSize(b, wb);
      expect(sa).toBeGreaterThan(0);
      expect(sb / sa).toBeCloseTo(0.1, 4);
      // And changing it mid-run affects the next step.
      a.setLearningRate(0.02);
      b.setLearningRate(0.02);
      expect(stepSize(a, wa) / stepSize(b, wb)).toBeCloseTo(1, 4);
      a.dispose();
      b.dispose();
      tf.dispose([wa, wb]);
    });
  }

  it('sgd step is exactly lr × gradient', () => {
    const o = opt({ name: 'sgd', learningRate: 0.25 });
    const w = tf.variable(tf.zeros([3]));
    expect(stepSize(o, w)).toBeCloseTo(0.25, 6);
    o.dispose();
    w.dispose();
  });

  it('adamw decays kernels (rank ≥ 2) but not biases', () => {
    const o = opt({ name: 'adamw', learningRate: 0.1, weightDecay: 0.5 });
    const kernel = tf.variable(tf.ones([2, 2]));
    const bias = tf.variable(tf.ones([2]));
    const zeroGrads = { [kernel.name]: tf.zerosLike(kernel), [bias.name]: tf.zerosLike(bias) };
    o.apply(zeroGrads, [kernel, bias]);
    // Zero gradient → Adam moves nothing; only decay: 1 − 0.1 · 0.5 = 0.95.
    expect(kernel.dataSync()[0]).toBeCloseTo(0.95, 6);
    expect(bias.dataSync()[0]).toBeCloseTo(1, 6);
    tf.dispose([...Object.values(zeroGrads), kernel, bias]);
    o.dispose();
  });

  it('state round-trips: a restored optimizer continues identically', async () => {
    for (const name of ['momentum', 'rmsprop', 'adam'] as const) {
      const a = opt({ name, learningRate: 0.05 });
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const grad = () => ({ [w.name]: tf.mul(w, 2) }); // f = Σ w²
      for (let i = 0; i < 3; i++) {
        const g = grad();
        a.apply(g, [w]);
        tf.dispose(Object.values(g));
      }
      const state = await a.getState();
      const w2 = tf.variable(w.clone());
      const b = opt({ name, learningRate: 0.05 });
      await b.setState(state);
      for (let i = 0; i < 2; i++) {
        const g1 = grad();
        a.apply(g1, [w]);
        const g2 = { [w2.name]: tf.mul(w2, 2) };
        b.apply(g2, [w2]);
        tf.dispose([...Object.values(g1), ...Object.values(g2)]);
      }
      const d = tf.max(tf.abs(tf.sub(w, w2))).dataSync()[0];
      expect(d, name).toBeLessThan(1e-6);
      a.dispose();
      b.dispose();
      tf.dispose([w, w2]);
    }
  });
});
