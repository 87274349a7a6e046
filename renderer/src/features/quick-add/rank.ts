/**
 * What the quick-add palette lists for a query: every kind, best match first. A kind whose
 * name or label starts with the query beats one that merely contains it, which beats one
 * whose description mentions it, so typing `conv` offers Conv2D before DepthwiseConv2D and
 * `pool` offers the pools before the layers that mention pooling. Pure.
 */
import { paletteGroups, type PaletteItem } from '../palette/palette-groups.js';

function score(item: PaletteItem, q: string): number {
  const kind = item.kind.toLowerCase();
  const label = item.label.toLowerCase();
  if (kind === q || label === q) return 0;
  if (kind.startsWith(q) || label.startsWith(q)) return 1;
  // A word of the name starting with the query: `pool` in MaxPool2D, `norm` in BatchNorm.
  if (new RegExp(`(^|[a-z0-9])${q.replace(/[^a-z0-9]/g, '')}`).test(kind) && kind.includes(q)) return 2;
  if (label.includes(q)) return 2;
  return 3;
}

/** The kinds matching every word of `query`, best first (palette order among equals). */
export function rankKinds(query: string): PaletteItem[] {
  const items = paletteGroups(query).flatMap((g) => g.items);
  const q = query.trim().toLowerCase().split(/\s+/)[0] ?? '';
  if (!q) return items;
  return items
    .map((item, order) => ({ item, order, s: score(item, q) }))
    .sort((a, b) => a.s - b.s || a.item.kind.length - b.item.kind.length || a.order - b.order)
    .map((r) => r.item);
}
