import { describe, expect, it } from 'vitest';
import { toySpace } from '../space/toy.js';
import { Reinforce } from './reinforce.js';

describe('REINFORCE', () => {
  it('starts from a uniform policy with the NAS-Bench-201 defaults', () => {
    const r = new Reinforce(toySpace, 0);
    expect(r.options.learningRate).toBe(0.01);
    expect(r.options.baselineMomentum).toBe(0.9);
    for (const p of Object.values(r.probabilities())) expect(p).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(r.baseline()).toBeNull();
    expect(() => new Reinforce(toySpace, 0, { learningRate: -1 })).toThrow(/learningRate/);
  });

  it('moves probability towards options with above-baseline reward', () => {
    const r = new Reinforce(toySpace, 4, { learningRate: 0.1 });
    // Reward 1 when decision a picks option 2, else 0: only a's policy has signal.
    for (let t = 0; t < 200; t++) {
      const [p] = r.ask(1);
      r.tell(p.id, p.sample.a === 2 ? 1 : 0);
    }
    const probs = r.probabilities();
    expect(probs.a[2]).toBeGreaterThan(0.9);
    for (const ps of Object.values(probs)) expect(ps.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(r.baseline()).toBeGreaterThan(0.5);
  });

  it('ignores failed trials', () => {
    const r = new Reinforce(toySpace, 4);
    const [p] = r.ask(1);
    const before = JSON.stringify(r.probabilities());
    r.tell(p.id, null);
    expect(JSON.stringify(r.probabilities())).toBe(before);
    expect(r.baseline()).toBeNull();
  });
});
