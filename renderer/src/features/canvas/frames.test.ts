import { describe, expect, it } from 'vitest';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { analysisOf } from '../../store/analysis.js';
import { addNode } from '../../store/commands/add-node.js';
import { cnnDoc, spaceDigits } from '../../store/commands/test-docs.js';
import { autoLayout, DEFAULT_NODE_SIZE } from './auto-layout.js';
import { dropCommand } from './drop.js';
import { computeFrames, dropTarget, FRAME } from './frames.js';
import { overlaps } from './readonly-layout.js';
import { flowInputs } from './flow-fixtures.js';
import { EdgeCache, NodeCache } from './to-flow.js';

const size = () => DEFAULT_NODE_SIZE;
const posOf = (doc: LoomDocument) => (id: string) => doc.nodes.find((n) => n.id === id)!.position;
const none = new Set<string>();

/** space-digits plus an empty Choice at (900, 100) and a Dense in its first lane. */
function withChoice(): LoomDocument {
  let doc = addNode({ id: 'pick', kind: 'Choice', params: {}, position: { x: 900, y: 100 } }).apply(spaceDigits());
  doc = addNode({ id: 'd0', kind: 'Dense', params: { units: 4 }, position: { x: 920, y: 200 }, group: 'pick', alternative: 0 }).apply(doc);
  return doc;
}

describe('Choice and Repeat frames', () => {
  it('frames a Repeat around its members; a Choice gets a lane per alternative and an add lane', () => {
    const doc = withChoice();
    const frames = computeFrames(doc, posOf(doc), size);
    // block_conv, block_bn, block_relu sit at x 500, y 260..480.
    expect(frames.get('blocks')).toEqual({
      id: 'blocks',
      kind: 'Repeat',
      x: 500 - FRAME.pad,
      y: 260 - FRAME.pad - FRAME.header,
      width: 200 + 2 * FRAME.pad,
      height: 480 + 80 - 260 + 2 * FRAME.pad + FRAME.header,
      lanes: [],
      empty: false,
    });
    const pick = frames.get('pick')!;
    expect(pick.lanes).toEqual([
      { alternative: 0, x: 0, width: 200 + 2 * FRAME.pad },
      { alternative: 1, x: 200 + 2 * FRAME.pad, width: FRAME.addLane },
    ]);
    // Without its member (being dragged) the Choice is an empty frame at its own position.
    expect(computeFrames(doc, posOf(doc), size, new Set(['d0'])).get('pick')).toMatchObject({ x: 900, y: 100, empty: true });
  });

  it('finds the frame and lane a drop lands in; frames do not nest', () => {
    const frames = computeFrames(withChoice(), posOf(withChoice()), size);
    expect(dropTarget(frames, { x: 600, y: 400 }, 'Dense')).toEqual({ group: 'blocks' });
    expect(dropTarget(frames, { x: 1000, y: 250 }, 'Dense')).toEqual({ group: 'pick', alternative: 0 });
    expect(dropTarget(frames, { x: 900 - FRAME.pad + 236 + 60, y: 250 }, 'Dense')).toEqual({ group: 'pick', alternative: 1 });
    expect(dropTarget(frames, { x: 600, y: 400 }, 'Repeat')).toBeNull();
    expect(dropTarget(frames, { x: 600, y: 400 }, 'Cell')).toEqual({ group: 'blocks' });
    expect(dropTarget(frames, { x: 100, y: 100 }, 'Dense')).toBeNull();
  });

  it('a drop moves a frame with its members, and puts a node into a frame or takes it out, as one step', () => {
    const doc = spaceDigits();
    const frames = computeFrames(doc, posOf(doc), size);
    const f = frames.get('blocks')!;
    const moved = dropCommand(doc, { blocks: { x: f.x + 100, y: f.y + 10 } }, frames, size).apply(doc);
    expect(moved.nodes.find((n) => n.id === 'block_conv')!.position).toEqual({ x: 600, y: 270 });
    expect(moved.nodes.find((n) => n.id === 'blocks')!.position).toEqual({ x: f.x + 100, y: f.y + 10 });

    const into = dropCommand(doc, { pool: { x: 500, y: 400 } }, frames, size);
    expect(into.label).toBe('Move pool into blocks');
    const joined = into.apply(doc);
    expect(joined.nodes.find((n) => n.id === 'pool')).toMatchObject({ group: 'blocks', position: { x: 500, y: 400 } });
    // The container keeps the frame's top-left, so an emptied frame stays where it was.
    expect(joined.nodes.find((n) => n.id === 'blocks')!.position).toEqual({ x: f.x, y: f.y });

    const without = computeFrames(doc, posOf(doc), size, new Set(['block_relu']));
    const out = dropCommand(doc, { block_relu: { x: 100, y: 900 } }, without, size).apply(doc);
    expect(out.nodes.find((n) => n.id === 'block_relu')).not.toHaveProperty('group');
    // A plain move stays a plain move.
    expect(dropCommand(cnnDoc(), { dense_1: { x: 1, y: 2 } }, new Map(), size).label).toBe('Move dense_1');
  });
});

