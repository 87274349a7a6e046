import { describe, expect, it } from 'vitest';
import { makeDoc } from '../../store/commands/test-docs.js';
import { autoLayout, DEFAULT_NODE_SIZE } from './auto-layout.js';

describe('autoLayout (elkjs)', () => {
  it('puts each layer below its input and side branches next to each other', async () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['a', 'Dense', { units: 4 }],
        ['b', 'Dense', { units: 4 }],
        ['add', 'Add', {}],
        ['out', 'Output', {}],
      ],
      [
        ['x', 'a'],
        ['x', 'b'],
        ['a', 'add'],
        ['b', 'add'],
        ['add', 'out'],
      ],
    );
    const pos = await autoLayout(doc, () => DEFAULT_NODE_SIZE);
    expect(Object.keys(pos).sort()).toEqual(['a', 'add', 'b', 'out', 'x']);
    expect(pos.a.y).toBeGreaterThanOrEqual(pos.x.y + DEFAULT_NODE_SIZE.height);
    expect(pos.a.y).toBe(pos.b.y);
    expect(Math.abs(pos.a.x - pos.b.x)).toBeGreaterThanOrEqual(DEFAULT_NODE_SIZE.width);
    expect(pos.out.y).toBeGreaterThan(pos.add.y);
    expect(Math.min(...Object.values(pos).map((p) => p.y))).toBe(0);
  });
});
