/**
 * Strategies on the real NAS-Bench-201 CIFAR-10 table (Dong & Yang, ICLR 2020), searching on
 * the 200-epoch `valid` accuracy as a noise-free oracle. The paper's finding that regularized
 * evolution and REINFORCE beat random search at a fixed budget must hold here too.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nb201 } from '../space/nb201.js';
import { createStrategy, STRATEGY_NAMES } from './index.js';

// The repository root is two levels up from this file; the shared data sits beside it.
const TABLE = fileURLToPath(new URL('../../../shared/data/nasbench201/nb201_cifar10.json', import.meta.url));

interface Table {
  optimum: { valid: number };
  archs: Record<string, { valid: number }>;
}

const table = JSON.parse(fs.readFileSync(TABLE, 'utf8')) as Table;
const valid = new Map(Object.entries(table.archs).map(([k, v]) => [k, v.valid]));

/**
 * Budget ~150 queries (the README's 20,000 s simulated budget allows ~177). 200 seeds rather
 * than ~30: REINFORCE at NAS-Bench-201's learning rate gains only ~0.05 points over random at
 * this budget (as in the paper, where it is within one std of random), and the standard error
 * of a 30-seed mean (~0.04) would make that comparison depend on the seed list. Runs are
 * cheap table lookups (about a second for all three strategies).
 */
const BUDGET = 150;
const SEEDS = 200;

describe('NAS-Bench-201 table', () => {
  it('holds exactly the cells of the nb201 space, under their keys', () => {
    expect(valid.size).toBe(nb201.size());
    for (const k of valid.keys()) expect(nb201.key(nb201.fromKey(k))).toBe(k);
  });

  it('evolution, REINFORCE and local search beat random search on best-found valid accuracy; Bayesian optimisation beats them', () => {
    const meanBest: Record<string, number> = {};
    // ASHA needs fidelities (runner tests); Bayesian optimisation costs ~5 ms a query, so it
    // runs 10 seeds: its margin over evolution (~0.25 points) is five times that standard error.
    for (const name of STRATEGY_NAMES.filter((n) => n !== 'asha')) {
      const seeds = name === 'bayesopt' ? 10 : SEEDS;
      let total = 0;
      for (let seed = 0; seed < seeds; seed++) {
        const s = createStrategy(name, nb201, seed);
        let best = -Infinity;
        for (let q = 0; q < BUDGET; q++) {
          const [p] = s.ask(1);
          const y = valid.get(nb201.key(p.sample));
          if (y === undefined) throw new Error(`cell not in table: ${nb201.key(p.sample)}`);
          best = Math.max(best, y);
          s.tell(p.id, y);
        }
        expect(best).toBeLessThanOrEqual(table.optimum.valid);
        total += best;
      }
      meanBest[name] = total / seeds;
    }
    expect(meanBest.evolution).toBeGreaterThan(meanBest.random);
    expect(meanBest.reinforce).toBeGreaterThan(meanBest.random);
    expect(meanBest.local).toBeGreaterThan(meanBest.evolution);
    expect(meanBest.bayesopt).toBeGreaterThan(meanBest.evolution);
  }, 300_000);
});
