// `layerloom export` end to end: train a run, export it to ONNX with --verify and to the
// tf.js format, re-export from the tf.js folder, and refuse mismatched graphs without
// writing anything.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTfjsFolder } from '../../engine/onnx/tfjs-format.js';
import { jsonLines, root, runCli } from '../cli/run-cli.js';
import { needs } from '../tools.js';
import { onnxCheck, onnxInfo } from './onnx-checker.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-export-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const graphFile = path.join(root, 'examples/mlp-digits.loom.json');

describe('layerloom export', () => {
  const onnxFile = path.join(dataDir, 'out', 'mlp.onnx');
  let runId = '';
  it('exports a trained run to ONNX and tf.js, verified', async () => {
    const trained = await runCli(['train', graphFile, '--epochs', '3', '--json', '--data-dir', dataDir]);
    expect(trained.code).toBe(0);
    const done = jsonLines(trained.stdout).at(-1)!;
    runId = done.runId as string;

    const exp = await runCli(['export', graphFile, '--run', runId, '-o', onnxFile, '--verify', '--json', '--data-dir', dataDir]);
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    const [res] = jsonLines(exp.stdout) as [{ written: boolean; verify: { maxAbsDiff: number; argmaxAgreement: number; inputs: string; passed: boolean } }];
    expect(res.written).toBe(true);
    expect(res.verify).toMatchObject({ inputs: 'dataset', passed: true, argmaxAgreement: 1 });
    expect(res.verify.maxAbsDiff).toBeLessThanOrEqual(1e-4);

    const tfjsDir = path.join(dataDir, 'out', 'mlp-tfjs');
    const tj = await runCli(['export', graphFile, '--run', runId, '-o', tfjsDir, '--format', 'tfjs', '--data-dir', dataDir]);
    expect(tj.code).toBe(0);
    await tf.setBackend('cpu');
    const loaded = await loadTfjsFolder(tf, tfjsDir);
    expect(loaded.layers.map((l) => l.name)).toEqual(['pixels', 'hidden', 'dropout', 'logits']);
    loaded.dispose();

    const again = path.join(dataDir, 'out', 'from-tfjs.onnx');
    const re = await runCli(['export', graphFile, '--weights', tfjsDir, '-o', again, '--verify', '--json', '--data-dir', dataDir]);
    expect(re.code).toBe(0);
    // Same weights through the tf.js folder: both models give identical outputs.
    const ort = await import('onnxruntime-node');
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 64 }, (_, i) => (i % 17) / 17),
      [3, 64],
    );
    const run = async (f: string) => (await (await ort.InferenceSession.create(f)).run({ pixels: x })).digit.data as Float32Array;
    expect(Array.from(await run(again))).toEqual(Array.from(await run(onnxFile)));
  });

  // Reads the file the test above exported, with the independent checker.
  it('writes a model that passes onnx.checker, with the run in its metadata', needs('python3-onnx'), () => {
    expect(runId).not.toBe('');
    onnxCheck([onnxFile]);
    const meta = onnxInfo(onnxFile).meta;
    expect(meta['layerloom.run_id']).toBe(runId);
    expect(meta['layerloom.dataset']).toBe('digits');
    expect(Object.keys(JSON.parse(meta['layerloom.metrics']))).toContain('valAccuracy');
  });

  it('refuses a graph that differs from the run and writes nothing', async () => {
    const trained = await runCli(['train', graphFile, '--epochs', '1', '--json', '--data-dir', dataDir]);
    const runId = jsonLines(trained.stdout).at(-1)!.runId as string;
    const doc = JSON.parse(fs.readFileSync(graphFile, 'utf8'));
    doc.nodes.find((n: { id: string }) => n.id === 'hidden').params.units = 32;
    const changed = path.join(dataDir, 'changed.loom.json');
    fs.writeFileSync(changed, JSON.stringify(doc));
    const out = path.join(dataDir, 'out', 'never.onnx');
    const r = await runCli(['export', changed, '--run', runId, '-o', out, '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`the graph differs from the one run "${runId}" trained`));
    expect(fs.existsSync(out)).toBe(false);
  });

  it('checks its arguments', async () => {
    const a = await runCli(['export', graphFile, '-o', '/tmp/x.onnx']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/give exactly one of --run RUN_ID or --weights DIR/);
    const b = await runCli(['export', graphFile, '--run', 'x', '-o', '/tmp/x.onnx', '--opset', '9']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--opset must be one of 13, 14, 15, 16, 17, 18, 19, 20, 21, got 9/);
  });
});
