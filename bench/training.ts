/**
 * Training throughput measurements: the engine's own loop on a compiled graph, and a
 * minimal hand-written tf.js loop (optimizer.minimize) on the hand-built model.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { compileGraph } from '../engine/compile/compile.js';
import type { Dataset } from '../engine/data/types.js';
import { loadGraphFromText } from '../engine/graph/load.js';
import type { LoomDocumentInput } from '../engine/graph/schema.js';
import type { Tf } from '../engine/layers/types.js';
import { trainingConfigSchema } from '../engine/train/config.js';
import { trainModel, trainWithStepper } from '../engine/train/loop.js';
import { OrtStepper } from '../engine/train/onnx-step/ort-stepper.js';
import { Rng } from '../engine/util/rng.js';

/** Random classification data of a given per-sample shape. */
export function randomData(inputShape: number[], count: number, seed = 1): Dataset {
  const rng = new Rng(seed);
  const per = inputShape.reduce((a, b) => a * b, 1);
  return {
    name: 'random',
    task: 'classification',
    count,
    inputShape,
    x: Float32Array.from({ length: count * per }, () => rng.next()),
    y: Float32Array.from({ length: count }, () => rng.int(10)),
    targetShape: [],
    numClasses: 10,
  };
}

/**
 * Samples/s of the engine's loop (trainModel) on the compiled graph: two epochs over
 * `count` samples, reporting the second (warm) epoch's rate.
 */
export async function engineLoopRate(
  tf: Tf,
  doc: LoomDocumentInput,
  data: Dataset,
  batchSize: number,
  engine: 'tfjs' | 'onnxruntime' = 'tfjs',
  threads?: number,
): Promise<number> {
  const graph = loadGraphFromText(JSON.stringify(doc));
  const { model, outputs } = compileGraph(tf, graph, { seed: 1 });
  const config = trainingConfigSchema.parse({ epochs: 2, batchSize, validationSplit: 0, optimizer: { name: 'adam' } });
  const rates: number[] = [];
  const onEvent = (e: { event: string; samplesPerSec?: number }) => e.event === 'epoch' && rates.push(e.samplesPerSec!);
  if (engine === 'onnxruntime') {
    const stepper = await OrtStepper.create({ graph, model, output: outputs[0], config, train: data, threads });
    await trainWithStepper({ stepper, output: outputs[0], train: data, config, onEvent });
    stepper.dispose();
  } else {
    await trainModel({ tf, model, output: outputs[0], train: data, config, onEvent });
  }
  model.dispose();
  return rates[rates.length - 1];
}

/** Samples/s of a minimal hand loop: Adam via optimizer.minimize, after `warmup` steps. */
export async function handLoopRate(tf: Tf, model: tfNs.LayersModel, data: Dataset, batchSize: number, steps: number, warmup = 2): Promise<number> {
  const opt = tf.train.adam(0.001);
  const per = data.inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(data.x.subarray(0, batchSize * per), [batchSize, ...data.inputShape]);
  const y = tf.tensor1d(Int32Array.from(data.y.subarray(0, batchSize)), 'int32');
  const yOne = tf.oneHot(y, 10);
  const step = () => {
    // Sparse categorical cross-entropy on softmax probabilities, as the engine computes it.
    const cost = opt.minimize(() => {
      const p = tf.clipByValue(model.apply(x, { training: true }) as tfNs.Tensor, 1e-7, 1);
      return tf.neg(tf.mean(tf.sum(tf.mul(yOne, tf.log(p)), -1))) as tfNs.Scalar;
    }, true);
    cost?.dataSync();
    cost?.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const rate = (steps * batchSize) / ((performance.now() - t0) / 1000);
  tf.dispose([x, y, yOne]);
  opt.dispose();
  model.dispose();
  return rate;
}
