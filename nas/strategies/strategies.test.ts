import { describe, expect, it } from 'vitest';
import { TOY_BEST_SCORE, toyScore, toySpace } from '../space/toy.js';
import { nb201 } from '../space/nb201.js';
import { drawnSpace } from '../space/drawn.js';
import { imageChain } from '../space/drawn-fixtures.js';
import type { Sample } from '../space/types.js';
import { createStrategy, isStrategyName, STRATEGY_NAMES, type StrategyName } from './index.js';
import type { Proposal, Strategy } from './types.js';

/** Toy objective; sample keys decide a deterministic "failure" so failed trials are exercised. */
function objective(s: Sample): number | null {
  return toySpace.key(s).endsWith('d=z') ? null : toyScore(s);
}

/**
 * A fixed asynchronous schedule: ask in batches of 1-3, tell the oldest outstanding trials
 * first but leave some in flight, so states are saved with pending trials.
 */
function drive(s: Strategy, steps: number, inflight: Proposal[], log: Proposal[]): void {
  for (let t = 0; t < steps; t++) {
    const batch = s.ask((t % 3) + 1);
    log.push(...batch);
    inflight.push(...batch);
    while (inflight.length > 2) {
      const p = inflight.shift()!;
      s.tell(p.id, objective(p.sample));
    }
  }
}

/**
 * Best objective found within `budget` sequential trials, and when the toy optimum was first
 * hit; stops early when the strategy has proposed every candidate (strategies that never
 * repeat a candidate exhaust the 256-candidate toy space) or, with `stopAtOptimum`, at the hit.
 */
