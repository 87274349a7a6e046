import { beforeEach, describe, expect, it } from 'vitest';
import { imageChain } from '../../../../nas/space/drawn-fixtures.js';
import { parseSpace } from '../../../../nas/space/drawn-parse.js';
import { useDocumentStore } from '../document-store.js';
import { addNode } from './add-node.js';
import { canConnect } from './connect.js';
import { deleteElements } from './delete.js';
import { copyFragment, pasteFragment } from './paste.js';
import { renameNode } from './set-param.js';
import { composite, makeConcrete, makeSearchable, setEdgeOptional, setGroup } from './space.js';
import { moveNodes } from './move.js';
import { docFromText, spaceDigits } from './test-docs.js';

const decisions = (doc: Parameters<typeof parseSpace>[0]) => parseSpace(doc).decisions.map((d) => `${d.name}:${d.options.join('|')}`);

describe('search-space commands', () => {
  beforeEach(() => useDocumentStore.getState().load(spaceDigits(), null));

  it('makes a param searchable (choice or range) and concrete again, in the format the space parser reads', () => {
    const doc = spaceDigits();
    const frozen = JSON.stringify(doc);
    const choice = makeSearchable('stem', 'filters', { choice: [8, 16] }).apply(doc);
    expect(choice.nodes.find((n) => n.id === 'stem')!.params.filters).toEqual({ choice: [8, 16] });
    expect(decisions(choice)).toContain('stem.filters:8|16');
    const range = makeSearchable('logits', 'units', { range: [10, 30, 10] }).apply(choice);
    expect(decisions(range)).toContain('logits.units:10|20|30');
    const log = makeSearchable('head', 'filters', { range: [8, 64, 2], log: true }).apply(range);
    expect(decisions(log)).toContain('head.filters:8|16|32|64');
    const fixed = makeConcrete('stem', 'filters', 8).apply(log);
    expect(fixed.nodes.find((n) => n.id === 'stem')!.params.filters).toBe(8);
    expect(
      makeConcrete('stem', 'kernelSize', undefined)
        .apply(doc)
        .nodes.find((n) => n.id === 'stem')!.params,
    ).not.toHaveProperty('kernelSize');
    expect(makeSearchable('stem', 'filters', { choice: [8, 16] }).apply(choice)).toBe(choice);
    expect(JSON.stringify(doc)).toBe(frozen);
  });

  it('each is one named, undoable step', () => {
    const store = useDocumentStore.getState();
    store.run(makeSearchable('stem', 'filters', { choice: [8, 16] }));
    store.run(setEdgeOptional('e_stem_residual', false));
    expect(useDocumentStore.getState().past.map((p) => p.label)).toEqual(['Search stem.filters', 'Make e_stem_residual required']);
    useDocumentStore.getState().undo();
    expect(useDocumentStore.getState().doc.edges.find((e) => e.id === 'e_stem_residual')!.optional).toBe(true);
    useDocumentStore.getState().undo();
    expect(useDocumentStore.getState().doc).toEqual(spaceDigits());
  });

  it('toggles an optional edge; off removes the key (not `optional: false`)', () => {
    const doc = spaceDigits();
    const required = setEdgeOptional('e_stem_residual', false).apply(doc);
    expect(required.edges.find((e) => e.id === 'e_stem_residual')).not.toHaveProperty('optional');
    expect(decisions(required).some((d) => d.startsWith('edge:'))).toBe(false);
    const back = setEdgeOptional('e_stem_residual', true).apply(required);
    expect(decisions(back)).toContain('edge:stem->residual:true|false');
    expect(setEdgeOptional('e_stem_residual', true).apply(back)).toBe(back);
    expect(setEdgeOptional('nope', true).apply(doc)).toBe(doc);
  });

  it('puts nodes into a Repeat and a Choice lane, takes them out, and closes emptied lanes', () => {
    let doc = docFromText(
      imageChain(
        [{ id: 'c', kind: 'Conv2D', params: { filters: 4, kernelSize: 3, padding: 'same' } }],
        [],
        [
          { id: 'rep', kind: 'Repeat', params: { min: 1, max: 2 } },
          { id: 'pick', kind: 'Choice' },
          { id: 'a', kind: 'Activation', params: { fn: 'relu' } },
          { id: 'b', kind: 'Activation', params: { fn: 'tanh' } },
        ],
      ),
    );
    doc = setGroup(['a'], { group: 'pick', alternative: 0 }).apply(doc);
    doc = setGroup(['b'], { group: 'pick', alternative: 1 }).apply(doc);
    expect(doc.nodes.filter((n) => n.group === 'pick').map((n) => [n.id, n.alternative])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    // Moving `a` out leaves lane 0 empty: `b` becomes alternative 0.
    doc = setGroup(['a'], {}).apply(doc);
    expect(doc.nodes.find((n) => n.id === 'a')).not.toHaveProperty('group');
    expect(doc.nodes.find((n) => n.id === 'a')).not.toHaveProperty('alternative');
    expect(doc.nodes.find((n) => n.id === 'b')).toMatchObject({ group: 'pick', alternative: 0 });
    // Into a Repeat: no alternative, even when one was set.
    doc = setGroup(['a'], { group: 'rep' }).apply(doc);
    expect(doc.nodes.find((n) => n.id === 'a')).toMatchObject({ group: 'rep' });
    expect(doc.nodes.find((n) => n.id === 'a')).not.toHaveProperty('alternative');
    expect(setGroup(['a'], { group: 'rep' }).apply(doc)).toBe(doc);
    expect(setGroup(['rep'], { group: 'rep' }).apply(doc)).toBe(doc);
    expect(setGroup(['a'], { group: 'rep' }).label).toBe('Move a into rep');
    expect(setGroup(['a', 'b'], { group: 'pick', alternative: 1 }).label).toBe('Move 2 nodes into pick (alternative 1)');
  });

  it('adds a node straight into a frame, and a composite is one undo step', () => {
    const doc = spaceDigits();
    const added = addNode({ id: 'extra', kind: 'Dropout', params: { rate: 0.1 }, position: { x: 0, y: 0 }, group: 'blocks' }).apply(doc);
    expect(added.nodes.at(-1)).toEqual({ id: 'extra', kind: 'Dropout', params: { rate: 0.1 }, position: { x: 0, y: 0 }, group: 'blocks' });
    const store = useDocumentStore.getState();
    store.run(composite('move', 'Move pool into blocks', [moveNodes({ pool: { x: 500, y: 600 } }), setGroup(['pool'], { group: 'blocks' })]));
    expect(useDocumentStore.getState().past).toHaveLength(1);
    expect(useDocumentStore.getState().doc.nodes.find((n) => n.id === 'pool')).toMatchObject({ group: 'blocks', position: { x: 500, y: 600 } });
    useDocumentStore.getState().undo();
    expect(useDocumentStore.getState().doc).toEqual(doc);
  });

  it('keeps containers and their members together: rename, delete, copy and paste', () => {
    const doc = spaceDigits();
    const renamed = renameNode('blocks', 'stack').apply(doc);
    expect(renamed.nodes.filter((n) => n.group === 'stack').map((n) => n.id)).toEqual(['block_conv', 'block_bn', 'block_relu']);
    expect(decisions(renamed)).toContain('stack:1|2|3');
    const deleted = deleteElements(['blocks']).apply(doc);
    expect(deleted.nodes.some((n) => n.group === 'blocks' || n.id === 'blocks')).toBe(false);
    expect(() => parseSpace(deleted)).not.toThrow();
    const fragment = copyFragment(doc, ['blocks']);
    expect(fragment.nodes.map((n) => n.id)).toEqual(['blocks', 'block_conv', 'block_bn', 'block_relu']);
    const pasted = pasteFragment(doc, fragment, { x: 40, y: 40 }).command.apply(doc);
    expect(pasted.nodes.filter((n) => n.group === 'repeat_1').map((n) => n.id)).toEqual(['conv2d_1', 'batchnorm_1', 'activation_1']);
    // A member pasted alone joins its original container.
    const one = pasteFragment(doc, copyFragment(doc, ['block_bn']), { x: 40, y: 40 }).command.apply(doc);
    expect(one.nodes.at(-1)).toMatchObject({ id: 'batchnorm_1', group: 'blocks' });
  });

  it('connects through container ports, and not across a frame border', () => {
    const doc = spaceDigits();
    expect(canConnect(doc, { source: 'blocks', target: 'pool' })).toEqual({
      ok: false,
      reason: '"pool" takes one input and already has one (from "residual"); merge with Add or Concatenate first',
    });
    expect(canConnect(doc, { source: 'pixels', target: 'block_conv' })).toEqual({
      ok: false,
      reason: '"block_conv" sits in "blocks"; connect to the container instead',
    });
    const free = deleteElements([], ['e_stem_blocks']).apply(doc);
    expect(canConnect(free, { source: 'stem', target: 'blocks' })).toEqual({ ok: true });
  });
});
