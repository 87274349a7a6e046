import { describe, expect, it } from 'vitest';
import { formatMetric } from './format.js';

describe('search number formatting', () => {
  it('formats metrics by name', () => {
    expect(formatMetric('params', 51234)).toBe('51.2 K');
    expect(formatMetric('flops', 2_500_000)).toBe('2.5 M');
    expect(formatMetric('params', 999)).toBe('999');
    expect(formatMetric('latencyMs', 1.234)).toBe('1.2 ms');
    expect(formatMetric('valAccuracy', 0.912345)).toBe('0.912');
    expect(formatMetric('epochs', 3)).toBe('3');
    expect(formatMetric('valAccuracy', null)).toBe('–');
  });
});
