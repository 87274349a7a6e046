/**
 * A toy space with a known optimum, for strategy sanity tests (the NNI practice of running
 * every strategy on a tiny space before trusting it on a real one:
 * `test/ut/nas/strategy/test_sanity.py`).
 *
 * 4 decisions x 4 options (256 candidates); the score is additive, one fixed table per
 * decision, so the optimum is the per-decision argmax and is unique. Option values mix numbers
 * and strings so strategies are exercised on both kinds of `DecisionValue`. The optimum is not
 * at a fixed option index, so a strategy biased towards the first or last option cannot pass.
 */
import { CategoricalSpace } from './categorical.js';
import type { Sample } from './types.js';

/** Per-decision score of each option (same order as the options). */
const WEIGHTS: Readonly<Record<string, readonly number[]>> = {
  a: [0.1, 0.7, 0.3, 0.0],
  b: [0.5, 0.2, 0.0, 0.9],
  c: [0.0, 0.4, 1.0, 0.6],
  d: [0.8, 0.3, 0.5, 0.1],
};

/** The toy space: decisions a, b (options 0..3) and c, d (options 'w', 'x', 'y', 'z'). */
export const toySpace: CategoricalSpace = new CategoricalSpace('toy', [
  { name: 'a', options: [0, 1, 2, 3] },
  { name: 'b', options: [0, 1, 2, 3] },
  { name: 'c', options: ['w', 'x', 'y', 'z'] },
  { name: 'd', options: ['w', 'x', 'y', 'z'] },
]);

/** Additive score of a toy sample (higher is better); throws on a sample outside the space. */
export function toyScore(s: Sample): number {
  const idx = toySpace.toIndices(s);
  return toySpace.decisions.reduce((sum, d, i) => sum + WEIGHTS[d.name][idx[i]], 0);
}

/** The unique best toy sample. */
export const TOY_OPTIMUM: Sample = toySpace.fromIndices(toySpace.decisions.map((d) => WEIGHTS[d.name].indexOf(Math.max(...WEIGHTS[d.name]))));

/** The score of {@link TOY_OPTIMUM}. */
export const TOY_BEST_SCORE: number = toyScore(TOY_OPTIMUM);
