import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('scales from milliseconds to hours', () => {
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(5)).toBe('5 s');
    expect(formatDuration(12.44)).toBe('12.4 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(119.7)).toBe('2 min 00 s');
    expect(formatDuration(7620)).toBe('2 h 07 min');
  });

  it('shows a dash for what is not a duration', () => {
    for (const v of [-1, Infinity, NaN, null, undefined]) expect(formatDuration(v)).toBe('—');
  });
});
