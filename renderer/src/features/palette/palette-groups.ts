/** The palette's content: every registered layer kind by category, then the search-space containers, filtered by a search. */
import { layers } from '../../../../engine/layers/index.js';
import type { LayerCategory, LayerDef } from '../../../../engine/layers/types.js';
import { containerDefs } from '../../store/containers.js';

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

/** The palette section of the search-space containers (Choice, Repeat, Cell). */
export const SEARCH_CATEGORY = 'search';

/** One palette entry: a layer kind or a container kind. */
export interface PaletteItem {
  kind: string;
  label: string;
  doc: string;
  category: string;
}

/** One palette section. */
export interface PaletteGroup {
  id: string;
  title: string;
  items: PaletteItem[];
}

function matches(def: PaletteItem, words: string[]): boolean {
  const text = `${def.kind} ${def.label} ${def.doc} ${def.category}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The groups that have a kind matching every word of `query` (all kinds when empty); search-space containers last. */
export function paletteGroups(query = ''): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const defs: PaletteItem[] = [
    ...(Object.values(layers) as LayerDef<unknown>[]),
    ...Object.values(containerDefs).map((c) => ({ ...c, category: SEARCH_CATEGORY, doc: `${c.doc} (search space)` })),
  ];
  const known = new Set<string>([...categories.map((c) => c.id), SEARCH_CATEGORY]);
  const extra = [...new Set(defs.map((d) => d.category))].filter((c) => !known.has(c)).map((id) => ({ id, title: id }));
  return [...categories, ...extra, { id: SEARCH_CATEGORY, title: 'Search space' }]
    .map((c) => ({ ...c, items: defs.filter((d) => d.category === c.id && matches(d, words)) }))
    .filter((g) => g.items.length > 0);
}
