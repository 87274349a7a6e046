import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphError } from '../../engine/graph/errors.js';
import { inferShapes } from '../../engine/graph/infer.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { allSamples, describeFailure, evaluateSample } from './drawn-check.js';
import { imageChain, spaceText, type N } from './drawn-fixtures.js';
import { drawnSpace } from './drawn.js';

const root = path.join(import.meta.dirname, '../..');

describe('extremes', () => {
  it('match brute force on a small space', () => {
    const space = drawnSpace(
      imageChain([
        { id: 'c1', kind: 'Conv2D', params: { filters: { choice: [2, 8, 4] }, kernelSize: { choice: [3, 1] }, padding: 'same' } },
        { id: 'c2', kind: 'Conv2D', params: { filters: 2, kernelSize: { choice: [1, 3] }, strides: { choice: [1, 2] }, padding: 'same' } },
      ]),
    );
    const all = [...allSamples(space)].map((s) => ({ s, r: evaluateSample(space, s) }));
    const ok = all.flatMap(({ s, r }) => (r.ok ? [{ s, ...r }] : []));
    expect(ok).toHaveLength(24);
    const ext = space.extremes();
    expect(ext.exhaustive).toBe(true);
    expect(ext.minParams.params).toBe(Math.min(...ok.map((o) => o.params)));
    expect(ext.maxParams.params).toBe(Math.max(...ok.map((o) => o.params)));
    expect(ext.minFlops.flops).toBe(Math.min(...ok.map((o) => o.flops)));
    expect(ext.maxFlops.flops).toBe(Math.max(...ok.map((o) => o.flops)));
    expect(ext.maxParams.sample).toMatchObject({ 'c1.filters': 8, 'c1.kernelSize': 3, 'c2.kernelSize': 3, 'c2.strides': 1 });
    expect(evaluateSample(space, ext.minFlops.sample)).toMatchObject({ ok: true, flops: ext.minFlops.flops });
  });

  it('sample and refine a space above the exhaustive limit', () => {
    const space = drawnSpace(
      imageChain([
        { id: 'stem', kind: 'Conv2D', params: { filters: { choice: [2, 4] }, padding: 'same' } },
        { id: 'cell', kind: 'Cell' },
      ]),
    );
    expect(space.size()).toBe(31_250);
    const ext = space.extremes(5);
    expect(ext.exhaustive).toBe(false);
    // The largest cell by params is six 3x3 convs on the wider stem.
    expect(ext.maxParams.sample).toMatchObject({ 'stem.filters': 4, 'cell.0->1': 'nor_conv_3x3', 'cell.2->3': 'nor_conv_3x3' });
    expect(ext.minParams.params).toBeLessThanOrEqual(ext.maxParams.params);
    for (const e of [ext.minParams, ext.maxParams, ext.minFlops, ext.maxFlops]) expect(evaluateSample(space, e.sample).ok).toBe(true);
  }, 60_000);
});

describe('shape check', () => {
  it('names the decision values that break a candidate', () => {
    const space = drawnSpace(
      imageChain([
        { id: 'conv2', kind: 'Conv2D', params: { filters: 2, kernelSize: { choice: [3, 7] } } },
        { id: 'pool1', kind: 'MaxPool2D', params: { poolSize: { choice: [2, 4] } } },
      ]),
    );
    const check = space.shapeCheck();
    expect(check.checked).toBe(4);
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0].sample).toEqual({ 'conv2.kernelSize': 7, 'pool1.poolSize': 4 });
    expect(check.failures[0].message).toMatch(/^conv2\.kernelSize=7, pool1\.poolSize=4: node "pool1": /);
  });

  it('blames the one edge whose op can reconnect an empty cell', () => {
    const space = drawnSpace(imageChain([{ id: 'cell', kind: 'Cell' }]));
    const s = Object.fromEntries(space.decisions.map((d) => [d.name, 'none']));
    expect(describeFailure(space, s)).toMatch(/^cell\.0->3=none: node "cell" \(Cell\): cell \|none~0\|/);
    // Above the exhaustive limit: a seeded sample plus the four extremes, failures included.
    const check = space.shapeCheck(1);
    expect(check.checked).toBeGreaterThan(1_500);
    expect(check.checked).toBeLessThanOrEqual(2_004);
    expect(check.failures.length).toBeGreaterThan(0);
    for (const f of check.failures.slice(0, 20)) expect(f.message).toMatch(/^cell\.\d->\d=none(, cell\.\d->\d=none)*: node "cell" \(Cell\)/);
  }, 60_000);
});

