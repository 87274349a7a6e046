import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.js';
import { nb201 } from '../space/nb201.js';
import { toyScore, toySpace } from '../space/toy.js';
import { BayesOpt, normalScores } from './bayesopt.js';
import { expectedImprovement, fitGp, normalCdf } from './gp.js';
import { neighbours, optionIndices } from './neighbours.js';

describe('GP and acquisition pieces', () => {
  it('normal CDF matches reference values', () => {
    // scipy.stats.norm.cdf at -2, -0.5, 0, 1, 2.5
    const ref: [number, number][] = [
      [-2, 0.022750131948179195],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [1, 0.8413447460685429],
      [2.5, 0.9937903346742238],
    ];
    for (const [z, p] of ref) expect(normalCdf(z)).toBeCloseTo(p, 6);
  });

  it('expected improvement equals a numerical integral of max(f - best, 0)', () => {
    for (const [m, s, best] of [
      [0, 1, 0.5],
      [1, 0.3, 0.2],
      [-1, 2, 1],
    ]) {
      let integral = 0;
      const steps = 20_000;
      for (let i = 0; i < steps; i++) {
        const z = -10 + (20 * (i + 0.5)) / steps;
        const f = m + s * z;
        integral += Math.max(f - best, 0) * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * (20 / steps);
      }
      expect(expectedImprovement(m, s, best)).toBeCloseTo(integral, 5);
    }
    expect(expectedImprovement(2, 0, 1)).toBe(1);
  });

  it('normal scores keep the order and share ties', () => {
    const z = normalScores([10, 90, 50, 50]);
    expect(z[0]).toBeLessThan(z[2]);
    expect(z[2]).toBe(z[3]);
    expect(z[1]).toBeGreaterThan(z[2]);
    expect(z[0]).toBeCloseTo(-z[1], 9);
  });

  it('the GP interpolates an additive function and is unsure far from its data', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 60 }, () => optionIndices(toySpace, toySpace.sample(rng)));
    const f = (x: number[]) => toyScore(toySpace.fromIndices(x));
    const gp = fitGp(xs, xs.map(f));
    for (const x of xs.slice(0, 10)) expect(gp.predict(x).mean).toBeCloseTo(f(x), 1);
    // Held-out candidates: predictions correlate strongly with the truth.
    const test = Array.from({ length: 100 }, () => optionIndices(toySpace, toySpace.sample(rng)));
    const p = test.map((x) => gp.predict(x).mean);
    const t = test.map(f);
    const mp = p.reduce((a, b) => a + b) / p.length;
    const mt = t.reduce((a, b) => a + b) / t.length;
    const cov = p.reduce((a, v, i) => a + (v - mp) * (t[i] - mt), 0);
    const corr = cov / Math.sqrt(p.reduce((a, v) => a + (v - mp) ** 2, 0) * t.reduce((a, v) => a + (v - mt) ** 2, 0));
    expect(corr).toBeGreaterThan(0.9);
    expect(gp.predict(xs[0]).std).toBeLessThan(gp.predict([9, 9, 9, 9]).std);
  });
});

describe('BayesOpt', () => {
  it('never proposes a candidate twice, in flight or told', () => {
    const bo = new BayesOpt(toySpace, 5, { initialSamples: 4 });
    const keys = new Set<string>();
    for (let t = 0; t < 40; t++) {
      const batch = bo.ask(3);
      for (const p of batch) {
        const k = toySpace.key(p.sample);
        expect(keys.has(k)).toBe(false);
        keys.add(k);
      }
      // Tell only the first of each batch: the others stay in flight (kriging believer).
      bo.tell(batch[0].id, toyScore(batch[0].sample));
    }
    expect(keys.size).toBe(120);
  });

  it('after the random start, proposes mutations of the best results (the BANANAS pool)', () => {
    const bo = new BayesOpt(nb201, 2, { initialSamples: 10, randomCandidates: 0 });
    const told = new Map<number, ReturnType<typeof bo.ask>[number]>();
    for (let i = 0; i < 10; i++) {
      const [p] = bo.ask(1);
      expect(p.parent).toBeUndefined();
      told.set(p.id, p);
      bo.tell(p.id, i);
    }
    const [p] = bo.ask(1);
    const parent = told.get(p.parent!)!;
    expect(neighbours(nb201, parent.sample).map((s) => nb201.key(s))).toContain(nb201.key(p.sample));
  });

  it('rejects bad options naming them', () => {
    expect(() => new BayesOpt(toySpace, 0, { initialSamples: 0 })).toThrow(/bayesopt: bad option 'initialSamples'/);
  });
});
