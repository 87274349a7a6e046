import { describe, expect, it } from 'vitest';
import { toyScore, toySpace } from '../space/toy.js';
import type { Sample } from '../space/types.js';
import { LocalSearch } from './local-search.js';
import { neighbours } from './neighbours.js';

const key = (s: Sample) => toySpace.key(s);

describe('local search', () => {
  it('queries the whole neighbourhood of the best initial sample, then climbs', () => {
    const ls = new LocalSearch(toySpace, 4, { initialSamples: 3 });
    const init = ls.ask(3);
    init.forEach((p) => ls.tell(p.id, toyScore(p.sample)));
    const best = [...init].sort((a, b) => toyScore(b.sample) - toyScore(a.sample))[0];
    const expected = new Set(
      neighbours(toySpace, best.sample)
        .map(key)
        .filter((k) => !init.some((p) => key(p.sample) === k)),
    );
    const scanned = ls.ask(expected.size);
    expect(new Set(scanned.map((p) => key(p.sample)))).toEqual(expected);
    for (const p of scanned) expect(p.parent).toBe(best.id);
    scanned.forEach((p) => ls.tell(p.id, toyScore(p.sample)));
    // The next centre is the best neighbour: its neighbours come next.
    const top = [...scanned].sort((a, b) => toyScore(b.sample) - toyScore(a.sample))[0];
    const [next] = ls.ask(1);
    expect(next.parent).toBe(top.id);
    expect(neighbours(toySpace, top.sample).map(key)).toContain(key(next.sample));
  });

  it('restarts from a random candidate at a local optimum', () => {
    // A needle objective: every candidate scores 0 except one, so the first neighbourhood
    // brings no improvement (unless it holds the needle) and the search must restart.
    const ls = new LocalSearch(toySpace, 9, { initialSamples: 1 });
    const [p0] = ls.ask(1);
    ls.tell(p0.id, 0);
    const scan = ls.ask(12);
    expect(scan).toHaveLength(12);
    scan.forEach((p) => ls.tell(p.id, 0));
    const [restart] = ls.ask(1);
    expect(restart.parent).toBeUndefined();
    expect(neighbours(toySpace, p0.sample).map(key)).not.toContain(key(restart.sample));
    expect((ls.state() as { run: number }).run).toBe(1);
  });

  it('never repeats a candidate and ends when the space is exhausted', () => {
    const ls = new LocalSearch(toySpace, 1);
    const seen = new Set<string>();
    for (;;) {
      const [p] = ls.ask(1);
      if (!p) break;
      expect(seen.has(key(p.sample))).toBe(false);
      seen.add(key(p.sample));
      ls.tell(p.id, seen.size % 7 === 0 ? null : toyScore(p.sample));
    }
    expect(seen.size).toBe(toySpace.size());
  });
});
