/**
 * Hand-computed costs for representative kinds: the conformance test checks params against
 * tf.js, but tf.js has no FLOP counter, so FLOPs (multiply-add = 2, per sample) are pinned here.
 */
import { describe, expect, it } from 'vitest';
import { layers } from './index.js';
import type { Shape } from './types.js';

function cost(kind: string, params: Record<string, unknown>, inputs: Shape[]) {
  const def = layers[kind];
  return def.cost(def.params.parse(params), inputs);
}

describe('cost', () => {
  it('Dense: 2·in·units FLOPs, per time step on rank 3', () => {
    expect(cost('Dense', { units: 10 }, [[null, 784]])).toEqual({ params: 7850, flops: 2 * 784 * 10 });
    expect(cost('Dense', { units: 3 }, [[null, 5, 4]])).toEqual({ params: 15, flops: 5 * 2 * 4 * 3 });
  });

  it('Conv2D / Conv1D: 2·k·cin·cout per output position', () => {
    expect(cost('Conv2D', { filters: 32 }, [[null, 28, 28, 1]])).toEqual({ params: 320, flops: 2 * 9 * 32 * 26 * 26 });
    expect(cost('Conv1D', { filters: 4, kernelSize: 3 }, [[null, 10, 2]])).toEqual({ params: 28, flops: 2 * 24 * 8 });
  });

  it('DepthwiseConv2D and SeparableConv2D', () => {
    expect(cost('DepthwiseConv2D', { padding: 'same' }, [[null, 8, 8, 4]])).toEqual({ params: 40, flops: 2 * 36 * 64 });
    expect(cost('SeparableConv2D', { filters: 8, padding: 'same' }, [[null, 8, 8, 4]])).toEqual({
      params: 36 + 32 + 8,
      flops: 2 * (36 + 32) * 64,
    });
  });

  it('Conv2DTranspose: every input position scatters one kernel', () => {
    expect(cost('Conv2DTranspose', { filters: 2, kernelSize: 2, strides: 2 }, [[null, 4, 4, 3]])).toEqual({
      params: 26,
      flops: 2 * 24 * 16,
    });
  });

  it('BatchNorm counts moving statistics as params', () => {
    expect(cost('BatchNorm', {}, [[null, 4, 4, 16]]).params).toBe(64);
    expect(cost('BatchNorm', { center: false, scale: false }, [[null, 16]]).params).toBe(32);
  });

  it('RNNs: gates·(in·u + u·u + u) params', () => {
    expect(cost('SimpleRNN', { units: 8 }, [[null, 10, 4]]).params).toBe(8 * 4 + 64 + 8);
    expect(cost('LSTM', { units: 8 }, [[null, 10, 4]]).params).toBe(4 * (32 + 64 + 8));
    expect(cost('GRU', { units: 8 }, [[null, 10, 4]]).params).toBe(3 * (32 + 64 + 8));
    const lstm = cost('LSTM', { units: 8 }, [[null, 10, 4]]).flops;
    expect(lstm).toBeGreaterThanOrEqual(10 * 4 * 2 * (4 + 8) * 8);
  });

  it('shape-only kinds are free', () => {
    expect(cost('Flatten', {}, [[null, 4, 4, 2]])).toEqual({ params: 0, flops: 0 });
    expect(cost('Reshape', { targetShape: [-1] }, [[null, 4, 4]])).toEqual({ params: 0, flops: 0 });
    expect(cost('Embedding', { inputDim: 100, outputDim: 8 }, [[null, 12]])).toEqual({ params: 800, flops: 0 });
  });
});
