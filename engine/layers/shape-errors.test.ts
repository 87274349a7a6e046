/**
 * The messages a user sees when a layer cannot take its input: each names the layer, what it
 * expected and what came (and a hint where one helps). Also: bad params are rejected by the
 * zod schema with the offending field named.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../graph/errors.js';
import { layers } from './index.js';
import type { Shape } from './types.js';

/** Runs inferShape with parsed params and returns the ShapeError message it throws. */
function shapeError(kind: string, params: Record<string, unknown>, inputs: Shape[]): string {
  const def = layers[kind];
  try {
    def.inferShape(def.params.parse(params), inputs);
  } catch (e) {
    expect(e).toBeInstanceOf(ShapeError);
    return (e as Error).message;
  }
  throw new Error(`${kind} accepted ${JSON.stringify(inputs)}`);
}

/** Field paths zod reports for invalid params. */
function badFields(kind: string, params: Record<string, unknown>): string[] {
  const r = layers[kind].params.safeParse(params);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('shape errors', () => {
  it('BatchNorm refuses a non-channel axis (tf.js computes it wrongly)', () => {
    expect(shapeError('BatchNorm', { axis: 1 }, [[null, 5, 2]])).toBe(
      'BatchNorm normalizes the last (channel) axis only, got axis 1 of [null,5,2]: tf.js computes other axes incorrectly',
    );
  });

  it('Dense on rank 4 says add Flatten', () => {
    expect(shapeError('Dense', { units: 10 }, [[null, 26, 26, 32]])).toBe('Dense expects rank 2 or 3, got [null,26,26,32]: add Flatten before it');
  });

  it('Conv2D on rank 2 asks for images', () => {
    expect(shapeError('Conv2D', { filters: 8 }, [[null, 784]])).toMatch(
      /^Conv2D expects rank 4, got \[null,784\]: .*\[batch, height, width, channels\].*Reshape/,
    );
  });

  it('a kernel or window larger than the input', () => {
    expect(shapeError('Conv2D', { filters: 8, kernelSize: 5 }, [[null, 3, 3, 1]])).toMatch(/Conv2D kernel 5×5 is larger than its input \[null,3,3,1\]/);
    expect(shapeError('Conv1D', { filters: 2, kernelSize: 4 }, [[null, 3, 1]])).toMatch(/Conv1D kernel 4 is larger than its input \[null,3,1\]/);
    expect(shapeError('MaxPool2D', { poolSize: 4 }, [[null, 3, 8, 1]])).toMatch(/MaxPool2D window 4×4 is larger than its input \[null,3,8,1\]/);
    expect(shapeError('DepthwiseConv2D', { kernelSize: [1, 7] }, [[null, 8, 6, 2]])).toMatch(/larger than its input \[null,8,6,2\]/);
  });

  it('Conv2D cannot combine strides and dilation', () => {
    expect(shapeError('SeparableConv2D', { filters: 2, strides: 2, dilation: 2 }, [[null, 9, 9, 1]])).toMatch(/strides > 1 with dilation > 1/);
  });

  it('Add with mismatched shapes names both', () => {
    expect(
      shapeError('Add', {}, [
        [null, 4],
        [null, 5],
      ]),
    ).toBe('Add expects inputs of equal shape, got [null,4] (input 1) and [null,5] (input 2)');
    expect(
      shapeError('Multiply', {}, [
        [null, 2, 3],
        [null, 2, 3],
        [null, 3, 2],
      ]),
    ).toMatch(/\[null,2,3\] \(input 1\) and \[null,3,2\] \(input 3\)/);
  });

  it('Add with one input asks for two', () => {
    expect(shapeError('Add', {}, [[null, 4]])).toMatch(/Add expects at least 2 inputs, got 1/);
  });

  it('Concatenate mismatch names both shapes and the axis', () => {
    expect(
      shapeError('Concatenate', {}, [
        [null, 3, 3, 2],
        [null, 4, 3, 2],
      ]),
    ).toBe('Concatenate on axis -1 expects inputs that agree on every other axis, got [null,3,3,2] (input 1) and [null,4,3,2] (input 2)');
    expect(
      shapeError('Concatenate', { axis: 3 }, [
        [null, 3],
        [null, 3],
      ]),
    ).toMatch(/axis 3 is out of range for input \[null,3\]/);
  });

  it('Reshape checks element counts', () => {
    expect(shapeError('Reshape', { targetShape: [5, 5] }, [[null, 12]])).toBe(
      'Reshape expects 25 elements per sample for [5,5], but input [null,12] has 12: the element counts must match',
    );
    expect(shapeError('Reshape', { targetShape: [-1, 5] }, [[null, 12]])).toMatch(/12 is not divisible by 5/);
  });

  it('Embedding on rank 3 asks for ids', () => {
    expect(shapeError('Embedding', { inputDim: 10, outputDim: 4 }, [[null, 4, 5]])).toMatch(
      /^Embedding expects rank 2, got \[null,4,5\]: .*integer ids \[batch, steps\]/,
    );
  });

  it('LSTM on rank 2 asks for a time axis', () => {
    expect(shapeError('LSTM', { units: 8 }, [[null, 8]])).toMatch(/^LSTM expects rank 3, got \[null,8\]: LSTM takes \[batch, time, features\]; add Reshape/);
  });

  it('Flatten on an already flat input', () => {
    expect(shapeError('Flatten', {}, [[null, 10]])).toBe('Flatten expects rank 3 or more, got [null,10]: the input is already flat; remove Flatten');
  });

  it('BatchNorm axis out of range', () => {
    expect(shapeError('BatchNorm', { axis: 4 }, [[null, 5]])).toMatch(/BatchNorm axis 4 is out of range for input \[null,5\]/);
  });
});

describe('invalid params are rejected with field names', () => {
  it('Dense units must be a positive integer', () => {
    expect(badFields('Dense', { units: 0 })).toEqual(['units']);
    expect(badFields('Dense', {})).toEqual(['units']);
  });

  it('Conv2D reports every bad field', () => {
    expect(badFields('Conv2D', { filters: 'x', padding: 'full', kernelSize: [3] }).sort()).toEqual(['filters', 'kernelSize', 'padding']);
  });

  it('rates, enums, shapes and regularizers', () => {
    expect(badFields('Dropout', { rate: 1 })).toEqual(['rate']);
    expect(badFields('Activation', { fn: 'softplus' })).toEqual(['fn']);
    expect(badFields('Reshape', { targetShape: [-1, -1] })).toEqual(['targetShape']);
    expect(badFields('Reshape', { targetShape: [0, 3] })).toEqual(['targetShape.0']);
    expect(badFields('LSTM', { units: 4, recurrentDropout: -0.1 })).toEqual(['recurrentDropout']);
    expect(badFields('Dense', { units: 4, l2: -1 })).toEqual(['l2']);
    expect(badFields('ZeroPadding2D', { padding: [[1, 2], [3]] })).toEqual(['padding']);
  });
});
