// The production sources have no import cycles (type-only imports included): a cycle means two
// modules cannot be understood, tested or moved apart. The lint rule layerloom/boundaries checks
// which folder may import which; this test checks the file graph as a whole.
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph.js';

describe('import graph', () => {
  it('has no cycles in cli/, engine/, nas/, renderer/src and electron/', () => {
    const graph = importGraph(['cli', 'engine', 'nas', 'renderer/src', 'electron']);
    expect(graph.size).toBeGreaterThan(300);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
