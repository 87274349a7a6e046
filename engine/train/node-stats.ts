/**
 * Per-node statistics of a trained model, for the canvas (hover now, profiling heat later):
 * the L2 norm of each node's trainable weights, and the mean, standard deviation and
 * fraction of exact zeros (dead ReLUs) of its output on one batch. Layer names are node ids
 * (compile.ts), so the statistics key straight back to the graph.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';

/** Statistics of one node; absent fields were not measured (e.g. a node without weights). */
export interface NodeStats {
  weightNorm?: number;
  activationMean?: number;
  activationStd?: number;
  zeroFraction?: number;
}

/** L2 norm over all trainable weights of each layer that has some, by layer name. */
export async function weightNorms(tf: Tf, model: tfNs.LayersModel): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const layer of model.layers) {
    const ws = layer.trainableWeights.map((w) => w.read());
    if (!ws.length) continue;
    const sq = tf.tidy(() => tf.addN(ws.map((w) => tf.sum(tf.square(w)))));
    out[layer.name] = Math.sqrt((await sq.data())[0]);
    sq.dispose();
  }
  return out;
}

/** Mean, standard deviation and zero fraction of every layer's output on one input batch. */
export async function activationStats(
  tf: Tf,
  model: tfNs.LayersModel,
  batch: { x: Float32Array; shape: number[] },
): Promise<Record<string, Required<Pick<NodeStats, 'activationMean' | 'activationStd' | 'zeroFraction'>>>> {
  const layers = model.layers;
  const first = (o: tfNs.SymbolicTensor | tfNs.SymbolicTensor[]) => (Array.isArray(o) ? o[0] : o);
  // A probe sharing the trained layers; it owns no weights of its own, so it is not disposed.
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => first(l.output)) });
  const outs = tf.tidy(() => {
    const x = tf.tensor(batch.x, batch.shape, 'float32');
    const ys = probe.apply(x, { training: false }) as tfNs.Tensor | tfNs.Tensor[];
    return (Array.isArray(ys) ? ys : [ys]).map((y) => {
      const flat = y.toFloat().reshape([-1]);
      const { mean, variance } = tf.moments(flat);
      return tf.stack([mean, tf.sqrt(variance), tf.mean(tf.equal(flat, 0).toFloat())]);
    });
  });
  const result: Record<string, { activationMean: number; activationStd: number; zeroFraction: number }> = {};
  for (let i = 0; i < layers.length; i++) {
    const [activationMean, activationStd, zeroFraction] = await outs[i].data();
    result[layers[i].name] = { activationMean, activationStd, zeroFraction };
  }
  tf.dispose(outs);
  return result;
}

/**
 * Weight norms and activation statistics by node id. `aliases` maps nodes without a layer of
 * their own (Output nodes) to the node whose output they show.
 */
export async function nodeStatistics(
  tf: Tf,
  model: tfNs.LayersModel,
  batch: { x: Float32Array; shape: number[] },
  aliases: Record<string, string> = {},
): Promise<Record<string, NodeStats>> {
  const norms = await weightNorms(tf, model);
  const acts = await activationStats(tf, model, batch);
  const out: Record<string, NodeStats> = {};
  for (const name of Object.keys(acts)) out[name] = { ...(name in norms ? { weightNorm: norms[name] } : {}), ...acts[name] };
  for (const [alias, source] of Object.entries(aliases)) if (acts[source]) out[alias] = { ...acts[source] };
  return out;
}
