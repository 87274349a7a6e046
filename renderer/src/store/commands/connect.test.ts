import { describe, expect, it } from 'vitest';
import { canConnect, connect, reaches } from './connect.js';
import { cnnDoc, makeDoc } from './test-docs.js';

describe('canConnect', () => {
  it('refuses a connection that would close a cycle, naming it', () => {
    const doc = cnnDoc();
    expect(reaches(doc, 'input_1', 'dense_1')).toBe(true);
    const r = canConnect(
      makeDoc(
        [
          ['x', 'Input', { shape: [4] }],
          ['a', 'Add', {}],
          ['b', 'Dense', { units: 4 }],
        ],
        [
          ['x', 'a'],
          ['a', 'b'],
        ],
      ),
      { source: 'b', sourceHandle: 'out', target: 'a', targetHandle: 'in' },
    );
    expect(r).toEqual({ ok: false, reason: 'would create a cycle: "a" already feeds "b"' });
  });

  it('refuses a second edge into a single-input port but allows many into a merge port', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['y', 'Input', { shape: [4] }],
        ['d', 'Dense', { units: 4 }],
        ['add', 'Add', {}],
      ],
      [
        ['x', 'd'],
        ['x', 'add'],
      ],
    );
    const second = canConnect(doc, { source: 'y', target: 'd', targetHandle: 'in' });
    expect(second).toEqual({ ok: false, reason: '"d" takes one input and already has one (from "x"); merge with Add or Concatenate first' });
    expect(canConnect(doc, { source: 'y', target: 'add', targetHandle: 'in' })).toEqual({ ok: true });
  });

  it('refuses self-loops, duplicates, unknown ports and inputs into Input', () => {
    const doc = cnnDoc();
    expect(canConnect(doc, { source: 'dense_1', target: 'dense_1' }).ok).toBe(false);
    expect(canConnect(doc, { source: 'input_1', target: 'conv2d_1' })).toEqual({ ok: false, reason: '"input_1" already feeds "conv2d_1"' });
    expect(canConnect(doc, { source: 'dense_1', target: 'input_1' })).toEqual({ ok: false, reason: '"input_1" has no input port "in"' });
    expect(canConnect(doc, { source: 'output_1', target: 'dense_1' })).toEqual({ ok: false, reason: '"output_1" has no output port "out"' });
  });

  it('connect adds an edge with a readable id and leaves the document alone when refused', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['d', 'Dense', { units: 2 }],
      ],
      [],
    );
    const next = connect({ source: 'x', sourceHandle: 'out', target: 'd', targetHandle: 'in' }).apply(doc);
    expect(next.edges).toEqual([{ id: 'e_x_d', source: 'x', sourcePort: 'out', target: 'd', targetPort: 'in' }]);
    expect(connect({ source: 'x', target: 'd' }).apply(next)).toBe(next);
  });
});
