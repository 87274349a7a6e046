/**
 * A candidate out of the supernet as a standalone network: its concrete graph (the space's
 * own materialization, so it opens in the designer and exports like any graph) compiled to a
 * tf.js model, with the weights the supernet used along that path copied in.
 *
 * The weights are taken from one recording forward pass along the path, so each layer gets
 * exactly the rows and columns of the shared tensors the path read. Moving statistics of
 * BatchNorm are the supernet's shared ones unless `recalibrate` gives training batches: then
 * each BatchNorm gets the exact mean and variance of its input over those batches on this
 * path (SPOS re-estimates them per candidate for the same reason: shared statistics mix every
 * path that ran through a layer).
 */
import type * as tfNs from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/compile.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { validateDocument, type Graph } from '../../engine/graph/validate.js';
import { saveModelWeights, type SavedTensor } from '../../engine/train/saved-tensor.js';
import type { Sample } from '../space/types.js';
import type { Supernet } from './supernet.js';

/** A sub-network taken out of a supernet. */
export interface Extracted {
  doc: LoomDocument;
  graph: Graph;
  /** The compiled graph holding the path's weights; the caller disposes it. */
  model: tfNs.LayersModel;
  /** The same weights as a checkpoint-ready snapshot (keyed `layer/weight`). */
  weights: SavedTensor[];
}

/** Options of {@link extractSubnet}. */
export interface ExtractOptions {
  /** Input batches to re-estimate BatchNorm statistics on this path (features only). */
  recalibrate?: tfNs.Tensor[];
}

/** Extracts the sub-network of sample `s` (a sample of `net.space`). */
export async function extractSubnet(net: Supernet, s: Sample, options: ExtractOptions = {}): Promise<Extracted> {
  const tf = net.tf;
  const doc = net.space.drawn.materialize(net.space.toDrawn(s));
  const graph = validateDocument(doc);
  const compiled = compileGraph(tf, graph, { seed: net.seed });
  const record = new Map<string, tfNs.Tensor[]>();
  try {
    const shape = graph.nodes.get(net.structure.inputId)!.params.shape as number[];
    tf.tidy(() => {
      net.forward(tf.zeros([1, ...shape]), net.path(s), { record });
    });
    for (const layer of compiled.model.layers) {
      if (layer.weights.length === 0) continue;
      const w = record.get(layer.name);
      if (!w) throw new Error(`supernet: the path does not reach layer "${layer.name}" of the extracted graph`);
      layer.setWeights(w);
    }
    if (options.recalibrate?.length) recalibrate(net, compiled.model, options.recalibrate);
    return { doc, graph, model: compiled.model, weights: await saveModelWeights(compiled.model) };
  } catch (e) {
    compiled.model.dispose();
    throw e;
  } finally {
    for (const ts of record.values()) tf.dispose(ts);
  }
}

/**
 * Sets every BatchNorm's moving mean and variance of `model` to the average batch statistics
 * of its input over `batches`, running the extracted model itself (so statistics are exactly
 * those of this candidate).
 */
function recalibrate(net: Supernet, model: tfNs.LayersModel, batches: tfNs.Tensor[]): void {
  const tf = net.tf;
  const bns = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  if (bns.length === 0) return;
  const probe = tf.model({ inputs: model.inputs, outputs: bns.map((l) => l.input as tfNs.SymbolicTensor) });
  // Per BatchNorm: running sums of E[x] and E[x^2] over the batches (kept across tidies).
  let sums: tfNs.Tensor[] = [];
  for (const x of batches) {
    const next = tf.tidy(() => {
      const outs = probe.predict(x) as tfNs.Tensor | tfNs.Tensor[];
      return (Array.isArray(outs) ? outs : [outs]).flatMap((t, i) => {
        const { mean, variance } = tf.moments(
          t,
          t.shape.slice(0, -1).map((_, k) => k),
        );
        const m2 = tf.add(variance, tf.square(mean));
        return sums.length ? [tf.add(sums[2 * i], mean), tf.add(sums[2 * i + 1], m2)] : [mean, m2];
      });
    });
    tf.dispose(sums);
    sums = next;
  }
  bns.forEach((l, i) => {
    tf.tidy(() => {
      const mean = tf.div(sums[2 * i], batches.length);
      const variance = tf.sub(tf.div(sums[2 * i + 1], batches.length), tf.square(mean));
      const weights = l.weights.map((w) => {
        const name = w.originalName.split('/').pop();
        return name === 'moving_mean' ? mean : name === 'moving_variance' ? variance : w.read();
      });
      l.setWeights(weights);
    });
  });
  tf.dispose(sums);
}
