// Post-training int8 quantization of trained, exported models (issue 18's quantization part):
// accuracy on the validation data within 1 point of fp32, the file a fraction of the size,
// onnx.checker accepts it, latency measured; bad input named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuantizeJob } from '../../engine/compress/quantize-job.js';
import { jsonLines, runCli } from '../cli/run-cli.js';
import { onnxCheck } from '../onnx/onnx-checker.js';
import { needs } from '../tools.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerloom-quantize-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Trains an example through the CLI and exports it; returns the .onnx path. */
async function trained(example: string, extra: string[]): Promise<string> {
  const dataDir = path.join(dir, 'data');
  const train = await runCli(['train', `examples/${example}.loom.json`, '--json', '--data-dir', dataDir, '--seed', '1', ...extra]);
  expect(train.code, train.stderr).toBe(0);
  const runId = String(jsonLines(train.stdout).find((e) => e.event === 'done')!.runId);
  const out = path.join(dir, `${example}.onnx`);
  const exp = await runCli(['export', `examples/${example}.loom.json`, '--run', runId, '-o', out, '--data-dir', dataDir]);
  expect(exp.code, exp.stderr).toBe(0);
  return out;
}

describe('layerloom quantize', () => {
  let mlp: string;
  let lenet: string;
  beforeAll(async () => {
    mlp = await trained('mlp-digits', []);
    lenet = await trained('lenet-mnist', ['--epochs', '1', '--limit', '3000']);
  }, 600_000);

  it('mlp-digits: static int8 (percentile and min-max) and dynamic stay within a point of fp32', async () => {
    for (const [mode, method] of [
      ['static', 'percentile'],
      ['static', 'minmax'],
      ['dynamic', 'minmax'],
    ] as const) {
      const out = path.join(dir, `mlp-${mode}-${method}.onnx`);
      const r = await runQuantizeJob({ model: mlp, out, data: 'digits', seed: 1, mode, method });
      expect(r.fp32.accuracy!).toBeGreaterThan(0.9);
      expect(Math.abs(r.int8.accuracy! - r.fp32.accuracy!), `${mode}/${method}`).toBeLessThanOrEqual(0.01);
      expect(r.report.quantized.map((q) => q.split(' ')[0])).toEqual(['MatMul', 'MatMul']);
      // A 20 KB model keeps ~1 KB of graph and metadata int8 cannot shrink: ~0.34-0.36 (see BENCHMARKS.md).
      expect(r.sizeRatio).toBeLessThan(0.4);
      expect(r.latencyRatio).toBeGreaterThan(0);
      expect(fs.existsSync(out)).toBe(true);
    }
  });

  it('lenet-mnist: static int8 QDQ within a point of fp32 at about a quarter of the size', async () => {
    const out = path.join(dir, 'lenet-int8.onnx');
    const r = await runQuantizeJob({ model: lenet, out, data: 'mnist', limit: 3000, seed: 1, mode: 'static', method: 'percentile' });
    expect(r.report.quantized.map((q) => q.split(' ')[0])).toEqual(['Conv', 'Conv', 'MatMul', 'MatMul']);
    expect(Math.abs(r.int8.accuracy! - r.fp32.accuracy!)).toBeLessThanOrEqual(0.01);
    expect(r.sizeRatio).toBeLessThanOrEqual(0.3);
    expect(r.report.weights).toBe(4);
  });

  it('the quantized files pass onnx.checker', needs('python3-onnx'), () => {
    onnxCheck(['lenet-int8.onnx', 'mlp-static-percentile.onnx', 'mlp-dynamic-minmax.onnx'].map((f) => path.join(dir, f)));
  });

  it('names the input when the calibration data has the wrong shape, and refuses to overwrite', async () => {
    await expect(runQuantizeJob({ model: lenet, out: path.join(dir, 'bad.onnx'), data: 'digits', mode: 'static', method: 'minmax' })).rejects.toThrow(
      /lenet-mnist\.onnx: input "\w+" takes \[N,28,28,1\], the data has samples of shape \[8,8,1\]/,
    );
    await expect(
      runQuantizeJob({ model: mlp, out: path.join(dir, 'mlp-static-minmax.onnx'), data: 'digits', mode: 'static', method: 'minmax' }),
    ).rejects.toThrow(/the file exists \(pass --overwrite/);
  });

  it('through the CLI prints the comparison as JSON', async () => {
    const out = path.join(dir, 'cli.onnx');
    const r = await runCli(['quantize', mlp, '--calibrate', 'digits', '--seed', '1', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [e] = jsonLines(r.stdout);
    expect(e).toMatchObject({ event: 'quantized', mode: 'static', method: 'percentile', out });
    const bad = await runCli(['quantize', mlp, '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/quantize needs --calibrate DATASPEC/);
  });
});
