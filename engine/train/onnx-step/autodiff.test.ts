/** emitBackward: path selection, accumulation, loss seeding, errors, pruning; inferIrShapes. */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { attr } from '../../onnx/values.js';
import { emitBackward } from './autodiff.js';
import { inferIrShapes } from './shapes.js';

const shapesOf = (b: OnnxBuilder) => inferIrShapes(b.irNodes, new Map(b.inputs.map((d) => [d.name, d.shape])), b.constants);

describe('emitBackward', () => {
  it('seeds a scalar loss with 1 and sums the gradients of a value used twice', async () => {
    // loss = Σ (x·w + x)  =>  dL/dx = w + 1, dL/dw = x
    const b = new OnnxBuilder(17, 'training');
    b.addInput('x', [null, 3]);
    b.addInput('w', [3]);
    const [xw] = b.node('Mul', ['x', 'w']);
    const [s] = b.node('Add', [xw, 'x']);
    const [loss] = b.node('ReduceSum', [s], { keepdims: attr.i(0) });
    b.node('ArgMax', [s], { axis: attr.i(1) }); // off the gradient path: no rule needed
    const grads = emitBackward(b, { loss, seeds: new Map(), wrt: ['x', 'w'], shapes: shapesOf(b) });
    b.addRawOutput(grads.get('x')!, [null, 3]);
    b.addRawOutput(grads.get('w')!, [3]);
    const sess = await ort.InferenceSession.create(b.toBytes({ opset: 17, producerVersion: 't', metadata: {}, graphName: 'g' }));
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const w = Float32Array.from([0.5, -1, 2]);
    const out = await sess.run({ x: new ort.Tensor('float32', x, [2, 3]), w: new ort.Tensor('float32', w, [3]) });
    expect(Array.from(out[grads.get('x')!].data as Float32Array)).toEqual([1.5, 0, 3, 1.5, 0, 3]);
    expect(Array.from(out[grads.get('w')!].data as Float32Array)).toEqual([5, 7, 9]);
  });

  it('names the op type and output of a node without a rule', () => {
    const b = new OnnxBuilder(17, 'training');
    b.addInput('x', [2, 3]);
    const [y] = b.node('Hardmax', ['x'], {}, ['hard_out']);
    expect(() => emitBackward(b, { seeds: new Map([[y, 'x']]), wrt: ['x'], shapes: shapesOf(b) })).toThrow(/Hardmax.*hard_out/);
  });

  it('prunes gradients nobody asked for and leaves unreachable weights out', () => {
    const b = new OnnxBuilder(17, 'training');
    b.addInput('x', [2, 3]);
    b.addInput('unused', [3]);
    const k = b.floats('k', [1, 2, 3]);
    const [y] = b.node('Mul', ['x', k]);
    const before = b.irNodes.length;
    const constants = b.constants.size;
    const grads = emitBackward(b, { seeds: new Map([[y, 'x']]), wrt: ['x', 'unused'], shapes: shapesOf(b) });
    expect(grads.has('unused')).toBe(false);
    // Only dy·k survives: the gradient towards the constant k (and its reduction) is gone.
    expect(b.irNodes.length).toBe(before + 1);
    expect(b.constants.size).toBe(constants);
  });

  it('cuts the path at integer casts and comparisons', () => {
    const b = new OnnxBuilder(17, 'training');
    b.addInput('x', [2, 3]);
    const [ids] = b.node('Cast', ['x'], { to: attr.i(7) });
    const [f] = b.node('Cast', [ids], { to: attr.i(1) });
    const grads = emitBackward(b, { seeds: new Map([[f, 'x']]), wrt: ['x'], shapes: shapesOf(b) });
    expect(grads.size).toBe(0);
  });
});

describe('inferIrShapes', () => {
  it('follows conv, pool, reshape, gather, concat, slice, resize and reductions', () => {
    const b = new OnnxBuilder(18, 'training');
    b.addInput('x', [null, 3, 9, 7]);
    b.addInput('w', [4, 3, 3, 5]);
    b.addInput('ids', [null, 6], 'int32');
    b.addInput('table', [20, 8]);
    const [c] = b.node('Conv', ['x', 'w'], { strides: attr.ints([2, 2]), auto_pad: attr.s('SAME_UPPER') });
    const [p, idx] = b.node('MaxPool', [c], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }, 2);
    const [t] = b.node('ConvTranspose', [c, b.floats('wt', new Array(4 * 2 * 9).fill(0), [4, 2, 3, 3])], {
      strides: attr.ints([2, 2]),
      pads: attr.ints([1, 1, 1, 1]),
      output_padding: attr.ints([1, 0]),
    });
    const [r] = b.node('Reshape', [p, b.int64s('s', [0, -1])]);
    const [g] = b.node('Gather', ['table', 'ids'], { axis: attr.i(0) });
    const [cat] = b.node('Concat', [g, g], { axis: attr.i(1) });
    const [sl] = b.node('Slice', [cat, b.int64s('a', [1]), b.int64s('b', [-2]), b.int64s('c', [1])]);
    const [rs] = b.node('Resize', [c, '', b.floats('sc', [1, 1, 2, 3])], { mode: attr.s('nearest') });
    const [rm] = b.node('ReduceMean', [g, b.int64s('ax', [-1])], { keepdims: attr.i(0) });
    const [gp] = b.node('GlobalAveragePool', [c]);
    const s = shapesOf(b);
    expect(s.get(c)).toEqual([null, 4, 5, 4]);
    expect(s.get(p)).toEqual([null, 4, 2, 2]);
    expect(s.get(idx)).toEqual([null, 4, 2, 2]);
    expect(s.get(t)).toEqual([null, 2, 10, 7]);
    expect(s.get(r)).toEqual([null, 16]);
    expect(s.get(g)).toEqual([null, 6, 8]);
    expect(s.get(cat)).toEqual([null, 12, 8]);
    expect(s.get(sl)).toEqual([null, 9, 8]);
    expect(s.get(rs)).toEqual([null, 4, 10, 12]);
    expect(s.get(rm)).toEqual([null, 6]);
    expect(s.get(gp)).toEqual([null, 4, 1, 1]);
  });
});
