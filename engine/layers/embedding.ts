/** Embedding: maps integer token ids to learned dense vectors. */
import { z } from 'zod';
import { expectInputs, expectRank, posInt, regularizerFields, tfRegularizer } from './common.js';
import { attr } from '../onnx/values.js';
import { fmtShape } from './common.js';
import type { LayerDef } from './types.js';

const params = z.object({
  /** Vocabulary size: ids must lie in [0, inputDim). */
  inputDim: posInt,
  /** Length of each embedding vector. */
  outputDim: posInt,
  ...regularizerFields,
});

/** The Embedding layer kind. */
export const Embedding: LayerDef<z.output<typeof params>> = {
  kind: 'Embedding',
  category: 'embedding',
  label: 'Embedding',
  doc: 'Looks up a learned vector per integer id: [batch, steps] -> [batch, steps, outputDim].',
  paramDocs: { inputDim: 'Vocabulary size: every id must lie in [0, inputDim).', outputDim: 'Length of the vector learned for each id.' },
  explainShape: (p, [s], [o]) => `each of the ${s[1] ?? '?'} integer ids becomes a vector of outputDim = ${p.outputDim}: ${fmtShape(s)} -> ${fmtShape(o)}`,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params,
  inferShape: (p, inputs) => {
    expectInputs('Embedding', inputs, 1);
    const [s] = inputs;
    expectRank('Embedding', s, [2], 'Embedding takes integer ids [batch, steps] (an Input with dtype int32); add Reshape or Flatten before it');
    return [[s[0], s[1], p.outputDim]];
  },
  // A lookup: no multiply-adds.
  cost: (p) => ({ params: p.inputDim * p.outputDim, flops: 0 }),
  toTfjs: (tf, p, name) =>
    tf.layers.embedding({
      name,
      inputDim: p.inputDim,
      outputDim: p.outputDim,
      embeddingsRegularizer: tfRegularizer(tf, p),
    }),
  toOnnx: (ctx, p, [ids], [embeddings], name) => {
    // Gather rows of the [inputDim, outputDim] matrix. ONNX Gather accepts int32 indices, but
    // nothing stops a float32 Input from feeding Embedding (tf.js casts it, truncating), and
    // Gather rejects float indices: the Cast to int32 (6) truncates the same way and is a
    // no-op for int32 ids.
    const table = ctx.param(`${name}_embeddings`, embeddings, 0);
    const [idx] = ctx.node('Cast', [ids.name], { to: attr.i(6) });
    const [out] = ctx.node('Gather', [table, idx], { axis: attr.i(0) });
    return [{ name: out, shape: [ids.shape[0], ids.shape[1], p.outputDim], layout: 'last' }];
  },
  examples: [
    { params: { inputDim: 20, outputDim: 4 }, inputs: [[null, 6]], intRange: 20 },
    { params: { inputDim: 50, outputDim: 3, l2: 0.001 }, inputs: [[null, null]], intRange: 50 },
  ],
};
