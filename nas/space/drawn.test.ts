import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../engine/graph/infer.js';
import { parseDocument, parseJson } from '../../engine/graph/load.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { Rng } from '../../engine/util/rng.js';
import { allSamples } from './drawn-check.js';
import { imageChain, spaceText, type N } from './drawn-fixtures.js';
import { drawnSpace, hasSearchableParts, type DrawnSpace } from './drawn.js';
import { nb201 } from './nb201.js';

const root = path.join(import.meta.dirname, '../..');
const conv = (id: string, params: Record<string, unknown> = {}, extra: Partial<N> = {}): N => ({
  id,
  kind: 'Conv2D',
  params: { filters: 4, padding: 'same', ...params },
  ...extra,
});

function expectAllValid(space: DrawnSpace): number {
  let n = 0;
  for (const s of allSamples(space)) {
    inferShapes(validateDocument(space.materialize(s)));
    n++;
  }
  return n;
}

describe('drawn spaces: params', () => {
  it('turns choice and range params into decisions named node.param', () => {
    const space = drawnSpace(
      imageChain([
        conv('c1', { filters: { choice: [16, 32, 64] }, kernelSize: { range: [1, 5, 2] } }),
        { id: 'drop', kind: 'Dropout', params: { rate: { range: [0.1, 0.3, 0.1] } } },
      ]),
    );
    expect(space.decisions.map((d) => [d.name, d.options])).toEqual([
      ['c1.filters', [16, 32, 64]],
      ['c1.kernelSize', [1, 3, 5]],
      ['drop.rate', [0.1, 0.2, 0.3]],
    ]);
    expect(space.size()).toBe(27);
    expect(expectAllValid(space)).toBe(27);
  });

  it('log ranges multiply by the step up to max', () => {
    const space = drawnSpace(imageChain([{ id: 'drop', kind: 'Dropout', params: { rate: { range: [0.001, 0.5, 10], log: true } } }]));
    expect(space.decisions[0].options).toEqual([0.001, 0.01, 0.1]);
  });

  it('a concrete graph is a space of size 1 that materializes to itself', () => {
    const text = readFileSync(path.join(root, 'examples/mlp-digits.loom.json'), 'utf8');
    const doc = parseDocument(parseJson(text));
    expect(hasSearchableParts(doc)).toBe(false);
    const space = drawnSpace(text);
    expect(space.size()).toBe(1);
    expect(space.decisions).toEqual([]);
    expect(space.key(space.sample(new Rng(1)))).toBe('');
    expect(space.materialize(space.fromKey(''))).toEqual(doc);
    expect(() => space.mutate({}, new Rng(1))).toThrow(/no decision/);
  });

  it('mutate changes exactly one decision and keys round-trip', () => {
    const space = drawnSpace(imageChain([conv('c1', { filters: { choice: [8, 16] }, kernelSize: { choice: [1, 3, 5] } })]));
    const rng = new Rng(3);
    for (let i = 0; i < 50; i++) {
      const s = space.sample(rng);
      const { sample, changed } = space.mutate(s, rng);
      const diff = Object.keys(s).filter((k) => s[k] !== sample[k]);
      expect(diff).toEqual([changed]);
      expect(space.fromKey(space.key(sample))).toEqual(sample);
    }
  });
});

describe('drawn spaces: optional edges', () => {
  const text = imageChain([conv('c1'), conv('c2'), { id: 'sum', kind: 'Add' }], [['c1', 'sum', { optional: true }]]);

  it('gives one on/off decision per optional edge', () => {
    const space = drawnSpace(text);
    expect(space.decisions).toEqual([{ name: 'edge:c1->sum', options: [true, false] }]);
    expect(expectAllValid(space)).toBe(2);
  });

  it('off removes the edge and bypasses the merge left with one input', () => {
    const space = drawnSpace(text);
    const on = space.materialize({ 'edge:c1->sum': true });
    expect(on.nodes.map((n) => n.id)).toContain('sum');
    expect(on.edges.some((e) => 'optional' in e)).toBe(false);
    const off = space.materialize({ 'edge:c1->sum': false });
    expect(off.nodes.map((n) => n.id)).not.toContain('sum');
    expect(off.edges.filter((e) => e.source === 'c2').map((e) => e.target)).toEqual(['flat']);
  });

  it('a merge that keeps two inputs stays', () => {
    const space = drawnSpace(
      imageChain(
        [conv('c1'), conv('c2'), { id: 'cat', kind: 'Concatenate' }],
        [
          ['c1', 'cat', { optional: true }],
          ['in', 'cat'],
        ],
      ),
    );
    const off = space.materialize({ 'edge:c1->cat': false });
    expect(off.edges.filter((e) => e.target === 'cat').map((e) => e.source)).toEqual(['c2', 'in']);
    expect(expectAllValid(space)).toBe(2);
  });
});

