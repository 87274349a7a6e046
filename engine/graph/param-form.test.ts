import { describe, expect, it } from 'vitest';
import { layers } from '../layers/index.js';
import { checkParam, describeParams, formatFieldValue, parseFieldText, type ParamField } from './param-form.js';

const field = (kind: string, name: string): ParamField => describeParams(layers[kind].params).find((f) => f.name === name)!;

describe('describeParams', () => {
  it('describes Conv2D: required integer, size pairs as text, enums, booleans', () => {
    const fields = describeParams(layers.Conv2D.params);
    expect(fields.map((f) => f.name)).toEqual(['filters', 'kernelSize', 'strides', 'padding', 'dilation', 'activation', 'useBias', 'l1', 'l2']);
    expect(fields[0]).toEqual({ name: 'filters', kind: 'number', integer: true, required: true, hint: 'integer > 0' });
    expect(fields[1]).toMatchObject({ kind: 'text', required: false, default: 3 });
    expect(fields[3]).toMatchObject({ kind: 'enum', options: ['valid', 'same'], default: 'valid' });
    expect(fields[6]).toMatchObject({ kind: 'boolean', default: true });
    expect(fields[7]).toMatchObject({ kind: 'number', integer: false, hint: 'number ≥ 0' });
  });

  it('describes shapes as lists and metrics as a multi-choice', () => {
    expect(field('Input', 'shape')).toMatchObject({ kind: 'list', required: true });
    expect(field('Input', 'shape').hint).toMatch(/null/);
    expect(field('Output', 'metrics')).toMatchObject({ kind: 'multi-enum', default: ['accuracy'] });
    expect(field('Dropout', 'rate').hint).toBe('number ≥ 0 and < 1');
  });

  it('gives every field of every registered kind a known form kind', () => {
    for (const def of Object.values(layers)) {
      for (const f of describeParams(def.params)) expect(['number', 'enum', 'boolean', 'multi-enum', 'list', 'text']).toContain(f.kind);
    }
  });
});

describe('parseFieldText / formatFieldValue / checkParam', () => {
  it('reads numbers, lists and pairs, and round-trips them', () => {
    expect(parseFieldText(field('Conv2D', 'filters'), ' 32 ')).toEqual({ ok: true, value: 32 });
    expect(parseFieldText(field('Conv2D', 'filters'), 'abc')).toEqual({ ok: false, message: 'not a number: abc' });
    expect(parseFieldText(field('Conv2D', 'filters'), '')).toEqual({ ok: false, message: 'required' });
    expect(parseFieldText(field('Conv2D', 'kernelSize'), '')).toEqual({ ok: true, value: undefined });
    expect(parseFieldText(field('Conv2D', 'kernelSize'), '3, 5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseFieldText(field('Input', 'shape'), '28, 28, 1')).toEqual({ ok: true, value: [28, 28, 1] });
    expect(parseFieldText(field('Input', 'shape'), 'null, 4')).toEqual({ ok: true, value: [null, 4] });
    expect(parseFieldText(field('Input', 'shape'), '64')).toEqual({ ok: true, value: [64] });
    expect(formatFieldValue([null, 4])).toBe('null, 4');
    expect(
      formatFieldValue([
        [1, 1],
        [2, 2],
      ]),
    ).toBe('[[1,1],[2,2]]');
    expect(parseFieldText(field('ZeroPadding2D', 'padding'), '[[1,1],[2,2]]')).toEqual({
      ok: true,
      value: [
        [1, 1],
        [2, 2],
      ],
    });
  });

  it('checks a value against the field schema and names the problem', () => {
    expect(checkParam(layers.Conv2D.params, 'filters', 0)).toMatch(/^Too small: expected number to be >0/);
    expect(checkParam(layers.Conv2D.params, 'filters', 8)).toBeNull();
    expect(checkParam(layers.Conv2D.params, 'kernelSize', undefined)).toBeNull();
    expect(checkParam(layers.Dense.params, 'units', undefined)).toBe('missing; expected number');
    expect(checkParam(layers.Dense.params, 'nope', 1)).toBe('unknown param "nope"');
  });
});
