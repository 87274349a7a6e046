import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../../engine/graph/analyze.js';
import { imageChain, type N } from '../../../nas/space/drawn-fixtures.js';
import { analysisOf, sameStructure } from './analysis.js';
import { setGroup } from './commands/space.js';
import { cnnDoc, docFromText, spaceDigits } from './commands/test-docs.js';
import { analyzeSpace, referenceSample } from './space-analysis.js';

const conv = (id: string, params: Record<string, unknown> = {}, extra: Partial<N> = {}): N => ({
  id,
  kind: 'Conv2D',
  params: { filters: 4, padding: 'same', ...params },
  ...extra,
});
const shapeOf = (a: ReturnType<typeof analyzeSpace>, id: string) => a.nodes.get(id)?.shapes?.[0];
const edgeShape = (doc: ReturnType<typeof spaceDigits>, a: ReturnType<typeof analyzeSpace>, id: string) =>
  a.edgeShapes.get(doc.edges.findIndex((e) => e.id === id));

describe('drawn-space analysis on the canvas', () => {
  it('concrete documents keep the direct path', () => {
    const doc = cnnDoc();
    const a = analysisOf(doc);
    expect(a.space).toBeNull();
    expect(a.nodes).toEqual(analyzeDocument(doc).nodes);
  });

  it('maps the default candidate back onto the drawn nodes: Repeat members, the frame, edges inside it', () => {
    const doc = spaceDigits();
    const a = analyzeSpace(doc);
    expect(a.space?.reference).toEqual({ 'stem.kernelSize': 3, 'block_conv.kernelSize': 1, 'head.filters': 16, 'edge:stem->residual': true, blocks: 1 });
    expect(a.ok).toBe(true);
    expect(shapeOf(a, 'blocks')).toEqual([null, 8, 8, 16]);
    expect(shapeOf(a, 'block_conv')).toEqual([null, 8, 8, 16]);
    expect(a.nodes.get('block_conv')?.cost).toEqual({ params: 256, flops: 32768 });
    expect(a.nodes.get('blocks')?.cost).toBeUndefined();
    expect(shapeOf(a, 'head')).toEqual([null, 4, 4, 16]);
    expect(edgeShape(doc, a, 'e_block_conv_block_bn')).toEqual([null, 8, 8, 16]);
    expect(edgeShape(doc, a, 'e_stem_blocks')).toEqual([null, 8, 8, 16]);
    expect(edgeShape(doc, a, 'e_pool_head')).toEqual([null, 4, 4, 16]);
    expect(a.edgeShapes.size).toBe(doc.edges.length);
  });

  it('shows a picked candidate: three copies cost three times, a switched-off skip and its bypassed Add', () => {
    const doc = spaceDigits();
    const a = analyzeSpace(doc, { blocks: 3, 'edge:stem->residual': false, 'head.filters': 64, 'stem.kernelSize': 99 });
    expect(a.space?.reference).toMatchObject({ blocks: 3, 'edge:stem->residual': false, 'head.filters': 64, 'stem.kernelSize': 3 });
    expect(a.nodes.get('block_conv')?.cost).toEqual({ params: 3 * 256, flops: 3 * 32768 });
    expect([...a.space!.absent]).toEqual(['residual']);
    expect(a.nodes.get('residual')).toEqual({});
    const skip = doc.edges.findIndex((e) => e.id === 'e_stem_residual');
    expect([...a.space!.offEdges]).toEqual([skip]);
    expect(a.edgeShapes.has(skip)).toBe(false);
    // The Add is gone, but the edges around it still carry the block's output.
    expect(edgeShape(doc, a, 'e_blocks_residual')).toEqual([null, 8, 8, 16]);
    expect(edgeShape(doc, a, 'e_residual_pool')).toEqual([null, 8, 8, 16]);
    expect(shapeOf(a, 'head')).toEqual([null, 4, 4, 64]);
  });

  it('gives members of the alternatives not shown their shapes from their own candidate', () => {
    const text = imageChain([
      conv('stem'),
      { id: 'pick', kind: 'Choice' },
      conv('wide', { filters: 8 }, { group: 'pick', alternative: 0 }),
      { id: 'pool', kind: 'MaxPool2D', params: { poolSize: 2 }, group: 'pick', alternative: 1 },
    ]);
    // imageChain wires every middle node in a row; keep only the edges the Choice allows.
    const raw = docFromText(text);
    const doc = { ...raw, edges: raw.edges.filter((e) => !['e_stem_wide', 'e_wide_pool', 'e_pool_flat', 'e_pick_wide'].includes(e.id!)) };
    doc.edges.push({ id: 'e_pick_flat', source: 'pick', sourcePort: 'out', target: 'flat', targetPort: 'in' });
    const a = analyzeSpace(doc);
    expect(a.space?.error).toBeNull();
    expect(a.space?.reference.pick).toBe(0);
    expect(shapeOf(a, 'pick')).toEqual([null, 8, 8, 8]);
    expect(shapeOf(a, 'wide')).toEqual([null, 8, 8, 8]);
    expect(shapeOf(a, 'pool')).toEqual([null, 4, 4, 4]);
    expect(a.space?.absent.size).toBe(0);
  });

  it('expands a Cell: its layers cost on the Cell, its output on its edges; a cut-off cell is an error on it', () => {
    const doc = docFromText(imageChain([conv('stem', { filters: 6 }), { id: 'cell', kind: 'Cell' }]));
    const a = analyzeSpace(doc);
    expect(referenceSample(a.space!.decisions)['cell.0->1']).toBe('skip_connect');
    expect(shapeOf(a, 'cell')).toEqual([null, 8, 8, 6]);
    const convs = analyzeSpace(doc, Object.fromEntries(a.space!.decisions.filter((d) => d.name.startsWith('cell.')).map((d) => [d.name, 'nor_conv_1x1'])));
    expect(convs.nodes.get('cell')?.cost?.params).toBe(6 * (6 * 6 + 4 * 6)); // six edges: a 1×1 conv (no bias) + BatchNorm (4 per channel)
    const cut = analyzeSpace(doc, Object.fromEntries(a.space!.decisions.map((d) => [d.name, 'none'])));
    expect(cut.nodes.get('cell')?.error).toMatch(/^node "cell" \(Cell\): cell .* has no path from its input to its output/);
    expect(cut.ok).toBe(false);
  });

  it("puts the space parser's errors on the node or edge at fault", () => {
    const bad = spaceDigits();
    bad.nodes = bad.nodes.map((n) => (n.id === 'blocks' ? { ...n, params: { min: 3, max: 1 } } : n));
    expect(analyzeSpace(bad).nodes.get('blocks')?.error).toBe('node "blocks": params.min 3 exceeds params.max 1');
    const spec = spaceDigits();
    spec.nodes = spec.nodes.map((n) => (n.id === 'head' ? { ...n, params: { ...n.params, filters: { choice: [] } } } : n));
    const s = analyzeSpace(spec);
    expect(s.nodes.get('head')?.error).toBe('node "head": params.filters: "choice" must be a non-empty array');
    expect(s.space?.error).toBe('node "head": params.filters: "choice" must be a non-empty array');
    const crossing = setGroup(['pool'], { group: 'blocks' }).apply(spaceDigits());
    const c = analyzeSpace(crossing);
    expect([...c.edgeErrors.values()][0]).toMatch(/node "pool" belongs to group "blocks" and connects outside it only through that node/);
  });

  it('names the Repeat copy that fails on the member it copies', () => {
    const doc = docFromText(
      imageChain([
        conv('stem'),
        { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } },
        conv('shrink', { kernelSize: 5, padding: 'valid' }, { group: 'rep' }),
      ]),
    );
    // imageChain chains stem -> rep -> shrink; the block is reached through `rep` only.
    const fixed = {
      ...doc,
      edges: doc.edges
        .filter((e) => e.id !== 'e_rep_shrink' && e.id !== 'e_shrink_flat')
        .concat([{ id: 'e_rep_flat', source: 'rep', sourcePort: 'out', target: 'flat', targetPort: 'in' }]),
    };
    expect(analyzeSpace(fixed).nodes.get('shrink')?.shapes?.[0]).toEqual([null, 4, 4, 4]);
    const two = analyzeSpace(fixed, { rep: 2 });
    expect(two.nodes.get('shrink')?.error).toMatch(/^node "shrink" \(copy 2 of 2\): Conv2D kernel 5×5 is larger than its input/);
  });

  it('caches per document and candidate; a container change is a structural change', () => {
    const doc = spaceDigits();
    const pick = { blocks: 2 };
    expect(analysisOf(doc, pick)).toBe(analysisOf(doc, pick));
    expect(analysisOf(doc, pick)).not.toBe(analysisOf(doc, null));
    expect(sameStructure(doc, setGroup(['pool'], { group: 'blocks' }).apply(doc))).toBe(false);
  });
});
