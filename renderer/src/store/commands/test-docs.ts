/** Small documents for the command, analysis and canvas tests. */
import fs from 'node:fs';
import { parseDocument } from '../../../../engine/graph/load.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { withEdgeIds } from './ids.js';

/** Builds a document from [id, kind, params] triples and [source, target] pairs (edge ids filled in). */
export function makeDoc(nodes: [string, string, Record<string, unknown>][], edges: [string, string][]): LoomDocument {
  return withEdgeIds(
    parseDocument({
      version: 1,
      name: 'test',
      nodes: nodes.map(([id, kind, params], i) => ({ id, kind, params, position: { x: 0, y: i * 100 } })),
      edges: edges.map(([source, target]) => ({ source, target })),
    }),
  );
}

/** Input -> Conv2D -> Flatten -> Dense -> Output on 28×28×1 images. */
export function cnnDoc(): LoomDocument {
  return makeDoc(
    [
      ['input_1', 'Input', { shape: [28, 28, 1] }],
      ['conv2d_1', 'Conv2D', { filters: 32 }],
      ['flatten_1', 'Flatten', {}],
      ['dense_1', 'Dense', { units: 10 }],
      ['output_1', 'Output', {}],
    ],
    [
      ['input_1', 'conv2d_1'],
      ['conv2d_1', 'flatten_1'],
      ['flatten_1', 'dense_1'],
      ['dense_1', 'output_1'],
    ],
  );
}

/** A document from `.loom.json` text (edge ids filled in), e.g. nas/space/drawn-fixtures.ts's spaces. */
export function docFromText(text: string): LoomDocument {
  return withEdgeIds(parseDocument(JSON.parse(text)));
}

/** examples/spaces/space-digits.loom.json: stem kernel, a Repeat block (1..3), an optional skip, head width. */
export function spaceDigits(): LoomDocument {
  return docFromText(fs.readFileSync(new URL('../../../../examples/spaces/space-digits.loom.json', import.meta.url), 'utf8'));
}