describe('search spaces in React Flow', () => {
  it('draws frames first, members relative to them, badges, shape-check marks and Cells', () => {
    const doc = addNode({ id: 'cell', kind: 'Cell', params: {}, position: { x: 0, y: 0 } }).apply(spaceDigits());
    const nodes = new NodeCache().nodes(flowInputs(doc, { checkMarks: { nodes: { head: 'head.filters=64' }, edges: {} }, openCells: new Set(['cell']) }));
    expect(nodes[0]).toMatchObject({ id: 'blocks', type: 'container', width: 236, height: 366 });
    const conv = nodes.find((n) => n.id === 'block_conv')!;
    expect(conv).toMatchObject({ parentId: 'blocks', position: { x: FRAME.pad, y: FRAME.pad + FRAME.header } });
    const head = nodes.find((n) => n.id === 'head')!;
    expect(head.data).toMatchObject({
      badges: ['filters ∈ {16,32,64}'],
      failing: 'head.filters=64',
      example: true,
      summary: 'kernelSize 3 · padding same · relu',
    });
    expect(nodes[0].data.frame).toMatchObject({ range: '×1..3', shown: 'e.g. ×1', empty: false });
    const cell = nodes.find((n) => n.id === 'cell')!;
    expect(cell.type).toBe('cell');
    expect(cell.data.cell).toEqual({ open: true, ops: Array(6).fill('skip_connect') });
    expect(cell.data.inputs.map((p) => p.name)).toEqual(['in']);
  });

  it('marks optional edges, example shapes and switched-off edges', () => {
    const doc = spaceDigits();
    const edges = new EdgeCache().edges({ doc, analysis: analysisOf(doc, { 'edge:stem->residual': false }), selected: none, heat: {}, highlight: none });
    expect(edges.find((e) => e.id === 'e_stem_residual')!.data).toMatchObject({ optional: true, off: true, shape: null, editable: true });
    expect(edges.find((e) => e.id === 'e_pool_head')!.data).toMatchObject({ optional: false, example: true, shape: '[null,4,4,16]' });
    const concrete = new EdgeCache().edges({ doc: cnnDoc(), analysis: analysisOf(cnnDoc()), selected: none, heat: {}, highlight: none, readOnly: true });
    expect(concrete[0].data).toMatchObject({ example: false, editable: false });
  });
});

describe('laying out', () => {
  it('knows a graph whose nodes overlap (materialized Repeat copies) from one that is readable', () => {
    expect(overlaps(spaceDigits(), size)).toBe(false);
    const stacked = addNode({ id: 'copy', kind: 'Dense', params: { units: 2 }, position: { x: 530, y: 290 } }).apply(spaceDigits());
    expect(overlaps(stacked, size)).toBe(true);
  });

  it('lays frames out as compound nodes, their members inside', async () => {
    const doc = spaceDigits();
    const pos = await autoLayout(doc, size);
    const after = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: pos[n.id] })) };
    const frame = computeFrames(after, posOf(after), size).get('blocks')!;
    for (const n of after.nodes.filter((m) => m.group === undefined && m.id !== 'blocks')) {
      const p = n.position;
      const inside = p.x + 200 > frame.x && p.x < frame.x + frame.width && p.y + 80 > frame.y && p.y < frame.y + frame.height;
      expect(inside, n.id).toBe(false);
    }
    expect(overlaps({ ...after, nodes: after.nodes.filter((n) => n.id !== 'blocks') }, size)).toBe(false);
  });
});
