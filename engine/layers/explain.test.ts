/**
 * The inspector's explanations over the whole registry: every param of every kind has a
 * description, every example's shape explanation names the dimensions it explains, and the
 * window formulas evaluate to the sizes shape inference computes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeParams } from '../graph/param-form.js';
import { windowOutput } from './common.js';
import { paramDoc, windowAxis } from './explain.js';
import { getLayer, layers } from './index.js';

/** Evaluates the right-hand side of `out = …` as windowAxis writes it. */
function evaluate(text: string): number {
  const rhs = text.split(' = ')[1].replace(/−/g, '-').replace(/⌊/g, 'Math.floor(').replace(/⌈/g, 'Math.ceil(').replace(/[⌋⌉]/g, ')');
  return Function(`return (${rhs});`)() as number;
}

function explain(kind: string, params: Record<string, unknown>, inputs: (number | null)[][]): string {
  const def = getLayer(kind)!;
  const p = def.params.parse(params);
  return def.explainShape(p, inputs, def.inferShape(p, inputs));
}

describe('layer explanations', () => {
  it.each(Object.keys(layers))('%s: every param has a description', (kind) => {
    const def = layers[kind];
    for (const f of describeParams(def.params)) expect(paramDoc(def, f.name), `${kind}.${f.name}`).toMatch(/\w{3,}/);
    // A kind's own descriptions name real params (no leftovers from a rename).
    const names = new Set(describeParams(def.params).map((f) => f.name));
    for (const name of Object.keys(def.paramDocs)) expect(names.has(name), `${kind}.paramDocs.${name}`).toBe(true);
  });

  it.each(Object.keys(layers))('%s: each example’s shape explanation names the output dimensions', (kind) => {
    const def = layers[kind];
    for (const ex of def.examples) {
      const p = def.params.parse(ex.params);
      const out = def.inferShape(p, ex.inputs);
      const text = def.explainShape(p, ex.inputs, out);
      expect(text.length).toBeGreaterThan(10);
      for (const d of out[0].slice(1)) if (d !== null) expect(text, `${kind} ${JSON.stringify(ex)}`).toContain(String(d));
    }
  });

  it('words the window arithmetic as the issue asks', () => {
    expect(explain('Conv2D', { filters: 32, kernelSize: 3 }, [[null, 28, 28, 1]])).toBe(
      'height and width: 26 = (28 − 3)/1 + 1 (kernel 3×3, stride 1, valid padding); 32 channels = filters',
    );
    expect(explain('Conv2D', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }, [[null, 28, 28, 1]])).toContain('14 = ⌈28 / 2⌉');
    expect(explain('MaxPool2D', {}, [[null, 11, 11, 64]])).toContain('5 = ⌊(11 − 2) / 2⌋ + 1');
    expect(explain('Conv2D', { filters: 4, kernelSize: 3, dilation: 2 }, [[null, 10, 12, 1]])).toBe(
      'height 6 = (10 − 5)/1 + 1; width 8 = (12 − 5)/1 + 1 (kernel 3×3, stride 1, valid padding, dilation 2 (effective kernel 5×5)); 4 channels = filters',
    );
    expect(explain('Flatten', {}, [[null, 5, 5, 64]])).toBe('all axes but the batch multiplied: 5·5·64 = 1600');
    expect(
      explain('Concatenate', {}, [
        [null, 8, 8, 32],
        [null, 8, 8, 64],
      ]),
    ).toContain('32 + 64 = 96');
    expect(explain('Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2 }, [[null, 7, 7, 8]])).toContain('15 = 7 × 2 + max(3 − 2, 0)');
  });

  it('window formulas evaluate to the size shape inference computes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('valid' as const, 'same' as const),
        fc.integer({ min: 1, max: 3 }),
        (size, kernel, stride, padding, dilation) => {
          const out = windowOutput(size, kernel, stride, padding, dilation);
          if (out === null || out < 1) return;
          expect(evaluate(windowAxis(size, kernel, stride, padding, out, dilation))).toBe(out);
        },
      ),
      { seed: 20, numRuns: 400 },
    );
  });
});
