import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.js';
import { NB201_EDGES, NB201_OPS, nb201 } from './nb201.js';
import type { Sample } from './types.js';

/** Every sample of the space, by counting in base 5 over the 6 edges. */
function allSamples(): Sample[] {
  const out: Sample[] = [];
  for (let n = 0; n < 5 ** 6; n++) {
    out.push(nb201.fromIndices(NB201_EDGES.map((_, i) => Math.floor(n / 5 ** i) % 5)));
  }
  return out;
}

describe('nb201 space', () => {
  it('has the six edges in cell-string order, five ops each, 15,625 cells', () => {
    expect(nb201.name).toBe('nb201');
    expect(nb201.decisions.map((d) => d.name)).toEqual(['0->1', '0->2', '1->2', '0->3', '1->3', '2->3']);
    for (const d of nb201.decisions) expect(d.options).toEqual([...NB201_OPS]);
    expect(nb201.size()).toBe(15_625);
  });

  it('round-trips every cell through its key, and all keys are distinct', () => {
    const keys = new Set<string>();
    const shape = /^\|[a-z_0-9]+~0\|\+\|[a-z_0-9]+~0\|[a-z_0-9]+~1\|\+\|[a-z_0-9]+~0\|[a-z_0-9]+~1\|[a-z_0-9]+~2\|$/;
    for (const s of allSamples()) {
      const k = nb201.key(s);
      expect(k).toMatch(shape);
      expect(nb201.fromKey(k)).toEqual(s);
      keys.add(k);
    }
    expect(keys.size).toBe(15_625);
  });

  it("parses the README's example string edge by edge", () => {
    const k = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
    const s = nb201.fromKey(k);
    expect(s).toEqual({
      '0->1': 'nor_conv_3x3',
      '0->2': 'nor_conv_3x3',
      '1->2': 'avg_pool_3x3',
      '0->3': 'skip_connect',
      '1->3': 'nor_conv_3x3',
      '2->3': 'skip_connect',
    });
    expect(nb201.key(s)).toBe(k);
  });

  it.each([
    ['', /empty/],
    ['|none~0|+|none~0|none~1|', /expected 3 groups/],
    ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|', /expected 3 groups/],
    ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2', /group 2 .*start and end with '\|'/],
    ['|none~0|+|none~0|+|none~0|none~1|none~2|', /group 1 \(inputs of node 2\) at char 9: expected 2 entries/],
    ['|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|', /group 1, position 1 \(edge 1->2\) at char 17: unknown op 'conv'/],
    ['|none~0|+|none~0|none~1|+|none~0|none~2|none~1|', /group 2, position 1 \(edge 1->3\) at char 33: expected input node 1/],
    ['|none|+|none~0|none~1|+|none~0|none~1|none~2|', /group 0, position 0 \(edge 0->1\) at char 1: expected 'op~0'/],
    ['| none~0|+|none~0|none~1|+|none~0|none~1|none~2|', /unknown op ' none'/],
  ])('rejects malformed string %j naming the position', (key, message) => {
    expect(() => nb201.fromKey(key)).toThrow(message);
  });

  it('rejects samples that are not cells', () => {
    const ok = nb201.fromKey('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    expect(() => nb201.key({ ...ok, '0->1': 'conv' })).toThrow(/not an option of '0->1'/);
    const missing: Sample = { ...ok };
    delete missing['2->3'];
    expect(() => nb201.key(missing)).toThrow(/lacks decision '2->3'/);
    expect(() => nb201.key({ ...ok, '0->4': 'none' })).toThrow(/unknown decision '0->4'/);
  });

  it('mutate changes exactly the one decision it names, to a different op', () => {
    const rng = new Rng(11);
    const changedCount = new Map<string, number>();
    for (let t = 0; t < 3000; t++) {
      const s = nb201.sample(rng);
      const before = { ...s };
      const { sample, changed } = nb201.mutate(s, rng);
      expect(s).toEqual(before); // the parent is not modified
      const diff = NB201_EDGES.filter((e) => sample[e] !== s[e]);
      expect(diff).toEqual([changed]);
      changedCount.set(changed, (changedCount.get(changed) ?? 0) + 1);
    }
    // Every edge gets mutated, roughly uniformly (expected 500 each).
    expect([...changedCount.keys()].sort()).toEqual([...NB201_EDGES].sort());
    for (const c of changedCount.values()) expect(c).toBeGreaterThan(400);
  });

  it('samples reproducibly from a seed', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    for (let t = 0; t < 20; t++) expect(nb201.key(nb201.sample(a))).toBe(nb201.key(nb201.sample(b)));
  });
});
