import { describe, expect, it } from 'vitest';
import { layers } from '../../../../engine/layers/index.js';
import { paletteGroups } from './palette-groups.js';
import { starterParams } from './starter-params.js';

describe('palette', () => {
  it('lists every registered kind exactly once, grouped by category', () => {
    const kinds = paletteGroups().flatMap((g) => g.items.map((d) => d.kind));
    expect(kinds.sort()).toEqual(Object.keys(layers).sort());
    expect(paletteGroups()[0].items.map((d) => d.kind)).toEqual(['Input', 'Output']);
  });

  it('filters by kind, label, doc or category', () => {
    expect(paletteGroups('conv2d').flatMap((g) => g.items.map((d) => d.kind))).toEqual(['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']);
    expect(paletteGroups('recurrent').map((g) => g.id)).toEqual(['recurrent']);
    expect(paletteGroups('no such layer')).toEqual([]);
  });

  it('starts every kind with params its schema accepts', () => {
    for (const [kind, def] of Object.entries(layers)) expect(def.params.safeParse(starterParams(kind)).success, kind).toBe(true);
  });
});
