import { describe, expect, it } from 'vitest';
import { formatMetric, formatSeconds } from './format.js';

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

  it('formats durations from milliseconds to hours without 60-second minutes', () => {
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(12.44)).toBe('12.4 s');
    expect(formatSeconds(185)).toBe('3 min 05 s');
    expect(formatSeconds(119.7)).toBe('2 min 00 s');
    expect(formatSeconds(7620)).toBe('2 h 07 min');
    expect(formatSeconds(-1)).toBe('–');
  });
});
