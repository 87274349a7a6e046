/** `layerloom layers`: the registered layer kinds by category. */
import { layers } from '../../engine/layers/index.js';
import type { CliValues } from '../options.js';

/** Prints every layer kind (JSON with --json). */
export function layersCommand(values: CliValues): number {
  const list = Object.values(layers).map((d) => ({ kind: d.kind, category: d.category, doc: d.doc }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return 0;
  }
  const byCat = new Map<string, typeof list>();
  for (const l of list) byCat.set(l.category, [...(byCat.get(l.category) ?? []), l]);
  for (const [cat, ls] of byCat) {
    process.stdout.write(`${cat}\n`);
    for (const l of ls) process.stdout.write(`  ${l.kind.padEnd(18)} ${l.doc}\n`);
  }
  return 0;
}