describe('drawn spaces: Repeat', () => {
  const text = spaceText(
    [
      { id: 'in', kind: 'Input', params: { shape: [8, 8, 1] } },
      { id: 'rep', kind: 'Repeat', params: { min: 1, max: 3 } },
      conv('a', { filters: { choice: [4, 8] } }, { group: 'rep' }),
      { id: 'b', kind: 'Activation', group: 'rep' },
      { id: 'flat', kind: 'Flatten' },
      { id: 'out', kind: 'Output', params: { loss: 'meanSquaredError' } },
    ],
    [
      ['in', 'rep'],
      ['a', 'b'],
      ['rep', 'flat'],
      ['flat', 'out'],
    ],
  );

  it('repeats the chain k times with _r suffixes and a shared param decision', () => {
    const space = drawnSpace(text);
    expect(space.decisions.map((d) => d.name)).toEqual(['a.filters', 'rep']);
    expect(space.size()).toBe(6);
    const doc = space.materialize({ 'a.filters': 8, rep: 3 });
    expect(doc.nodes.map((n) => n.id)).toEqual(['in', 'a_r1', 'b_r1', 'a_r2', 'b_r2', 'a_r3', 'b_r3', 'flat', 'out']);
    expect(doc.nodes.filter((n) => n.kind === 'Conv2D').map((n) => n.params.filters)).toEqual([8, 8, 8]);
    const graph = validateDocument(doc);
    expect(graph.order).toEqual(['in', 'a_r1', 'b_r1', 'a_r2', 'b_r2', 'a_r3', 'b_r3', 'flat', 'out']);
    expect(doc.nodes.every((n) => n.group === undefined)).toBe(true);
    expect(expectAllValid(space)).toBe(6);
  });
});

describe('drawn spaces: Choice', () => {
  const text = imageChain([
    { id: 'pick', kind: 'Choice' },
    conv('p0', {}, { group: 'pick', alternative: 0 }),
    { id: 'p1a', kind: 'MaxPool2D', group: 'pick', alternative: 1 },
    conv('p1b', { kernelSize: 1 }, { group: 'pick', alternative: 1 }),
  ]);

  it('keeps one alternative and drops the others', () => {
    // imageChain wires the spine in order; re-draw the edges so only in-alternative edges stay.
    const doc = JSON.parse(text) as { edges: { source: string; target: string }[] };
    doc.edges = [
      { source: 'in', target: 'pick' },
      { source: 'p1a', target: 'p1b' },
      { source: 'pick', target: 'flat' },
      { source: 'flat', target: 'dense' },
      { source: 'dense', target: 'out' },
    ];
    const space = drawnSpace(JSON.stringify(doc));
    expect(space.decisions).toEqual([{ name: 'pick', options: [0, 1] }]);
    expect(space.optionLabel('pick', 1)).toBe('1 (MaxPool2D)');
    expect(space.materialize({ pick: 0 }).nodes.map((n) => n.id)).toEqual(['in', 'p0', 'flat', 'dense', 'out']);
    const one = space.materialize({ pick: 1 });
    expect(one.nodes.map((n) => n.id)).toEqual(['in', 'p1a', 'p1b', 'flat', 'dense', 'out']);
    expect(one.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['in>p1a', 'p1a>p1b', 'p1b>flat', 'flat>dense', 'dense>out']);
    expect(expectAllValid(space)).toBe(2);
  });
});