function search(s: Strategy, budget: number, f: (x: Sample) => number, stopAtOptimum = false): { best: number; firstHit: number } {
  let best = -Infinity;
  let firstHit = Infinity;
  for (let i = 0; i < budget; i++) {
    const [p] = s.ask(1);
    if (!p) break;
    const y = f(p.sample);
    if (y > best) best = y;
    if (y === TOY_BEST_SCORE && firstHit === Infinity) firstHit = i + 1;
    s.tell(p.id, y);
    if (stopAtOptimum && firstHit !== Infinity) break;
  }
  return { best, firstHit };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.each(STRATEGY_NAMES.map((n) => [n]))('%s strategy', (name: StrategyName) => {
  it('state() -> JSON -> restore() continues with identical proposals', () => {
    const a = createStrategy(name, toySpace, 7);
    const inflightA: Proposal[] = [];
    drive(a, 12, inflightA, []);
    const saved = JSON.stringify(a.state());

    // A fresh instance with a different seed must still continue exactly like `a`.
    const b = createStrategy(name, toySpace, 999);
    b.restore(JSON.parse(saved));
    expect(b.state()).toEqual(a.state());
    const inflightB = inflightA.map((p) => ({ ...p }));
    const logA: Proposal[] = [];
    const logB: Proposal[] = [];
    drive(a, 20, inflightA, logA);
    drive(b, 20, inflightB, logB);
    expect(logB).toEqual(logA);
    expect(logA.length).toBe(39);
    // The continuation exercises evolution's mutation path, not just its random start.
    if (name === 'evolution') expect(logA.filter((p) => p.parent !== undefined).length).toBeGreaterThan(30);
    expect(JSON.stringify(b.state())).toBe(JSON.stringify(a.state()));
  });

  it('gives increasing unique ids and rejects bad tells and foreign states', () => {
    const s = createStrategy(name, toySpace, 1);
    const ps = s.ask(4);
    expect(ps.map((p) => p.id)).toEqual([0, 1, 2, 3]);
    expect(s.ask(0)).toEqual([]);
    expect(() => s.tell(99, 1)).toThrow(/no pending proposal/);
    expect(() => s.tell(0, Number.NaN)).toThrow(/finite number or null/);
    s.tell(0, 1);
    expect(() => s.tell(0, 1)).toThrow(/no pending proposal/);
    const other = STRATEGY_NAMES.find((n) => n !== name)!;
    expect(() => s.restore(createStrategy(other, toySpace, 1).state())).toThrow(/state is for strategy/);
    expect(() => s.restore(createStrategy(name, nb201, 1).state())).toThrow(/state is for space 'nb201'/);
    expect(() => s.restore({ ...(s.state() as object), rng: 'x' })).toThrow(/bad state at 'rng'/);
  });

  it('finds the toy optimum within its budget on each of 20 seeds', () => {
    // Budgets sized from the worst of 20 seeds (random: ~700 draws for 1 of 256 candidates;
    // ASHA spends a third of its queries re-evaluating promotions, and the toy objective has
    // no cheap fidelity, so on this test it is random search without repeats).
    const budget = name === 'random' || name === 'asha' ? 1500 : name === 'local' || name === 'bayesopt' ? 120 : 300;
    for (let seed = 0; seed < 20; seed++) {
      const { best } = search(createStrategy(name, toySpace, seed), budget, toyScore, true);
      expect(best).toBe(TOY_BEST_SCORE);
    }
  });
});

describe('strategies against random search', () => {
  it('on the toy space, evolution, REINFORCE, local search and Bayesian optimisation beat random over 20 seeds', () => {
    const stats = Object.fromEntries(
      STRATEGY_NAMES.filter((n) => n !== 'asha').map((name) => {
        const runs = Array.from({ length: 20 }, (_, seed) => search(createStrategy(name, toySpace, seed), 400, toyScore, true));
        // Best found after 100 trials (a second short search per seed) and queries to the optimum.
        const best100 = Array.from({ length: 20 }, (_, seed) => search(createStrategy(name, toySpace, seed), 100, toyScore).best);
        return [name, { best100: mean(best100), firstHit: mean(runs.map((r) => Math.min(r.firstHit, 401))) }];
      }),
    );
    for (const name of ['evolution', 'reinforce', 'local', 'bayesopt'] as const) {
      expect(stats[name].best100).toBeGreaterThan(stats.random.best100);
      expect(stats[name].firstHit).toBeLessThan(stats.random.firstHit);
    }
  }, 300_000);
});

describe('on drawn spaces', () => {
  const space = drawnSpace(
    imageChain([
      { id: 'c', kind: 'Conv2D', params: { filters: { choice: [4, 8, 16] }, kernelSize: { choice: [1, 3] }, padding: 'same' } },
      { id: 'd', kind: 'Dropout', params: { rate: { choice: [0, 0.25, 0.5] } } },
    ]),
  );
  const concrete = drawnSpace(imageChain([]));

  it.each(STRATEGY_NAMES.map((n) => [n]))('%s proposes valid candidates, and a concrete graph once if it never repeats', (name: StrategyName) => {
    // Evolution needs a decision to mutate: on a concrete graph it stops with an error naming the space.
    for (const sp of name === 'evolution' ? [space] : [space, concrete]) {
      const s = createStrategy(name, sp, 1);
      const keys: string[] = [];
      for (let i = 0; i < 30; i++) {
        const [p] = s.ask(1);
        if (!p) break;
        keys.push(sp.key(p.sample));
        s.tell(p.id, keys.length % 5);
      }
      const repeats = ['random', 'evolution', 'reinforce'].includes(name);
      if (name === 'asha')
        expect(new Set(keys).size).toBe(sp.size()); // promotions re-evaluate
      else expect(keys.length).toBe(repeats ? 30 : sp.size());
    }
  });
});

describe('registry', () => {
  it('knows its names and rejects others', () => {
    expect(STRATEGY_NAMES).toEqual(['random', 'evolution', 'reinforce', 'local', 'bayesopt', 'asha']);
    expect(isStrategyName('evolution')).toBe(true);
    expect(isStrategyName('bohb')).toBe(false);
    expect(() => createStrategy('bohb' as StrategyName, toySpace, 0)).toThrow(/unknown strategy 'bohb'/);
    expect(createStrategy('reinforce', toySpace, 0).probabilities().a).toHaveLength(4);
  });
});