describe('malformed spaces', () => {
  const bad =
    (nodes: N[], edges: [string, string][] = []): (() => unknown) =>
    () =>
      drawnSpace(spaceText(nodes, edges));
  const input: N = { id: 'in', kind: 'Input', params: { shape: [4] } };
  const dense = (id: string, extra: Partial<N> = {}): N => ({ id, kind: 'Dense', params: { units: 2 }, ...extra });
  const cases: [string, () => unknown, RegExp][] = [
    ['empty choice', bad([input, dense('d1', { params: { units: { choice: [] } } })]), /node "d1": params\.units: "choice" must be a non-empty array/],
    ['range step 0', bad([input, dense('d1', { params: { units: { range: [1, 4, 0] } } })]), /node "d1": params\.units: range step must be > 0/],
    [
      'log step <= 1',
      bad([input, dense('d1', { params: { units: { range: [1, 4, 1], log: true } } })]),
      /node "d1": params\.units: log range step is a factor/,
    ],
    ['unknown key', bad([input, dense('d1', { params: { units: { choice: [1], pick: 2 } } })]), /node "d1": params\.units: unknown key "pick"/],
    ['unknown group', bad([input, dense('d1', { group: 'nope' })]), /node "d1": group "nope": no node has that id/],
    ['group on a layer', bad([input, dense('d1'), dense('d2', { group: 'd1' })]), /node "d2": group "d1" is a Dense/],
    ['empty Repeat', bad([input, { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } }]), /node "rep": Repeat block is empty/],
    ['Repeat min > max', bad([input, { id: 'rep', kind: 'Repeat', params: { min: 3, max: 2 } }]), /node "rep": params\.min 3 exceeds params\.max 2/],
    [
      'Repeat not a chain',
      bad(
        [
          input,
          { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } },
          dense('a', { group: 'rep' }),
          dense('b', { group: 'rep' }),
          dense('c', { group: 'rep' }),
        ],
        [
          ['a', 'b'],
          ['a', 'c'],
        ],
      ),
      /node "rep": Repeat block is not a chain: node "a" has more than one outgoing edge/,
    ],
    [
      'Repeat in two pieces',
      bad([input, { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } }, dense('a', { group: 'rep' }), dense('b', { group: 'rep' })]),
      /node "rep": Repeat block is not a chain: expected one entry node, found "a", "b"/,
    ],
    [
      'Choice alternative empty',
      bad([input, { id: 'ch', kind: 'Choice' }, dense('a', { group: 'ch', alternative: 0 }), dense('b', { group: 'ch', alternative: 2 })]),
      /node "ch": Choice alternative 1 is empty/,
    ],
    [
      'Choice member without alternative',
      bad([input, { id: 'ch', kind: 'Choice' }, dense('a', { group: 'ch' })]),
      /node "a": member of Choice "ch" needs "alternative"/,
    ],
    [
      'edge into a group member',
      bad([input, { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } }, dense('a', { group: 'rep' })], [['in', 'a']]),
      /edge 0 \("in" -> "a"\): node "a" belongs to group "rep"/,
    ],
    [
      'nested containers',
      bad([input, { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } }, { id: 'ch', kind: 'Choice', group: 'rep' }]),
      /node "ch": a Choice cannot sit inside group "rep"/,
    ],
    ['bad Cell param', bad([input, { id: 'cell', kind: 'Cell', params: { width: 3 } }]), /node "cell": unknown param "width" for Cell/],
  ];
  for (const [name, fn, re] of cases) {
    it(name, () => {
      expect(fn).toThrow(GraphError);
      expect(fn).toThrow(re);
    });
  }
});

describe('examples/spaces/space-digits.loom.json', () => {
  const space = drawnSpace(readFileSync(path.join(root, 'examples/spaces/space-digits.loom.json'), 'utf8'));

  it('has 72 candidates over the five drawn decisions', () => {
    expect(space.decisions.map((d) => d.name)).toEqual(['stem.kernelSize', 'block_conv.kernelSize', 'head.filters', 'edge:stem->residual', 'blocks']);
    expect(space.size()).toBe(72);
    expect(space.model.doc.training?.dataset).toBe('digits');
  });

  it('every candidate passes the shape check and materializes to a valid graph', () => {
    const check = space.shapeCheck();
    expect(check).toEqual({ checked: 72, failures: [] });
    for (const s of allSamples(space)) {
      const doc = space.materialize(s);
      inferShapes(validateDocument(doc));
      expect(doc.nodes.filter((n) => n.id.startsWith('block_conv_r'))).toHaveLength(Number(s.blocks));
      expect(doc.nodes.some((n) => n.id === 'residual')).toBe(s['edge:stem->residual'] === true);
    }
    const ext = space.extremes();
    expect(ext.minParams.sample).toMatchObject({ blocks: 1, 'head.filters': 16 });
    expect(ext.maxFlops.sample).toMatchObject({ blocks: 3, 'head.filters': 64, 'stem.kernelSize': 5 });
  });
});
