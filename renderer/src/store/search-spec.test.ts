import { describe, expect, it } from 'vitest';
import type { ParamField } from '../../../engine/graph/param-form.js';
import { getLayer } from '../../../engine/layers/index.js';
import { fieldsOf } from '../features/canvas/node-summary.js';
import { badgeText, canSearch, concreteFrom, optionsOf, parseOption, specOf, specProblem, specValue, startSpec, switchMode } from './search-spec.js';

const conv = getLayer('Conv2D')!.params;
const field = (kind: string, name: string) => fieldsOf(kind).find((f) => f.name === name)!;

describe('searchable param specs', () => {
  it('reads and writes the document format', () => {
    expect(specOf(16)).toBeNull();
    expect(specOf({ choice: [16, 32] })).toEqual({ mode: 'choice', values: [16, 32] });
    expect(specOf({ range: [1e-4, 1e-2, 10], log: true })).toEqual({ mode: 'range', min: 1e-4, max: 1e-2, step: 10, log: true });
    expect(specValue({ mode: 'range', min: 8, max: 64, step: 8, log: false })).toEqual({ range: [8, 64, 8] });
    expect(specValue({ mode: 'range', min: 1e-4, max: 1e-2, step: 10, log: true })).toEqual({ range: [1e-4, 1e-2, 10], log: true });
    expect(specValue(startSpec(undefined, field('Conv2D', 'kernelSize')))).toEqual({ choice: [3] });
    expect(specValue(startSpec('same', field('Conv2D', 'padding')))).toEqual({ choice: ['same'] });
  });

  it('switches between choice and range, and back to a concrete first option', () => {
    expect(switchMode({ mode: 'choice', values: [32, 8, 16] }, 'range')).toEqual({ mode: 'range', min: 8, max: 32, step: 1, log: false });
    expect(switchMode({ mode: 'range', min: 8, max: 32, step: 8, log: false }, 'choice')).toEqual({ mode: 'choice', values: [8, 16, 24, 32] });
    expect(optionsOf({ range: [1e-4, 1e-1, 10], log: true })).toEqual([1e-4, 1e-3, 1e-2, 1e-1]);
    expect(concreteFrom({ choice: [5, 3] })).toBe(5);
    expect(concreteFrom({ range: [4, 1, 1] })).toBeUndefined();
  });

  it("names what is wrong: the space parser's message, or the first option the kind rejects", () => {
    expect(specProblem({ choice: [16, 32] }, 'filters', conv)).toBeNull();
    expect(specProblem({ choice: [16, 16] }, 'filters', conv)).toBe('choice 16 is listed twice');
    expect(specProblem({ range: [32, 8, 8] }, 'filters', conv)).toBe('range min 32 exceeds max 8');
    expect(specProblem({ range: [0.1, 1, 0.5], log: true }, 'filters', conv)).toBe('log range step is a factor and must be > 1, got 0.5');
    expect(specProblem({ choice: [16, 0] }, 'filters', conv)).toBe('option 0: Too small: expected number to be >0');
    expect(specProblem({ choice: ['same', 'wide'] }, 'padding', conv)).toMatch(/^option "wide": /);
    expect(specProblem({ choice: [] }, 'filters')).toBe('"choice" must be a non-empty array');
  });

  it('parses chips by field kind, and knows which params can be searched', () => {
    expect(parseOption(field('Conv2D', 'filters'), ' 64 ')).toBe(64);
    expect(parseOption(field('Conv2D', 'filters'), 'many')).toBeNull();
    expect(parseOption(field('Conv2D', 'padding'), 'same')).toBe('same');
    expect(parseOption(field('Conv2D', 'padding'), 'wide')).toBeNull();
    expect(parseOption(field('Conv2D', 'useBias'), 'false')).toBe(false);
    expect(parseOption(field('Conv2D', 'kernelSize'), '5')).toBe(5);
    expect(canSearch(field('Conv2D', 'filters'))).toBe(true);
    expect(canSearch(field('Input', 'shape'))).toBe(false);
    expect(canSearch({ name: 'm', kind: 'multi-enum', options: [], required: false, hint: '' } as ParamField)).toBe(false);
  });

  it('writes node badges', () => {
    expect(badgeText('filters', 32)).toBeNull();
    expect(badgeText('filters', { choice: [16, 32, 64] })).toBe('filters ∈ {16,32,64}');
    expect(badgeText('lr', { range: [1e-4, 1e-2, 10], log: true })).toBe('lr ∈ [1e-4, 1e-2] log');
    expect(badgeText('lr', { range: [1e-4, 1e-2, 2], log: true })).toBe('lr ∈ [1e-4, 1e-2] log ×2');
    expect(badgeText('units', { range: [16, 128, 16] })).toBe('units ∈ [16, 128] step 16');
    expect(badgeText('kernelSize', { range: [1, 7, 1] })).toBe('kernelSize ∈ [1, 7]');
    expect(badgeText('padding', { choice: ['same', 'valid'] })).toBe('padding ∈ {same,valid}');
  });
});
