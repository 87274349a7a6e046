/**
 * Steps and scores on a supernet: one optimizer step of the shared weights along a path or a
 * relaxation, DARTS's gradient of the decision probabilities, and a path's accuracy with the
 * shared weights.
 *
 * They run on onnxruntime (the supernet compiled to ONNX graphs: onnx-compile.ts), falling
 * back to the tf.js walk when the supernet does not compile (`Supernet.onnxFallback` keeps
 * the reason). Either way the search's tf.js optimizer applies the gradients to the bank.
 *
 * Candidates are scored with BatchNorm on the statistics of the scored batch (no moving
 * averages): the shared moving averages mix every path that ran through a layer, which is why
 * SPOS re-estimates them per candidate and NAS-Bench-201's weight-sharing baselines turn
 * running statistics off. Batches of up to 256 keep those statistics stable.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../../engine/data/types.js';
import type { TargetPlan } from '../../engine/train/batches.js';
import type { TrainOptimizer } from '../../engine/train/optimizers.js';
import { withSeededMathRandom } from '../../engine/util/rng.js';
import type { Sample } from '../space/types.js';
import { batchAt, batchBounds, type Batch } from './data.js';
import type { MixWeights } from './forward.js';
import type { DrawnProbs } from './onnx-supernet.js';
import { pathUnits } from './path-units.js';
import type { Supernet } from './supernet.js';
import type { Picker } from './traverse.js';

/** Batch size for scoring. */
export const SCORE_BATCH = 256;

/**
 * Which network a step runs: a sampled path (a sample of the space), or a relaxation with
 * the probabilities of each option per decision of the space (DARTS's softmax(α)).
 */
export type Route = { path: Sample } | { relaxed: Record<string, number[]> };

/** Options of a weight step. */
export interface WeightStepOptions {
  /** Seeds dropout, so a resumed epoch repeats the uninterrupted one. */
  seed: number;
  auxSkip?: number;
  paramFreeDropout?: number;
}

/** The drawn space's probabilities of `route`: one-hot rows for a path. */
export function drawnProbs(net: Supernet, route: Route): DrawnProbs {
  const out: DrawnProbs = new Map();
  const drawn = 'path' in route ? net.space.toDrawn(route.path) : undefined;
  for (const d of net.structure.decisions.values()) {
    if (drawn) {
      const index = d.options.indexOf(drawn[d.name]);
      if (index < 0) throw new Error(`supernet: sample has no valid option for decision "${d.name}"`);
      const row = new Float32Array(d.options.length);
      row[index] = 1;
      out.set(d.name, row);
    } else {
      const p = (route as { relaxed: Record<string, number[]> }).relaxed[net.space.sourceOf(d.name)];
      if (!p || p.length !== d.options.length) throw new Error(`supernet: no probabilities of ${d.options.length} options for decision "${d.name}"`);
      out.set(d.name, Float32Array.from(p));
    }
  }
  return out;
}

/** The tf.js picker of `route` and the tensors it holds (the caller disposes them). */
function tfPicker(net: Supernet, route: Route): { picker: Picker<MixWeights>; held: tfNs.Tensor[] } {
  if ('path' in route) return { picker: net.path(route.path), held: [] };
  const probs = Object.fromEntries(Object.entries(route.relaxed).map(([k, v]) => [k, net.tf.tensor1d(v)]));
  return { picker: net.relaxed(probs), held: Object.values(probs) };
}

const unitsCache = new WeakMap<Supernet, Map<string, Set<string>>>();

/** Weight sets a path uses (cached per supernet and sample key). */
function unitsOf(net: Supernet, s: Sample): Set<string> {
  let m = unitsCache.get(net);
  if (!m) unitsCache.set(net, (m = new Map()));
  const key = net.space.key(s);
  let u = m.get(key);
  if (!u) m.set(key, (u = pathUnits(net.structure, net.path(s))));
  return u;
}

