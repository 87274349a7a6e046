/**
 * A whole residual network's training step against tf.js: 'same' convs (the per-tap filter
 * gradients and flipped-weight input gradients of grads/conv-taps.ts, stride 1 and 2, 3×3 and
 * 1×1), training-mode BatchNorm (the fused gradient region), ReLU, residual Add with a
 * projection, global average pooling and Dense. Loss, every weight's gradient and the
 * BatchNorm moving statistics must match tf.js's (cpu backend) to 1e-4, as the per-layer
 * conformance test requires.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, it } from 'vitest';
import { compileGraph } from '../../compile/compile.js';
import { loadGraphFromText } from '../../graph/load.js';
import { Rng } from '../../util/rng.js';
import { trainingConfigSchema } from '../config.js';
import { computeLoss } from '../losses.js';
import { expectClose } from './ort-test-util.testkit.js';
import { compileStep } from './step-model.js';

const BATCH = 5;

/** Stem conv-BN-ReLU, one stride-2 basic block with a 1×1 projection, one stride-1 block, GAP, Dense. */
function residualDoc() {
  const nodes: { id: string; kind: string; params: Record<string, unknown> }[] = [];
  const edges: { source: string; target: string }[] = [];
  const add = (id: string, kind: string, params: Record<string, unknown>, from: string[]) => {
    nodes.push({ id, kind, params });
    for (const f of from) edges.push({ source: f, target: id });
    return id;
  };
  const conv = (id: string, filters: number, k: number, s: number, from: string) =>
    add(id, 'Conv2D', { filters, kernelSize: k, strides: s, padding: 'same', useBias: false }, [from]);
  const bn = (id: string, from: string) => add(id, 'BatchNorm', { momentum: 0.9 }, [from]);
  const relu = (id: string, from: string) => add(id, 'Activation', { fn: 'relu' }, [from]);
  let x = add('x', 'Input', { shape: [7, 6, 3] }, []);
  x = relu('stem_relu', bn('stem_bn', conv('stem', 4, 3, 1, x)));
  const block = (p: string, filters: number, stride: number) => {
    const a = relu(`${p}_ra`, bn(`${p}_ba`, conv(`${p}_ca`, filters, 3, stride, x)));
    const b = bn(`${p}_bb`, conv(`${p}_cb`, filters, 3, 1, a));
    const skip = stride === 1 ? x : conv(`${p}_proj`, filters, 1, stride, x);
    x = relu(`${p}_out`, add(`${p}_add`, 'Add', {}, [b, skip]));
  };
  block('b1', 6, 2);
  block('b2', 6, 1);
  add('gap', 'GlobalAvgPool', {}, [x]);
  add('logits', 'Dense', { units: 3, activation: 'softmax' }, ['gap']);
  add('y', 'Output', { loss: 'sparseCategoricalCrossentropy' }, ['logits']);
  return { version: 1, nodes, edges };
}

describe('residual network training step', () => {
  it('matches tf.js: loss, every gradient, BatchNorm moving statistics', async () => {
    const graph = loadGraphFromText(JSON.stringify(residualDoc()));
    const { model, outputs } = compileGraph(tf, graph, { seed: 3 });
    const rng = new Rng(11);
    const inShape = [BATCH, 7, 6, 3];
    const xData = Float32Array.from({ length: inShape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
    const yData = Int32Array.from({ length: BATCH }, () => rng.int(3));
    const config = trainingConfigSchema.parse({ optimizer: { name: 'sgd', learningRate: 0.1 } });
    const step = compileStep(graph, model, outputs[0], config, { targetShape: [], numClasses: 3, exposeGradients: true });
    const session = await ort.InferenceSession.create(step.train);
    const feeds: Record<string, ort.Tensor> = {
      [step.inputName]: new ort.Tensor('float32', xData, inShape),
      [step.targetName]: new ort.Tensor('int32', yData, [BATCH]),
      [step.batchName]: new ort.Tensor('float32', Float32Array.of(BATCH), []),
      [step.lrName]: new ort.Tensor('float32', Float32Array.of(0.1), []),
      [step.stepName]: new ort.Tensor('float32', Float32Array.of(1), []),
    };
    for (const p of [...step.params, ...step.states]) {
      feeds[p.name] = new ort.Tensor('float32', model.getLayer(p.node).getWeights()[p.index].dataSync() as Float32Array, p.shape);
    }
    for (const s of step.optState) feeds[s.input] = new ort.Tensor('float32', new Float32Array(s.shape.reduce((a, b) => a * b, 1)), s.shape);
    const out = await session.run(feeds);
    await session.release();

    const x = tf.tensor(xData, inShape);
    const y = tf.tensor1d(yData, 'int32');
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => computeLoss(tf, 'sparseCategoricalCrossentropy', y, model.apply(x, { training: true }) as tf.Tensor, false),
      vars,
    );
    expectClose([out[step.outputs.loss].data[0] as number], [value.dataSync()[0]], 'loss', 1e-5);
    step.params.forEach((p, i) => {
      const w = model.getLayer(p.node).weights[p.index];
      const g = grads[w.originalName ?? w.name] ?? grads[(w.read() as tf.Variable).name];
      expectClose(out[step.outputs.grads![i]].data as Float32Array, g.dataSync(), `gradient of ${p.name}`, 1e-4);
    });
    step.states.forEach((st, i) => {
      expectClose(out[step.outputs.states[i]].data as Float32Array, model.getLayer(st.node).getWeights()[st.index].dataSync(), `state ${st.name}`, 1e-4);
    });
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
  });
});
