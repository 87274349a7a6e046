/**
 * Activation ranges for static quantization: the float model runs on calibration batches with
 * the tensors of interest added as graph outputs, and each tensor's range is taken by
 * min-max (the whole observed range) or by percentile (the 0.01%–99.99% band, so a few
 * outliers do not spend the 256 levels; the percentile method of TensorRT and
 * onnxruntime.quantization).
 */
import { create } from '@bufbuild/protobuf';
import { TensorProto_DataType as DT, TypeProto_TensorSchema, TypeProtoSchema, ValueInfoProtoSchema, type ModelProto } from 'onnx-buf';
import type * as ortNs from 'onnxruntime-node';
import { writeModel } from './model-proto.js';

/** How activation ranges are chosen. */
export type CalibrationMethod = 'minmax' | 'percentile';

/** An observed range, always containing 0 (so 0 is exactly representable). */
export interface Range {
  min: number;
  max: number;
}

/** One calibration batch: the model input's data and shape. */
export interface CalibrationBatch {
  data: Float32Array;
  dims: number[];
}

/** Values kept per tensor for the percentile method (evenly subsampled beyond this). */
const SAMPLE_CAP = 1 << 20;
const PERCENTILE = 99.99;

/** The model with `names` added as float outputs (shapes left to the runtime). */
function withOutputs(model: ModelProto, names: string[]): ModelProto {
  const m = structuredClone(model);
  const have = new Set(m.graph!.output.map((o) => o.name));
  for (const name of names) {
    if (have.has(name)) continue;
    m.graph!.output.push(
      create(ValueInfoProtoSchema, {
        name,
        type: create(TypeProtoSchema, { value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: DT.FLOAT }) } }),
      }),
    );
  }
  return m;
}

/** The p-th percentile of sorted values (linear interpolation). */
function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return 0;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Runs the float model over `batches` and returns each tensor's range. Throws naming the
 * input when a batch's shape does not fit the model.
 */
export async function calibrate(model: ModelProto, names: string[], batches: CalibrationBatch[], method: CalibrationMethod): Promise<Map<string, Range>> {
  const ort = await import('onnxruntime-node');
  const input = model.graph!.input.find((i) => !model.graph!.initializer.some((t) => t.name === i.name))!;
  const declared =
    input.type?.value.case === 'tensorType'
      ? input.type.value.value.shape?.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : null))
      : undefined;
  const session = await ort.InferenceSession.create(writeModel(withOutputs(model, names)));
  const ranges = new Map<string, Range>(names.map((n) => [n, { min: 0, max: 0 }]));
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  try {
    for (const b of batches) {
      if (declared && (declared.length !== b.dims.length || declared.some((d, i) => d !== null && d !== b.dims[i]))) {
        throw new Error(`calibration data has shape [${b.dims}], input "${input.name}" of the model takes [${declared.map((d) => d ?? 'N')}]`);
      }
      const out: ortNs.InferenceSession.OnnxValueMapType = await session.run({ [input.name]: new ort.Tensor('float32', b.data, b.dims) });
      for (const name of names) {
        const v = out[name].data as Float32Array;
        const r = ranges.get(name)!;
        for (let i = 0; i < v.length; i++) {
          if (v[i] < r.min) r.min = v[i];
          else if (v[i] > r.max) r.max = v[i];
        }
        if (method === 'percentile') {
          const s = samples.get(name)!;
          const stride = Math.max(1, Math.ceil((v.length * batches.length) / SAMPLE_CAP));
          for (let i = 0; i < v.length; i += stride) s.push(v[i]);
        }
      }
    }
  } finally {
    await session.release();
  }
  if (method === 'percentile') {
    for (const name of names) {
      const sorted = Float32Array.from(samples.get(name)!).sort();
      ranges.set(name, { min: Math.min(0, percentile(sorted, 100 - PERCENTILE)), max: Math.max(0, percentile(sorted, PERCENTILE)) });
    }
  }
  return ranges;
}
