import { describe, expect, it } from 'vitest';
import { layers } from '../../../../engine/layers/index.js';
import { paletteGroups } from './palette-groups.js';
import { starterParams } from './starter-params.js';

describe('palette', () => {
  it('lists every registered kind exactly once, grouped by category, then the search-space containers', () => {
    const kinds = paletteGroups().flatMap((g) => g.items.map((d) => d.kind));
    expect(kinds.sort()).toEqual([...Object.keys(layers), 'Cell', 'Choice', 'Repeat'].sort());
    expect(paletteGroups()[0].items.map((d) => d.kind)).toEqual(['Input', 'Output']);
    expect(paletteGroups().at(-1)).toMatchObject({ id: 'search', title: 'Search space' });
    expect(
      paletteGroups()
        .at(-1)!
        .items.map((d) => d.kind),
    ).toEqual(['Choice', 'Repeat', 'Cell']);
    expect(paletteGroups('repeat').map((g) => g.id)).toEqual(['search']);
  });

  it('filters by kind, label, doc or category', () => {
    expect(paletteGroups('conv2d').flatMap((g) => g.items.map((d) => d.kind))).toEqual(['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']);
    expect(paletteGroups('recurrent').map((g) => g.id)).toEqual(['recurrent']);
    expect(paletteGroups('no such layer')).toEqual([]);
  });

  it('starts every kind with params its schema accepts, containers with params the space parser accepts', () => {
    for (const [kind, def] of Object.entries(layers)) expect(def.params.safeParse(starterParams(kind)).success, kind).toBe(true);
    expect([starterParams('Repeat'), starterParams('Choice'), starterParams('Cell')]).toEqual([{ min: 1, max: 3 }, {}, {}]);
  });
});
