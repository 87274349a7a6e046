import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../../engine/graph/analyze.js';
import { explainNode } from './explain-node.js';
import { cnnDoc } from './commands/test-docs.js';

describe('explainNode', () => {
  it("explains a node's output shape from the shapes on its input edges", () => {
    const doc = cnnDoc();
    const a = analyzeDocument(doc);
    expect(explainNode(doc, a, 'conv2d_1')).toBe('height and width: 26 = (28 − 3)/1 + 1 (kernel 3×3, stride 1, valid padding); 32 channels = filters');
    expect(explainNode(doc, a, 'flatten_1')).toBe('all axes but the batch multiplied: 26·26·32 = 21632');
    expect(explainNode(doc, a, 'input_1')).toContain('[28, 28, 1]');
  });

  it('says nothing where the shape is unknown', () => {
    const doc = cnnDoc();
    const broken = { ...doc, edges: doc.edges.filter((e) => e.target !== 'conv2d_1') };
    expect(explainNode(broken, analyzeDocument(broken), 'conv2d_1')).toBeNull();
    expect(explainNode(doc, analyzeDocument(doc), 'missing')).toBeNull();
  });
});
