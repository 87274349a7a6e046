/**
 * `layerloom quantize`: an exported float model → an int8 model, measured. Calibration
 * batches come from the training part of the dataset and accuracy from its validation part,
 * split the way training splits it (the dataset's test split when it has one, else
 * `validationSplit` with `seed`), so "within a point of fp32" is measured on data neither the
 * float training nor the calibration saw. Latency is the median of alternating fp32/int8
 * runs of one batch on the CPU provider, reported as a ratio (noise hits both alike).
 */
import fs from 'node:fs';
import type * as ortNs from 'onnxruntime-node';
import { loadDataset } from '../data/registry.js';
import { splitValidation, subset } from '../data/split.js';
import type { Dataset } from '../data/types.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { CalibrationBatch, CalibrationMethod } from './calibrate.js';
import { readModel, writeModel } from './model-proto.js';
import { quantizeDynamic } from './quantize-dynamic.js';
import { quantizeStatic, type QuantizeReport } from './quantize-static.js';

/** Options of {@link runQuantizeJob}. */
export interface QuantizeJobOptions {
  /** The float .onnx file. */
  model: string;
  /** Where the quantized .onnx goes. */
  out: string;
  /** Dataset spec of the calibration / evaluation data (as `train --data`). */
  data: string;
  target?: string;
  /** 'static' (QDQ, calibrated activations) or 'dynamic' (int8 weights, activations at run time). */
  mode: 'static' | 'dynamic';
  method: CalibrationMethod;
  /** Calibration batches (default 8) of `batchSize` (default 64). */
  batches?: number;
  batchSize?: number;
  seed?: number;
  validationSplit?: number;
  limit?: number;
  /** Replace an existing output file. */
  overwrite?: boolean;
}

/** One model's figures. */
export interface ModelFigures {
  bytes: number;
  /** Accuracy on the validation data (classification), else undefined. */
  accuracy?: number;
  /** Mean squared error against the targets (regression), else undefined. */
  mse?: number;
  /** Median milliseconds for one batch. */
  latencyMs: number;
}

/** Result of a quantization job. */
export interface QuantizeJobResult {
  out: string;
  mode: 'static' | 'dynamic';
  method: CalibrationMethod;
  fp32: ModelFigures;
  int8: ModelFigures;
  /** int8 file size ÷ fp32 file size. */
  sizeRatio: number;
  /** int8 batch latency ÷ fp32 batch latency (below 1: faster). */
  latencyRatio: number;
  report: QuantizeReport;
}

/** Train and validation parts, split as a training run splits them. */
async function splitData(opts: QuantizeJobOptions): Promise<{ train: Dataset; val: Dataset }> {
  const seed = opts.seed ?? 42;
  const ds = await loadDataset(opts.data, { target: opts.target, seed });
  if (ds.test) return { train: opts.limit ? subset(ds, opts.limit, seed) : ds, val: ds.test };
  const { train, val } = splitValidation(ds, opts.validationSplit ?? 0.2, seed);
  return { train: opts.limit ? subset(train, opts.limit, seed) : train, val };
}

/** The model input's name and per-sample dims; throws naming the input when `ds` cannot feed it. */
function inputOf(session: ortNs.InferenceSession, modelFile: string, ds: Dataset, declared: (number | null)[]): { name: string; dims: number[] } {
  const name = session.inputNames[0];
  const dims = declared.slice(1).map((d) => d ?? -1);
  const want = dims.reduce((a, b) => a * b, 1);
  const have = ds.inputShape.reduce((a, b) => a * b, 1);
  if (dims.some((d) => d < 0) || want !== have) {
    throw new Error(`${modelFile}: input "${name}" takes [N,${declared.slice(1).map((d) => d ?? '?')}], the data has samples of shape [${ds.inputShape}]`);
  }
  return { name, dims };
}

function batchOf(ds: Dataset, start: number, n: number, dims: number[]): CalibrationBatch {
  const size = dims.reduce((a, b) => a * b, 1);
  return { data: ds.x.subarray(start * size, (start + n) * size), dims: [n, ...dims] };
}