describe('drawn spaces: Cell', () => {
  const text = (channels?: number): string => imageChain([conv('stem', { filters: 4 }), { id: 'cell', kind: 'Cell', params: channels ? { channels } : {} }]);
  const withCell = (cell: string) => Object.fromEntries(Object.entries(nb201.fromKey(cell)).map(([edge, op]) => [`cell.${edge}`, op]));

  it('has the six NB201 edge decisions and writes the cell string', () => {
    const space = drawnSpace(text(4));
    expect(space.decisions.map((d) => d.name)).toEqual(['cell.0->1', 'cell.0->2', 'cell.1->2', 'cell.0->3', 'cell.1->3', 'cell.2->3']);
    expect(space.size()).toBe(15_625);
    const cell = '|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|skip_connect~2|';
    const s = withCell(cell);
    expect(space.cellString(s, 'cell')).toBe(cell);
    const doc = space.materialize(s);
    const kinds = Object.fromEntries(doc.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toMatchObject({
      cell_01_relu: 'Activation',
      cell_01_conv: 'Conv2D',
      cell_01_bn: 'BatchNorm',
      cell_12_conv: 'Conv2D',
      cell_n2: 'Add',
      cell_03_pool: 'AvgPool2D',
      cell_n3: 'Add',
    });
    expect(doc.nodes.find((n) => n.id === 'cell_12_conv')!.params).toMatchObject({ filters: 4, kernelSize: 1, padding: 'same' });
    expect(doc.edges.find((e) => e.target === 'flat')!.source).toBe('cell_n3');
    inferShapes(validateDocument(doc));
  });

  it('one input needs no Add; skip-only cells are the identity; channels default to the input', () => {
    const space = drawnSpace(text());
    const a = space.materialize(withCell('|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|'));
    expect(a.nodes.map((n) => n.id)).toEqual(['in', 'stem', 'cell_03_relu', 'cell_03_conv', 'cell_03_bn', 'flat', 'dense', 'out']);
    expect(a.nodes.find((n) => n.id === 'cell_03_conv')!.params.filters).toBe(4);
    const b = space.materialize(withCell('|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|'));
    expect(b.edges.find((e) => e.target === 'flat')!.source).toBe('stem');
  });

  it('an all-none cell is an invalid candidate naming the Cell', () => {
    const space = drawnSpace(text(4));
    const s = withCell('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    expect(() => space.materialize(s)).toThrow(/node "cell" \(Cell\): cell \|none~0\|.* has no path from its input to its output/);
  });

  it('a channel mismatch with a skip fails shape inference at the Add', () => {
    const space = drawnSpace(text(8));
    const doc = space.materialize(withCell('|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|'));
    expect(() => inferShapes(validateDocument(doc))).toThrow(/node "cell_n3"/);
  });

  it('a Cell inside a Repeat is copied with shared op decisions', () => {
    const space = drawnSpace(
      spaceText(
        [
          { id: 'in', kind: 'Input', params: { shape: [8, 8, 2] } },
          { id: 'rep', kind: 'Repeat', params: { min: 2, max: 2 } },
          { id: 'cell', kind: 'Cell', group: 'rep' },
          { id: 'flat', kind: 'Flatten' },
          { id: 'out', kind: 'Output', params: { loss: 'meanSquaredError' } },
        ],
        [
          ['in', 'rep'],
          ['rep', 'flat'],
          ['flat', 'out'],
        ],
      ),
    );
    expect(space.decisions.map((d) => d.name)).toEqual(['rep', 'cell.0->1', 'cell.0->2', 'cell.1->2', 'cell.0->3', 'cell.1->3', 'cell.2->3']);
    const s = { ...withCell('|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|'), rep: 2 };
    const m = space.materializeDetailed(s);
    expect(m.doc.nodes.map((n) => n.id)).toEqual([
      'in',
      'cell_r1_03_relu',
      'cell_r1_03_conv',
      'cell_r1_03_bn',
      'cell_r2_03_relu',
      'cell_r2_03_conv',
      'cell_r2_03_bn',
      'flat',
      'out',
    ]);
    expect(m.origin.get('cell_r2_03_conv')).toBe('cell');
    inferShapes(validateDocument(m.doc));
  });
});
