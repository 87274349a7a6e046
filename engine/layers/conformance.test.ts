/**
 * Conformance: every registered layer kind, every example, against real tf.js on the 'cpu'
 * backend. Iterates the registry, so a new kind is covered by writing its file and one line
 * in index.ts. Checks per example:
 *   (a) params survive parse -> JSON -> parse unchanged;
 *   (b) inferShape equals the built layer's output shape, both symbolically (unknown dims
 *       stay null) and on a seeded random batch (unknown dims made concrete);
 *   (c) cost().params equals the layer's countParams() (non-trainable weights included);
 *   (d) building, applying and disposing the layer leaks no tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layers } from './index.js';
import type { LayerDef, Shape } from './types.js';

/** Batch size of the concrete test batch. */
const BATCH = 2;
/** Size given to unknown non-batch dimensions (e.g. a variable time axis). */
const UNKNOWN = 5;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function concrete(s: Shape): number[] {
  return s.map((d, i) => (i === 0 ? BATCH : (d ?? UNKNOWN)));
}

function describeExample(ex: LayerDef['examples'][number]): string {
  return `${JSON.stringify(ex.params)} on ${ex.inputs.map((s) => JSON.stringify(s)).join(' + ') || 'no inputs'}`;
}

/** Shapes of a tf.js layer output (one tensor or a list). */
function shapesOf(out: tf.Tensor | tf.SymbolicTensor | (tf.Tensor | tf.SymbolicTensor)[]): Shape[] {
  return (Array.isArray(out) ? out : [out]).map((t) => [...t.shape]);
}

/**
 * tf.js RNN cells keep the dropout masks of their last call (tf.keep) and free them at the
 * start of the next call: one bounded set per layer, not a leak. Free them so the leak check
 * sees only real leaks.
 */
function releaseRnnDropoutMasks(layer: tf.layers.Layer): void {
  const cell = (layer as unknown as { cell?: { dropoutMask?: tf.Tensor | tf.Tensor[] | null; recurrentDropoutMask?: tf.Tensor | tf.Tensor[] | null } }).cell;
  if (!cell) return;
  if (cell.dropoutMask) tf.dispose(cell.dropoutMask);
  if (cell.recurrentDropoutMask) tf.dispose(cell.recurrentDropoutMask);
  cell.dropoutMask = null;
  cell.recurrentDropoutMask = null;
}

it('every kind has at least one example', () => {
  const without = Object.values(layers)
    .filter((d) => d.examples.length === 0)
    .map((d) => d.kind);
  expect(without).toEqual([]);
});

it('registry keys equal kind names', () => {
  for (const [key, def] of Object.entries(layers)) expect(def.kind).toBe(key);
});

for (const def of Object.values(layers)) {
  describe(def.kind, () => {
    def.examples.forEach((ex, i) => {
      it(`example ${i}: ${describeExample(ex)}`, () => {
        // (a) params round trip.
        const p = def.params.parse(ex.params);
        const again = def.params.parse(JSON.parse(JSON.stringify(p)));
        expect(again).toEqual(p);

        const inferred = def.inferShape(p, ex.inputs);
        // Output has no output port but passes its shape on (to the loss); others: one per port.
        expect(inferred).toHaveLength(Math.max(1, def.outputs.length));
        // Inference is pure: same answer twice, inputs untouched.
        const inputsCopy = structuredClone(ex.inputs);
        expect(def.inferShape(p, ex.inputs)).toEqual(inferred);
        expect(ex.inputs).toEqual(inputsCopy);

        const cost = def.cost(p, ex.inputs);
        expect(Number.isFinite(cost.params) && cost.params >= 0).toBe(true);
        expect(Number.isFinite(cost.flops) && cost.flops >= 0).toBe(true);

        const start = tf.memory().numTensors;
        const layer = def.toTfjs(tf, p, `${def.kind}_${i}`, ex.inputs);

        if (layer === null) {
          // Input / Output are wired by the compiler; check their inference is consistent.
          expect(def.category).toBe('io');
          if (def.inputs.length === 0) {
            const shape = (p as { shape: (number | null)[] }).shape;
            expect(inferred).toEqual([[...tf.input({ shape }).shape]]);
          } else {
            expect(inferred).toEqual(ex.inputs);
          }
          expect(tf.memory().numTensors).toBe(start);
          return;
        }

        const multi = def.inputs.some((port) => port.multi);
        const dtype = ex.intRange === undefined ? 'float32' : 'int32';

        // (b1) symbolic: unknown dimensions must stay null exactly where we say.
        const syms = ex.inputs.map((s) => tf.input({ shape: s.slice(1), dtype }));
        const symOut = layer.apply(multi ? syms : syms[0]) as tf.SymbolicTensor | tf.SymbolicTensor[];
        expect(shapesOf(symOut)).toEqual(inferred);

        // (c) parameter count, including non-trainable weights (BatchNorm moving stats).
        expect(cost.params).toBe(layer.countParams());

        // (b2) a real seeded batch with concrete sizes.
        const shapes = ex.inputs.map(concrete);
        const before = tf.memory().numTensors;
        const xs = shapes.map((s, j) =>
          ex.intRange === undefined ? tf.randomNormal(s, 0, 1, 'float32', 1000 + 10 * i + j) : tf.randomUniform(s, 0, ex.intRange, 'int32', 1000 + 10 * i + j),
        );
        const y = layer.apply(multi ? xs : xs[0]) as tf.Tensor | tf.Tensor[];
        expect(shapesOf(y)).toEqual(def.inferShape(p, shapes));
        for (const t of Array.isArray(y) ? y : [y]) {
          expect(t.dtype).toBe('float32');
          expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
        }
        tf.dispose([...xs, ...(Array.isArray(y) ? y : [y])]);
        releaseRnnDropoutMasks(layer);

        // (d) no leaks: from applying, and from building once the layer is disposed.
        expect(tf.memory().numTensors).toBe(before);
        layer.dispose();
        expect(tf.memory().numTensors).toBe(start);
      });
    });
  });
}
