import { describe, expect, it } from 'vitest';
import { toyScore, toySpace } from '../space/toy.js';
import { RegularizedEvolution } from './evolution.js';

describe('regularized evolution', () => {
  it('uses the NAS-Bench-201 defaults P = 10, S = 3', () => {
    expect(new RegularizedEvolution(toySpace, 0).options).toEqual({ populationSize: 10, sampleSize: 3 });
    expect(() => new RegularizedEvolution(toySpace, 0, { populationSize: 0 })).toThrow(/positive integers/);
  });

  it('proposes random samples until P trials are told, then mutated children of members', () => {
    const evo = new RegularizedEvolution(toySpace, 3, { populationSize: 5, sampleSize: 2 });
    // 8 asked before anything is told: all random, even beyond P.
    const first = evo.ask(8);
    for (const p of first) expect(p.parent).toBeUndefined();
    // 4 successes and one failure: still fewer than P members, so still random.
    first.slice(0, 4).forEach((p) => evo.tell(p.id, toyScore(p.sample)));
    evo.tell(first[4].id, null);
    expect(evo.members().map((m) => m.id)).toEqual([0, 1, 2, 3]);
    expect(evo.ask(1)[0].parent).toBeUndefined();
    evo.tell(first[5].id, toyScore(first[5].sample));
    expect(evo.members()).toHaveLength(5);

    for (let t = 0; t < 50; t++) {
      const members = evo.members();
      const [child] = evo.ask(1);
      const parent = members.find((m) => m.id === child.parent);
      expect(parent).toBeDefined();
      const diff = toySpace.decisions.map((d) => d.name).filter((n) => child.sample[n] !== parent!.sample[n]);
      expect(diff).toEqual([child.changed]);
      // Every fourth child fails: it must never enter the population.
      const failed = t % 4 === 0;
      evo.tell(child.id, failed ? null : toyScore(child.sample));
      const after = evo.members().map((m) => m.id);
      if (failed) {
        expect(after).toEqual(members.map((m) => m.id));
      } else {
        // Aging: the child joins at the young end and the oldest member leaves.
        expect(after).toEqual([...members.slice(1).map((m) => m.id), child.id]);
      }
    }
  });

  it('tournament picks the best of the drawn members (S = P = 1 population of one)', () => {
    const evo = new RegularizedEvolution(toySpace, 1, { populationSize: 1, sampleSize: 1 });
    const [p] = evo.ask(1);
    evo.tell(p.id, 0.5);
    const [c] = evo.ask(1);
    expect(c.parent).toBe(p.id);
  });
});
