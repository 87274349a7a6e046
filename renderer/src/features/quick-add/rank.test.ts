import { describe, expect, it } from 'vitest';
import { rankKinds } from './rank.js';

describe('rankKinds', () => {
  it('puts exact and prefix matches of the kind name first', () => {
    expect(rankKinds('dense')[0].kind).toBe('Dense');
    expect(rankKinds('conv')[0].kind).toBe('Conv2D');
    expect(rankKinds('conv2')[0].kind).toBe('Conv2D');
    expect(rankKinds('maxp')[0].kind).toBe('MaxPool1D');
    expect(rankKinds('maxpool2')[0].kind).toBe('MaxPool2D');
    expect(rankKinds('flat')[0].kind).toBe('Flatten');
    expect(rankKinds('output')[0].kind).toBe('Output');
    expect(rankKinds('input')[0].kind).toBe('Input');
    expect(rankKinds('repeat')[0].kind).toBe('Repeat');
  });

  it('lists every kind for an empty query and nothing for nonsense', () => {
    expect(rankKinds('').length).toBeGreaterThan(30);
    expect(rankKinds('zzzqqq')).toEqual([]);
  });
});
