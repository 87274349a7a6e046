// Property: random mutations of valid documents either load (and infer shapes) or fail with a
// typed GraphError — never a TypeError, RangeError or other crash.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../engine/graph/errors.js';
import { inferShapes } from '../../engine/graph/infer.js';
import { loadGraphFromText } from '../../engine/graph/load.js';
import { layers } from '../../engine/layers/index.js';

const root = path.join(import.meta.dirname, '../..');
const validFiles = [
  ...fs.readdirSync(path.join(root, 'tests/fixtures/valid')).map((f) => path.join(root, 'tests/fixtures/valid', f)),
  ...(fs.existsSync(path.join(root, 'examples'))
    ? fs
        .readdirSync(path.join(root, 'examples'))
        .filter((f) => f.endsWith('.loom.json'))
        .map((f) => path.join(root, 'examples', f))
    : []),
];
const docs = validFiles.map((f) => fs.readFileSync(f, 'utf8'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON tree. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(root: Json, p: (string | number)[], value: Json | undefined): Json {
  if (p.length === 0) return value ?? null;
  const parent = p.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], root) as Record<string | number, Json> | Json[];
  const key = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key as string];
  } else (parent as Record<string | number, Json>)[key] = value;
  return root;
}

const interesting: Json[] = [null, 0, -1, 1.5, 1e9, '', 'in', 'out', 'x', 'Dense', [], {}, [0], [null], true, 'NaN', ...Object.keys(layers)];

const mutation = fc.record({
  doc: fc.integer({ min: 0, max: docs.length - 1 }),
  steps: fc.array(
    fc.record({
      op: fc.constantFrom('delete', 'replace', 'replace-json', 'duplicate'),
      at: fc.nat(),
      value: fc.oneof(fc.constantFrom(...interesting), fc.jsonValue() as fc.Arbitrary<Json>),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

function assertTyped(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof GraphError)) throw new Error(`untyped error: ${(e as Error)?.stack ?? String(e)}`);
  }
}

describe('mutations of valid documents', () => {
  it('there are valid documents to mutate', () => {
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) inferShapes(loadGraphFromText(d));
  });

  it('structural mutations give a graph or a GraphError', () => {
    fc.assert(
      fc.property(mutation, ({ doc, steps }) => {
        let tree = JSON.parse(docs[doc]) as Json;
        for (const s of steps) {
          const all = paths(tree);
          const p = all[s.at % all.length];
          if (s.op === 'delete' && p.length) tree = setAt(tree, p, undefined);
          else if (s.op === 'replace') tree = setAt(tree, p, structuredClone(s.value));
          else if (s.op === 'duplicate' && p.length) {
            const parent = p.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], tree);
            if (Array.isArray(parent)) parent.push(structuredClone(parent[p[p.length - 1] as number]));
          } else if (s.op === 'replace-json') tree = setAt(tree, p, structuredClone(s.value));
        }
        const text = JSON.stringify(tree);
        assertTyped(() => inferShapes(loadGraphFromText(text)));
      }),
      { numRuns: 400, seed: 20261129 },
    );
  });

  it('text mutations (truncation, inserted characters) give a GraphError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: docs.length - 1 }), fc.nat(), fc.string({ maxLength: 3 }), (d, at, ins) => {
        const text = docs[d];
        const i = at % text.length;
        assertTyped(() => inferShapes(loadGraphFromText(text.slice(0, i) + ins + text.slice(i + 1))));
        assertTyped(() => inferShapes(loadGraphFromText(text.slice(0, i))));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
