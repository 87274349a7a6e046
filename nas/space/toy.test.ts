import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.js';
import { TOY_BEST_SCORE, TOY_OPTIMUM, toyScore, toySpace } from './toy.js';
import type { Sample } from './types.js';

function allToy(): Sample[] {
  const out: Sample[] = [];
  for (let n = 0; n < 256; n++) out.push(toySpace.fromIndices([0, 1, 2, 3].map((i) => Math.floor(n / 4 ** i) % 4)));
  return out;
}

describe('toy space', () => {
  it('has 256 candidates and a unique optimum that brute force agrees with', () => {
    expect(toySpace.size()).toBe(256);
    const scores = allToy().map(toyScore);
    expect(Math.max(...scores)).toBe(TOY_BEST_SCORE);
    expect(scores.filter((s) => s === TOY_BEST_SCORE)).toHaveLength(1);
    expect(toyScore(TOY_OPTIMUM)).toBe(TOY_BEST_SCORE);
  });

  it('round-trips keys, keeping number options numbers', () => {
    const keys = new Set(allToy().map((s) => toySpace.key(s)));
    expect(keys.size).toBe(256);
    for (const s of allToy()) expect(toySpace.fromKey(toySpace.key(s))).toEqual(s);
    expect(toySpace.fromKey('a=1,b=3,c=y,d=w')).toEqual({ a: 1, b: 3, c: 'y', d: 'w' });
    expect(() => toySpace.fromKey('a=1,b=3,c=q,d=w')).toThrow(/part 2: 'q' is not an option of 'c'/);
    expect(() => toySpace.fromKey('a=1,b=3')).toThrow(/2 parts, expected 4/);
  });

  it('mutate changes exactly one decision', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 500; t++) {
      const s = toySpace.sample(rng);
      const { sample, changed } = toySpace.mutate(s, rng);
      expect(toySpace.decisions.map((d) => d.name).filter((n) => sample[n] !== s[n])).toEqual([changed]);
    }
  });
});
