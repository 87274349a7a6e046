/** Activation: applies an elementwise (or softmax) nonlinearity as its own node. */
import { z } from 'zod';
import { activationNames, elementsPerSample, expectInputs } from './common.js';
import { emitActivation } from '../onnx/ops.js';
import { sameAsInput } from './explain.js';
import type { LayerDef } from './types.js';

const params = z.object({
  fn: z.enum(activationNames).default('relu'),
  /**
   * Negative slope for leakyRelu (default 0.3, as tf.js/Keras); ignored by the others.
   * elu takes no alpha: tf.js 4.22's ELU layer throws NotImplemented for alpha ≠ 1.
   */
  alpha: z.number().nonnegative().optional(),
});

/** Rough FLOPs per element, for the cost column only. */
const flopsPerElement: Record<(typeof activationNames)[number], number> = {
  linear: 0,
  relu: 1,
  leakyRelu: 2,
  elu: 3,
  selu: 4,
  gelu: 8,
  sigmoid: 4,
  tanh: 5,
  softmax: 5,
  swish: 5,
};

/** The Activation layer kind. */
export const Activation: LayerDef<z.output<typeof params>> = {
  kind: 'Activation',
  category: 'activation',
  label: 'Activation',
  doc: 'Elementwise activation (relu, leakyRelu, elu, selu, gelu, sigmoid, tanh, softmax, swish).',
  paramDocs: { fn: 'The function applied to every value.', alpha: 'Negative slope of leakyRelu (default 0.3); the other functions ignore it.' },
  explainShape: (p, [s]) => sameAsInput(s, `${p.fn} is applied to every value`),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (_p, inputs) => {
    expectInputs('Activation', inputs, 1);
    return [inputs[0]];
  },
  cost: (p, [s]) => ({ params: 0, flops: flopsPerElement[p.fn] * elementsPerSample(s) }),
  toTfjs: (tf, p, name) => {
    // leakyRelu has no tf.js activation identifier, so it is its own layer. tf.js 'gelu' is
    // the exact erf form (not the tanh approximation 'gelu_new'); 'swish' is x·sigmoid(x).
    if (p.fn === 'leakyRelu') return tf.layers.leakyReLU({ name, alpha: p.alpha ?? 0.3 });
    return tf.layers.activation({ name, activation: p.fn });
  },
  // Elementwise, so the value keeps its layout; emitActivation puts softmax on the channel
  // axis of a channels-first value. An Identity keeps 'linear' a node of its own.
  toOnnx: (ctx, p, [x]) => {
    const y = emitActivation(ctx, x, p.fn, p.alpha ?? 0.3);
    return [y.name === x.name ? { ...x, name: ctx.node('Identity', [x.name])[0] } : y];
  },
  channelwise: 'same',
  examples: [
    { params: {}, inputs: [[null, 5]] },
    { params: { fn: 'leakyRelu', alpha: 0.1 }, inputs: [[null, 3, 4]] },
    { params: { fn: 'leakyRelu' }, inputs: [[null, 4]] },
    { params: { fn: 'elu' }, inputs: [[null, 4]] },
    { params: { fn: 'selu' }, inputs: [[null, 4]] },
    { params: { fn: 'gelu' }, inputs: [[null, 2, 2, 3]] },
    { params: { fn: 'sigmoid' }, inputs: [[null, 4]] },
    { params: { fn: 'tanh' }, inputs: [[null, 4]] },
    { params: { fn: 'softmax' }, inputs: [[null, 3, 5]] },
    { params: { fn: 'swish' }, inputs: [[null, 4]] },
    { params: { fn: 'linear' }, inputs: [[null, 4]] },
  ],
};
