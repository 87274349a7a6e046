/**
 * ONNX conformance: every registered kind, every example, exported in a one-layer model and
 * run in onnxruntime-node against tf.js `predict` on seeded random inputs. Weights are
 * randomised first (biases, BatchNorm statistics included), so a mis-mapped weight cannot
 * hide behind a zero or one. Tolerance: max abs error ≤ 1e-4 (1e-3 for recurrent kinds).
 * Each example is exported at opsets 13, 17 (the default) and 21; every opset-17 file also
 * passes onnx.checker (full_check) from Debian's python3-onnx, whose onnx 1.12 stops at 17.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../../tests/tools.js';
import { compileGraph } from '../compile/compile.js';
import { loadGraphFromText } from '../graph/load.js';
import { exportOnnx } from '../onnx/export.js';
import { randomInputs, verifyOnnx } from '../onnx/verify.js';
import { Rng } from '../util/rng.js';
import { layers } from './index.js';
import type { LayerDef } from './types.js';

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);
const OPSETS = [17, 13, 21];
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-onnx-conf-'));
const written: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

/** A one-layer graph document around an example. */
function oneLayerDoc(def: LayerDef, ex: LayerDef['examples'][number]) {
  const ints = (ex as { intRange?: number }).intRange !== undefined;
  const inputs = ex.inputs.map((s, i) => ({ id: `in${i}`, kind: 'Input', params: { shape: s.slice(1), dtype: ints ? 'int32' : 'float32' } }));
  return {
    version: 1,
    name: `conformance_${def.kind}`,
    nodes: [...inputs, { id: 'layer', kind: def.kind, params: ex.params }, { id: 'out', kind: 'Output', params: {} }],
    edges: [...inputs.map((n) => ({ source: n.id, target: 'layer' })), { source: 'layer', target: 'out' }],
  };
}

/** Replaces every weight with seeded random values (variances kept positive). */
function randomiseWeights(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of model.layers) {
    const ws = layer.weights;
    if (!ws.length) continue;
    layer.setWeights(
      ws.map((w) => {
        const shape = w.shape as number[];
        const n = shape.reduce((a, b) => a * b, 1);
        const positive = /variance/i.test(w.originalName);
        return tf.tensor(
          Float32Array.from({ length: n }, () => (positive ? rng.uniform(0.5, 1.5) : rng.uniform(-0.5, 0.5))),
          shape,
        );
      }),
    );
  }
}

for (const def of Object.values(layers)) {
  if (def.kind === 'Input' || def.kind === 'Output') continue;
  describe(`${def.kind} → ONNX`, () => {
    for (const opset of OPSETS) {
      def.examples.forEach((ex, i) => {
        it(`opset ${opset} example ${i}: ${JSON.stringify(ex.params)}`, async () => {
          const graph = loadGraphFromText(JSON.stringify(oneLayerDoc(def, ex)));
          const { model } = compileGraph(tf, graph, { seed: 3 });
          randomiseWeights(model, 100 + i);
          const bytes = exportOnnx(graph, model, { opset, metadata: { layerloomVersion: 'test' } });
          if (opset === 17) {
            const file = path.join(outDir, `${def.kind}_${i}.onnx`);
            fs.writeFileSync(file, bytes);
            written.push(file);
          }
          const result = await verifyOnnx(tf, graph, model, bytes, randomInputs(graph, 3, 7 + i));
          model.dispose();
          expect(result.maxAbsDiff).toBeLessThanOrEqual(RECURRENT.has(def.kind) ? 1e-3 : 1e-4);
        });
      });
    }
  });
}

it('every exported conformance model passes onnx.checker (full_check)', needs('python3-onnx'), () => {
  expect(written.length).toBeGreaterThan(0);
  const script = 'import onnx,sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok", len(sys.argv)-1)';
  const out = execFileSync('/usr/bin/python3', ['-c', script, ...written], { encoding: 'utf8' });
  expect(out.trim()).toBe(`ok ${written.length}`);
});
