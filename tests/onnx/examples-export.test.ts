// Every example graph exports to ONNX that matches tf.js in onnxruntime-node, passes the
// independent onnx.checker, and carries its provenance and I/O signature.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile/compile.js';
import { graphHash } from '../../engine/graph/hash.js';
import { loadGraphFromText } from '../../engine/graph/load.js';
import { ExportError, exportOnnx } from '../../engine/onnx/export.js';
import { randomInputs, verifyOnnx } from '../../engine/onnx/verify.js';
import { needs } from '../tools.js';
import { onnxCheck, onnxInfo } from './onnx-checker.js';

const root = path.join(import.meta.dirname, '../..');
const exampleFiles = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.loom.json'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-onnx-ex-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('examples export to ONNX', () => {
  for (const f of exampleFiles) {
    const file = path.join(dir, f.replace('.loom.json', '.onnx'));
    const load = () => loadGraphFromText(fs.readFileSync(path.join(root, 'examples', f), 'utf8'));
    it(`${f}: matches tf.js in onnxruntime`, async () => {
      const graph = load();
      const { model } = compileGraph(tf, graph, { seed: 9 });
      const bytes = exportOnnx(graph, model, {
        metadata: { layerloomVersion: '0.1.0', runId: 'r-test', dataset: 'digits', metrics: { valAccuracy: 0.9 }, searchId: 's1', decisions: { width: 64 } },
      });
      const result = await verifyOnnx(tf, graph, model, bytes, randomInputs(graph, 4, 3));
      model.dispose();
      expect(result.maxAbsDiff).toBeLessThanOrEqual(f.startsWith('lstm') ? 1e-3 : 1e-4);
      expect(result.argmaxAgreement).toBe(1);
      fs.writeFileSync(file, bytes);
    });
    // Reads the file the test above wrote, with the independent checker.
    it(`${f}: passes onnx.checker, carries metadata and I/O names`, needs('python3-onnx'), () => {
      const graph = load();
      onnxCheck([file]);
      const info = onnxInfo(file);
      expect(info.ir).toBe(8);
      expect(info.opset).toBe(17);
      expect(info.meta).toMatchObject({
        'layerloom.version': '0.1.0',
        'layerloom.graph_hash': graphHash(graph.doc),
        'layerloom.run_id': 'r-test',
        'layerloom.dataset': 'digits',
        'layerloom.metrics': '{"valAccuracy":0.9}',
        'layerloom.search_id': 's1',
        'layerloom.decisions': '{"width":64}',
      });
      const inputNode = graph.order.find((id) => graph.nodes.get(id)!.kind === 'Input')!;
      const outputNode = graph.order.find((id) => graph.nodes.get(id)!.kind === 'Output')!;
      const inShape = (graph.nodes.get(inputNode)!.params as { shape: number[] }).shape;
      expect(info.inputs).toEqual([[inputNode, ['batch', ...inShape]]]);
      expect(info.outputs.map((o) => o[0])).toEqual([outputNode]);
      expect(info.outputs[0][1][0]).toBe('batch');
    });
  }
});

describe('opsets and IR versions', () => {
  for (const [opset, ir] of [
    [13, 7],
    [15, 8],
    [17, 8],
    [19, 9],
    [21, 10],
  ]) {
    const file = path.join(dir, `opset${opset}.onnx`);
    it(`opset ${opset} runs in onnxruntime`, async () => {
      const graph = loadGraphFromText(fs.readFileSync(path.join(root, 'examples/lenet-mnist.loom.json'), 'utf8'));
      const { model } = compileGraph(tf, graph, { seed: 1 });
      const bytes = exportOnnx(graph, model, { opset, metadata: { layerloomVersion: 't' } });
      const result = await verifyOnnx(tf, graph, model, bytes, randomInputs(graph, 2));
      model.dispose();
      expect(result.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      fs.writeFileSync(file, bytes);
    });
    it(`opset ${opset} is written with IR version ${ir}`, needs('python3-onnx'), () => {
      expect(onnxInfo(file).ir).toBe(ir);
    });
  }

  it('rejects an unsupported opset', () => {
    const graph = loadGraphFromText(fs.readFileSync(path.join(root, 'tests/fixtures/valid/tiny-mlp.loom.json'), 'utf8'));
    const { model } = compileGraph(tf, graph);
    expect(() => exportOnnx(graph, model, { opset: 12, metadata: { layerloomVersion: 't' } })).toThrow(/opset 12 is not supported; choose one of 13, 14/);
    model.dispose();
  });

  it('names the node when a kind has no ONNX mapping', () => {
    const graph = loadGraphFromText(fs.readFileSync(path.join(root, 'tests/fixtures/valid/tiny-mlp.loom.json'), 'utf8'));
    const { model } = compileGraph(tf, graph);
    const node = graph.nodes.get('hidden')!;
    node.def = { ...node.def, toOnnx: undefined };
    let err: unknown;
    try {
      exportOnnx(graph, model, { metadata: { layerloomVersion: 't' } });
    } catch (e) {
      err = e;
    }
    model.dispose();
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).message).toBe('node "hidden": Dense has no ONNX mapping');
    expect((err as ExportError).node).toBe('hidden');
  });
});
