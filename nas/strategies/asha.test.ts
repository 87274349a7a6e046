import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.js';
import { TOY_BEST_SCORE, toyScore, toySpace } from '../space/toy.js';
import type { Sample } from '../space/types.js';
import { Asha } from './asha.js';
import { RandomSearch } from './random.js';
import type { Strategy } from './types.js';

describe('ASHA', () => {
  it('starts candidates at rung 0 and promotes the top 1/η of a rung, highest rung first', () => {
    const asha = new Asha(toySpace, 0, { eta: 3 });
    expect(asha.options.rungs).toEqual([1 / 9, 1 / 3, 1]);
    const first = asha.ask(3);
    expect(first.map((p) => p.fidelity)).toEqual([1 / 9, 1 / 9, 1 / 9]);
    // Nothing told: the fourth is a fresh start too, never a promotion of an untold trial.
    const fourth = asha.ask(1)[0];
    expect(fourth.fidelity).toBe(1 / 9);
    [0.2, 0.9, 0.5].forEach((y, i) => asha.tell(first[i].id, y));
    // Rung 0 holds 3 told results: ⌊3/3⌋ = 1 promotable, the best (0.9).
    const up = asha.ask(1)[0];
    expect(up).toMatchObject({ fidelity: 1 / 3, parent: first[1].id, sample: first[1].sample });
    // Only one of three may be promoted: the next is fresh.
    expect(asha.ask(1)[0].fidelity).toBe(1 / 9);
    asha.tell(up.id, 0.95);
    asha.tell(fourth.id, null); // a failed trial is never promoted
    expect(asha.rungResults()[0].members.map((m) => m.objective)).toEqual([0.2, 0.9, 0.5, null]);
  });

  it('promotes to full fidelity once a middle rung has η results', () => {
    const asha = new Asha(toySpace, 1, { eta: 2, rungs: [0.25, 1] });
    const ps = asha.ask(4);
    ps.forEach((p, i) => asha.tell(p.id, i));
    const a = asha.ask(1)[0];
    const b = asha.ask(1)[0];
    expect([a.fidelity, b.fidelity]).toEqual([1, 1]);
    expect([a.parent, b.parent]).toEqual([ps[3].id, ps[2].id]);
    expect(asha.ask(1)[0].fidelity).toBe(0.25);
    expect(asha.fidelityOf(a.id)).toBe(1);
  });

  it('rejects bad options naming them', () => {
    expect(() => new Asha(toySpace, 0, { eta: 1 })).toThrow(/asha: bad option 'eta'/);
    expect(() => new Asha(toySpace, 0, { rungs: [0.5, 0.2, 1] })).toThrow(/rungs must be ascending and end in 1/);
    expect(() => new Asha(toySpace, 0, { rungs: [0.1, 0.5] })).toThrow(/end in 1/);
  });

  /**
   * A toy with cheap, noisy low fidelities: at fidelity f the score is the toy score plus
   * seeded noise of size (1 - f) · 2 (about the spread of the scores), and a query costs f.
   * At the same total cost, ASHA screens many candidates cheaply and spends full queries on
   * the promising ones, so its best full-fidelity result beats random search's.
   */
  it('beats random search at equal cost on a toy with cheap noisy fidelities (20 seeds)', () => {
    const noisy = (s: Sample, f: number, rng: Rng) => toyScore(s) + (1 - f) * 2 * (rng.next() - 0.5);
    const run = (s: Strategy, seed: number, budget: number) => {
      const rng = new Rng(1000 + seed);
      let spent = 0;
      let best = -Infinity;
      for (;;) {
        const [p] = s.ask(1);
        if (!p) break;
        const f = p.fidelity ?? 1;
        if (spent + f > budget) break;
        spent += f;
        const y = noisy(p.sample, f, rng);
        if (f === 1) best = Math.max(best, y);
        s.tell(p.id, y);
      }
      return best;
    };
    let asha = 0;
    let random = 0;
    const hits = { asha: 0, random: 0 };
    for (let seed = 0; seed < 20; seed++) {
      const a = run(new Asha(toySpace, seed), seed, 30);
      const r = run(new RandomSearch(toySpace, seed), seed, 30);
      asha += a;
      random += r;
      if (a === TOY_BEST_SCORE) hits.asha++;
      if (r === TOY_BEST_SCORE) hits.random++;
    }
    expect(asha / 20).toBeGreaterThan(random / 20);
    expect(hits.asha).toBeGreaterThan(hits.random);
  });
});
