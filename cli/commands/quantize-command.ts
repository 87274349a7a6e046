/**
 * `layerloom quantize MODEL.onnx --calibrate DATASPEC -o OUT.onnx [--method minmax|percentile]
 * [--dynamic] [--batches N] [--batch N] [--limit N] [--seed N] [--overwrite] [--json]`:
 * post-training int8 quantization of an exported model, with its accuracy, size and latency
 * against the float model.
 */
import fs from 'node:fs';
import { runQuantizeJob } from '../../engine/compress/quantize-job.js';
import type { CliValues } from '../options.js';
import { intOption, UsageError } from './errors.js';

/** Runs the quantize command; resolves to the exit code. */
export async function quantizeCommand(args: string[], values: CliValues): Promise<number> {
  if (args.length !== 1) throw new UsageError('quantize takes one MODEL.onnx');
  const file = args[0];
  if (!values.calibrate) throw new UsageError('quantize needs --calibrate DATASPEC (the data to calibrate on and measure with, e.g. mnist)');
  if (!values.out) throw new UsageError('quantize needs -o OUT.onnx');
  const method = (values.method ?? 'percentile') as 'minmax' | 'percentile';
  if (method !== 'minmax' && method !== 'percentile') throw new UsageError(`--method must be minmax or percentile, got "${values.method}"`);
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const r = await runQuantizeJob({
    model: file,
    out: values.out,
    data: values.calibrate,
    target: values.target,
    mode: values.dynamic ? 'dynamic' : 'static',
    method,
    batches: intOption('batches', values.batches),
    batchSize: intOption('batch', values.batch),
    limit: intOption('limit', values.limit),
    seed: intOption('seed', values.seed, 0),
    overwrite: values.overwrite,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ event: 'quantized', ...r })}\n`);
    return 0;
  }
  const metric = (f: { accuracy?: number; mse?: number }) =>
    f.accuracy !== undefined ? `accuracy ${(f.accuracy * 100).toFixed(2)}%` : `mse ${f.mse?.toExponential(3)}`;
  process.stdout.write(
    [
      `quantized ${r.report.quantized.length} nodes (${r.mode}${r.mode === 'static' ? `, ${r.method} calibration` : ''}): ${r.report.quantized.join(', ')}`,
      `fp32: ${metric(r.fp32)}, ${r.fp32.bytes} bytes, ${r.fp32.latencyMs.toFixed(2)} ms/batch`,
      `int8: ${metric(r.int8)}, ${r.int8.bytes} bytes (${r.sizeRatio.toFixed(2)}×), ${r.int8.latencyMs.toFixed(2)} ms/batch (${r.latencyRatio.toFixed(2)}× the fp32 time)`,
      `wrote ${r.out}`,
    ].join('\n') + '\n',
  );
  return 0;
}