/** One step of the shared weights on `batch` along `route`; returns the loss. */
export async function weightStep(net: Supernet, opt: TrainOptimizer, batch: Batch, route: Route, o: WeightStepOptions): Promise<number> {
  const tf = net.tf;
  const vars = net.trainable();
  const exactPaths = 'path' in route;
  const opDropout = o.paramFreeDropout ?? 0;
  const auxSkip = (o.auxSkip ?? 0) > 0;
  const rt = await net.onnx({ kind: 'weights', exactPaths, opDropout: opDropout > 0 || undefined, auxSkip: auxSkip || undefined });
  if (rt) {
    const units = 'path' in route ? unitsOf(net, route.path) : null;
    const { loss, grads } = await rt.weightGradients(tf, batch, drawnProbs(net, route), units, {
      seed: o.seed,
      training: true,
      opDropout,
      auxBeta: o.auxSkip,
      exactPaths,
      auxSkip,
    });
    opt.apply(grads, vars);
    tf.dispose(Object.values(grads));
    return loss;
  }
  const { picker, held } = tfPicker(net, route);
  try {
    const { value, grads } = withSeededMathRandom(o.seed, () =>
      tf.variableGrads(() => net.loss(batch.x, batch.y, picker, { training: true, auxSkip: o.auxSkip, paramFreeDropout: o.paramFreeDropout }), vars),
    );
    opt.apply(grads, vars);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  } finally {
    tf.dispose(held);
  }
}

/**
 * DARTS's α step on onnxruntime: the loss of the relaxation `probs` (per decision of the
 * space) on `batch` with BatchNorm on batch statistics, and its gradient for each decision's
 * probabilities (summed over the drawn decisions it drives). Null when the supernet does not
 * compile to ONNX (the caller differentiates on tf.js).
 */
export async function probGradients(
  net: Supernet,
  batch: Batch,
  probs: Record<string, number[]>,
  o: WeightStepOptions,
): Promise<{ loss: number; grads: Record<string, number[]> } | null> {
  const opDropout = o.paramFreeDropout ?? 0;
  const auxSkip = (o.auxSkip ?? 0) > 0;
  const rt = await net.onnx({ kind: 'arch', exactPaths: false, opDropout: opDropout > 0 || undefined, auxSkip: auxSkip || undefined });
  if (!rt) return null;
  const { loss, grads } = await rt.probGradients(batch, drawnProbs(net, { relaxed: probs }), {
    seed: o.seed,
    training: false,
    opDropout,
    auxBeta: o.auxSkip,
    auxSkip,
  });
  const out: Record<string, number[]> = Object.fromEntries(Object.entries(probs).map(([k, v]) => [k, v.map(() => 0)]));
  for (const [d, g] of grads) {
    const src = out[net.space.sourceOf(d)];
    g.forEach((v, i) => (src[i] += v));
  }
  return { loss, grads: out };
}

/** Correct predictions of the path `s` on one batch (BatchNorm on the batch's statistics). */
export async function correctOn(net: Supernet, batch: Batch, s: Sample): Promise<number> {
  const rt = await net.onnx({ kind: 'score', exactPaths: true });
  let got: ArrayLike<number>;
  if (rt) {
    const pred = await rt.predict(batch, drawnProbs(net, { path: s }), true);
    const width = pred.length / batch.labels.length;
    got = Int32Array.from({ length: batch.labels.length }, (_, r) => {
      let best = 0;
      for (let j = 1; j < width; j++) if (pred[r * width + j] > pred[r * width + best]) best = j;
      return best;
    });
  } else {
    const tf = net.tf;
    const pred = tf.tidy(() => tf.argMax(net.forward(batch.x, net.path(s), { batchStats: true }), -1));
    got = pred.dataSync();
    pred.dispose();
  }
  let correct = 0;
  for (let i = 0; i < got.length; i++) if (got[i] === batch.labels[i]) correct++;
  return correct;
}

/** Accuracy of the path `s` over a whole dataset, in near-equal batches of at most {@link SCORE_BATCH}. */
export async function accuracyOn(net: Supernet, ds: Dataset, plan: TargetPlan, s: Sample): Promise<number> {
  const order = Int32Array.from({ length: ds.count }, (_, i) => i);
  const bounds = batchBounds(ds.count, SCORE_BATCH);
  let correct = 0;
  for (let b = 0; b + 1 < bounds.length; b++) {
    const batch = batchAt(net.tf, ds, plan, order, bounds[b], bounds[b + 1]);
    try {
      correct += await correctOn(net, batch, s);
    } finally {
      net.tf.dispose([batch.x, batch.y]);
    }
  }
  return correct / ds.count;
}
