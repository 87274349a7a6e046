import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument, messageOnNode } from './analyze.js';
import { GraphError } from './errors.js';
import { inferShapes } from './infer.js';
import { parseDocument, parseJson } from './load.js';
import type { LoomDocument } from './schema.js';
import { validateDocument } from './validate.js';

const doc = (nodes: [string, string, Record<string, unknown>][], edges: [string, string][]): LoomDocument =>
  parseDocument({
    version: 1,
    nodes: nodes.map(([id, kind, params]) => ({ id, kind, params })),
    edges: edges.map(([source, target]) => ({ source, target })),
  });

const cnn = (withFlatten: boolean) =>
  doc(
    [
      ['image', 'Input', { shape: [28, 28, 1] }],
      ['conv', 'Conv2D', { filters: 32 }],
      ...(withFlatten ? [['flat', 'Flatten', {}] as [string, string, Record<string, unknown>]] : []),
      ['fc', 'Dense', { units: 10 }],
      ['out', 'Output', {}],
    ],
    withFlatten
      ? [
          ['image', 'conv'],
          ['conv', 'flat'],
          ['flat', 'fc'],
          ['fc', 'out'],
        ]
      : [
          ['image', 'conv'],
          ['conv', 'fc'],
          ['fc', 'out'],
        ],
  );

describe('analyzeDocument', () => {
  it('gives shapes, edge shapes and costs of a valid graph, like inferShapes', () => {
    const d = cnn(true);
    const a = analyzeDocument(d);
    expect(a.ok).toBe(true);
    const strict = inferShapes(validateDocument(d));
    for (const [id, shapes] of strict) expect(a.nodes.get(id)?.shapes).toEqual(shapes);
    expect(a.edgeShapes.get(1)).toEqual([null, 26, 26, 32]);
    expect(a.nodes.get('conv')?.cost).toEqual({ params: 3 * 3 * 32 + 32, flops: 2 * 9 * 32 * 26 * 26 });
    expect(a.total.params).toBe(320 + 26 * 26 * 32 * 10 + 10);
  });

  it('marks the failing node with the engine message and blocks what follows', () => {
    const a = analyzeDocument(cnn(false));
    expect(a.ok).toBe(false);
    expect(a.nodes.get('fc')?.error).toBe('node "fc": Dense expects rank 2 or 3, got [null,26,26,32]: add Flatten before it');
    expect(messageOnNode('fc', a.nodes.get('fc')!.error!)).toBe('Dense expects rank 2 or 3, got [null,26,26,32]: add Flatten before it');
    expect(a.nodes.get('out')).toEqual({ blocked: true });
    expect(a.nodes.get('conv')?.shapes).toEqual([[null, 26, 26, 32]]);
    expect(a.edgeShapes.get(1)).toEqual([null, 26, 26, 32]);
  });

  it('reports every problem at once: bad params, missing input, occupied port, no Output', () => {
    const a = analyzeDocument(
      doc(
        [
          ['x', 'Input', { shape: [4] }],
          ['y', 'Input', { shape: [4] }],
          ['bad', 'Dense', { units: 0 }],
          ['lonely', 'Dense', { units: 3 }],
          ['both', 'Dense', { units: 3 }],
          ['after', 'Dense', { units: 2 }],
        ],
        [
          ['x', 'bad'],
          ['x', 'both'],
          ['y', 'both'],
          ['bad', 'after'],
        ],
      ),
    );
    expect(a.problems).toEqual(['the graph has no Output node; add one after the last layer to declare the loss']);
    expect(a.nodes.get('bad')?.error).toMatch(/^node "bad": params.units: Too small/);
    expect(a.nodes.get('lonely')?.error).toBe('node "lonely" (Dense) port "in": needs an input, has 0');
    expect(a.nodes.get('both')?.error).toMatch(/^node "both" port "in": 2 edges arrive \(from "x" and "y"\)/);
    expect(a.nodes.get('after')?.blocked).toBe(true);
    expect(a.nodes.get('x')?.shapes).toEqual([[null, 4]]);
  });

  it('names the cycle on the nodes in it and keeps unknown kinds local', () => {
    const a = analyzeDocument(
      doc(
        [
          ['x', 'Input', { shape: [4] }],
          ['a', 'Add', {}],
          ['b', 'Dense', { units: 4 }],
          ['odd', 'Dence', { units: 4 }],
          ['out', 'Output', {}],
        ],
        [
          ['x', 'a'],
          ['b', 'a'],
          ['a', 'b'],
          ['b', 'out'],
          ['x', 'odd'],
        ],
      ),
    );
    expect(a.nodes.get('a')?.error).toMatch(/^cycle: .*"a".*"b"/);
    expect(a.nodes.get('odd')?.error).toBe('node "odd": unknown kind "Dence"; did you mean "Dense"?');
    expect(a.edgeErrors.size).toBe(0);
  });

  it('reports the same message as the strict path for every graph-level fixture of the invalid corpus', () => {
    const dir = path.join(import.meta.dirname, '../../tests/fixtures/invalid');
    let compared = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.loom.json'))) {
      let d: LoomDocument;
      try {
        d = parseDocument(parseJson(fs.readFileSync(path.join(dir, file), 'utf8')));
      } catch {
        continue; // a file-level error: the designer never holds such a document
      }
      let strict: GraphError | undefined;
      try {
        inferShapes(validateDocument(d));
      } catch (e) {
        strict = e as GraphError;
      }
      const a = analyzeDocument(d);
      const all = [...a.problems, ...a.edgeErrors.values(), ...[...a.nodes.values()].map((r) => r.error).filter(Boolean)];
      expect(all, file).toContain(strict!.message);
      expect(a.ok).toBe(false);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});
