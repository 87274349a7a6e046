import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../../../engine/graph/analyze.js';
import { parseSpace } from '../../../../nas/space/drawn-parse.js';
import { stepSelection } from '../selection-nav.js';
import { groupInto, groupProblem } from './group.js';
import { insertAfter, ROW_PITCH } from './insert-after.js';
import { cnnDoc, makeDoc } from './test-docs.js';

const at = { x: 0, y: 0 };

describe('insertAfter', () => {
  it('wires the new node between the chosen node and what it fed, moving the rest down', () => {
    const doc = cnnDoc();
    const next = insertAfter('conv2d_1', { id: 'maxpool2d_1', kind: 'MaxPool2D', params: {} }, at).apply(doc);
    const pairs = next.edges.map((e) => `${e.source}>${e.target}`);
    expect(pairs).toContain('conv2d_1>maxpool2d_1');
    expect(pairs).toContain('maxpool2d_1>flatten_1');
    expect(pairs).not.toContain('conv2d_1>flatten_1');
    const pos = (d: typeof doc, id: string) => d.nodes.find((n) => n.id === id)!.position;
    expect(pos(next, 'maxpool2d_1')).toEqual({ x: pos(doc, 'conv2d_1').x, y: pos(doc, 'conv2d_1').y + ROW_PITCH });
    expect(pos(next, 'output_1').y).toBe(pos(doc, 'output_1').y + ROW_PITCH);
    expect(pos(next, 'input_1')).toEqual(pos(doc, 'input_1'));
    // Shapes flow through the inserted pool: 26×26 -> 13×13.
    const a = analyzeDocument(next);
    expect(a.ok).toBe(true);
    expect(a.nodes.get('maxpool2d_1')?.shapes?.[0]).toEqual([null, 13, 13, 32]);
    expect(new Set(next.edges.map((e) => e.id)).size).toBe(next.edges.length);
    expect(JSON.stringify(doc)).toBe(JSON.stringify(cnnDoc()));
  });

  it('appends an Output without taking over edges, and adds unconnected without a node to follow', () => {
    const doc = makeDoc(
      [
        ['input_1', 'Input', { shape: [4] }],
        ['dense_1', 'Dense', { units: 2 }],
      ],
      [['input_1', 'dense_1']],
    );
    const out = insertAfter('dense_1', { id: 'output_1', kind: 'Output', params: {} }, at).apply(doc);
    expect(out.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['input_1>dense_1', 'dense_1>output_1']);
    const free = insertAfter(null, { id: 'dense_2', kind: 'Dense', params: { units: 3 } }, { x: 7, y: 9 }).apply(doc);
    expect(free.edges).toEqual(doc.edges);
    expect(free.nodes.at(-1)!.position).toEqual({ x: 7, y: 9 });
  });
});

describe('groupInto', () => {
  it('puts a chain into a Repeat whose frame takes the edges across its border, giving a valid space', () => {
    const doc = cnnDoc();
    const next = groupInto(['conv2d_1'], 'Repeat', 'repeat_1').apply(doc);
    expect(next.nodes.find((n) => n.id === 'conv2d_1')!.group).toBe('repeat_1');
    expect(next.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['input_1>repeat_1', 'repeat_1>flatten_1', 'flatten_1>dense_1', 'dense_1>output_1']);
    const model = parseSpace(next);
    expect(model.decisions.map((d) => d.name)).toEqual(['repeat_1']);
  });

  it('refuses Input/Output, nested frames and an empty selection, naming the node', () => {
    const doc = cnnDoc();
    expect(groupProblem(doc, new Set(['input_1']))).toMatch(/"input_1" is an Input/);
    expect(groupProblem(doc, new Set())).toMatch(/select/);
    const grouped = groupInto(['conv2d_1'], 'Choice', 'choice_1').apply(doc);
    expect(grouped.nodes.find((n) => n.id === 'conv2d_1')!.alternative).toBe(0);
    expect(groupProblem(grouped, new Set(['conv2d_1']))).toMatch(/already sits in "choice_1"/);
    expect(groupInto(['input_1'], 'Repeat', 'r').apply(doc)).toBe(doc);
  });
});

describe('stepSelection', () => {
  const doc = makeDoc(
    [
      ['a', 'Input', { shape: [4] }],
      ['l', 'Dense', { units: 2 }],
      ['r', 'Dense', { units: 2 }],
      ['m', 'Add', {}],
    ],
    [
      ['a', 'l'],
      ['a', 'r'],
      ['l', 'm'],
      ['r', 'm'],
    ],
  );
  const where: Record<string, { x: number; y: number }> = { a: { x: 100, y: 0 }, l: { x: 0, y: 100 }, r: { x: 200, y: 100 }, m: { x: 100, y: 200 } };
  const placed = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: where[n.id] })) };
  it('walks down and up along edges and sideways among siblings', () => {
    expect(stepSelection(placed, null, 'down')).toBe('a');
    expect(stepSelection(placed, 'a', 'down')).toBe('l');
    expect(stepSelection(placed, 'l', 'right')).toBe('r');
    expect(stepSelection(placed, 'r', 'left')).toBe('l');
    expect(stepSelection(placed, 'r', 'down')).toBe('m');
    expect(stepSelection(placed, 'm', 'up')).toBe('l');
    expect(stepSelection(placed, 'm', 'down')).toBe('m');
    expect(stepSelection(placed, 'r', 'right')).toBe('r');
  });
});
