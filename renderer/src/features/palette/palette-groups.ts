/** The palette's content: every registered layer kind, grouped by category, filtered by a search. */
import { layers } from '../../../../engine/layers/index.js';
import type { LayerCategory, LayerDef } from '../../../../engine/layers/types.js';

/** Categories in palette order, with their titles. */
export const categories: { id: LayerCategory; title: string }[] = [
  { id: 'io', title: 'Input / Output' },
  { id: 'core', title: 'Core' },
  { id: 'convolution', title: 'Convolution' },
  { id: 'pooling', title: 'Pooling' },
  { id: 'normalization', title: 'Normalization' },
  { id: 'regularization', title: 'Regularization' },
  { id: 'activation', title: 'Activation' },
  { id: 'merge', title: 'Merge' },
  { id: 'recurrent', title: 'Recurrent' },
  { id: 'reshape', title: 'Reshape' },
  { id: 'embedding', title: 'Embedding' },
];

/** One palette section. */
export interface PaletteGroup {
  id: LayerCategory;
  title: string;
  items: LayerDef<unknown>[];
}

function matches(def: LayerDef<unknown>, words: string[]): boolean {
  const text = `${def.kind} ${def.label} ${def.doc} ${def.category}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The groups that have a kind matching every word of `query` (all kinds when empty). */
export function paletteGroups(query = ''): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const defs = Object.values(layers) as LayerDef<unknown>[];
  const known = new Set(categories.map((c) => c.id));
  const extra = [...new Set(defs.map((d) => d.category))].filter((c) => !known.has(c)).map((id) => ({ id, title: id }));
  return [...categories, ...extra]
    .map((c) => ({ ...c, items: defs.filter((d) => d.category === c.id && matches(d, words)) }))
    .filter((g) => g.items.length > 0);
}
