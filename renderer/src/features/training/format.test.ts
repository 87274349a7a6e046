import { describe, expect, it } from 'vitest';
import { fmtDate, fmtRate, fmtValue } from './format.js';

describe('format', () => {
  it('formats metrics, rates and dates', () => {
    expect(fmtValue(0.98328)).toBe('0.9833');
    expect(fmtValue(0.00012)).toBe('1.20e-4');
    expect(fmtValue(123.456)).toBe('123.5');
    expect(fmtValue(null)).toBe('—');
    expect(fmtValue(NaN)).toBe('NaN');
    expect(fmtRate(12345.6)).toBe('12,346/s');
    const t = new Date(2026, 10, 29, 9, 5).getTime();
    expect(fmtDate(t, t)).toBe('11-29 09:05');
    expect(fmtDate(t, new Date(2027, 0, 1).getTime())).toBe('2026-11-29 09:05');
  });
});