/** Accuracy / MSE of a session over `ds`. */
async function score(
  ort: typeof ortNs,
  s: ortNs.InferenceSession,
  input: { name: string; dims: number[] },
  ds: Dataset,
  batch: number,
): Promise<Pick<ModelFigures, 'accuracy' | 'mse'>> {
  let hits = 0;
  let se = 0;
  let count = 0;
  for (let start = 0; start < ds.count; start += batch) {
    const n = Math.min(batch, ds.count - start);
    const b = batchOf(ds, start, n, input.dims);
    const out = await s.run({ [input.name]: new ort.Tensor('float32', b.data, b.dims) });
    const y = out[s.outputNames[0]].data as Float32Array;
    const width = y.length / n;
    for (let i = 0; i < n; i++) {
      if (ds.task === 'classification') {
        let best = 0;
        for (let j = 1; j < width; j++) if (y[i * width + j] > y[i * width + best]) best = j;
        const label = width === 1 ? Number(y[i] > 0.5) : best;
        if (label === ds.y[start + i]) hits++;
      } else {
        for (let j = 0; j < width; j++) se += (y[i * width + j] - ds.y[(start + i) * width + j]) ** 2;
        count += width;
      }
    }
  }
  return ds.task === 'classification' ? { accuracy: hits / ds.count } : { mse: se / Math.max(1, count) };
}

/** Median ms per batch of `a` and `b`, timed alternately. */
async function latencies(
  ort: typeof ortNs,
  a: ortNs.InferenceSession,
  b: ortNs.InferenceSession,
  input: { name: string; dims: number[] },
  batch: CalibrationBatch,
): Promise<[number, number]> {
  const feed = { [input.name]: new ort.Tensor('float32', batch.data, batch.dims) };
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < 3; i++) await Promise.all([a.run(feed), b.run(feed)].map((p) => p));
  for (let i = 0; i < 21; i++) {
    for (const [s, t] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t0 = performance.now();
      await s.run(feed);
      t.push(performance.now() - t0);
    }
  }
  const med = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1];
  return [med(ta), med(tb)];
}

/** Quantizes `opts.model`, writes `opts.out`, and measures both models. */
export async function runQuantizeJob(opts: QuantizeJobOptions): Promise<QuantizeJobResult> {
  if (!opts.out.endsWith('.onnx')) throw new Error(`-o ${opts.out}: the quantized model must be a .onnx file`);
  if (fs.existsSync(opts.out) && !opts.overwrite) throw new Error(`-o ${opts.out}: the file exists (pass --overwrite to replace it)`);
  const bytes = new Uint8Array(fs.readFileSync(opts.model));
  const model = readModel(bytes, opts.model);
  const ort = await import('onnxruntime-node');
  const fp32 = await ort.InferenceSession.create(bytes);
  const declaredIn = model.graph!.input.find((i) => i.name === fp32.inputNames[0])!;
  const declared =
    declaredIn.type?.value.case === 'tensorType'
      ? (declaredIn.type.value.value.shape?.dim ?? []).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : null))
      : [];
  const { train, val } = await splitData(opts);
  const input = inputOf(fp32, opts.model, train, declared);
  const batch = opts.batchSize ?? 64;
  const nBatches = Math.max(1, Math.min(opts.batches ?? 8, Math.floor(train.count / batch) || 1));
  const calib = Array.from({ length: nBatches }, (_, i) => batchOf(train, i * batch, Math.min(batch, train.count - i * batch), input.dims));

  const q = opts.mode === 'dynamic' ? quantizeDynamic(model) : await quantizeStatic(model, { batches: calib, method: opts.method });
  if (q.report.quantized.length === 0) throw new Error(`${opts.model}: no Conv, MatMul or Gemm with constant weights to quantize`);
  const qBytes = writeModel(q.model);
  const int8 = await ort.InferenceSession.create(qBytes);
  try {
    const [sf, si] = [await score(ort, fp32, input, val, batch), await score(ort, int8, input, val, batch)];
    const [lf, li] = await latencies(ort, fp32, int8, input, calib[0]);
    writeFileAtomic(opts.out, qBytes);
    return {
      out: opts.out,
      mode: opts.mode,
      method: opts.method,
      fp32: { bytes: bytes.length, ...sf, latencyMs: lf },
      int8: { bytes: qBytes.length, ...si, latencyMs: li },
      sizeRatio: qBytes.length / bytes.length,
      latencyRatio: li / lf,
      report: q.report,
    };
  } finally {
    await fp32.release();
    await int8.release();
  }
}
