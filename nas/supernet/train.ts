/**
 * Steps and scores on a supernet: one optimizer step of the shared weights along a path or a
 * relaxation, and a path's accuracy with the shared weights.
 *
 * Candidates are scored with BatchNorm on the statistics of the scored batch (no moving
 * averages): the shared moving averages mix every path that ran through a layer, which is why
 * SPOS re-estimates them per candidate and NAS-Bench-201's weight-sharing baselines turn
 * running statistics off. Batches of up to 256 keep those statistics stable.
 */
import type { Dataset } from '../../engine/data/types.js';
import type { TargetPlan } from '../../engine/train/batches.js';
import type { TrainOptimizer } from '../../engine/train/optimizers.js';
import { withSeededMathRandom } from '../../engine/util/rng.js';
import { batchAt, batchBounds, type Batch } from './data.js';
import type { MixWeights } from './forward.js';
import type { Supernet } from './supernet.js';
import type { Picker } from './traverse.js';

/** Batch size for scoring. */
export const SCORE_BATCH = 256;

/**
 * One step of the shared weights on `batch` along `picker`; returns the loss. `seed` seeds
 * dropout, so a resumed epoch repeats the uninterrupted one.
 */
export function weightStep(net: Supernet, opt: TrainOptimizer, batch: Batch, picker: Picker<MixWeights>, o: { seed: number; auxSkip?: number; paramFreeDropout?: number }): number {
  const tf = net.tf;
  const vars = net.trainable();
  const { value, grads } = withSeededMathRandom(o.seed, () =>
    tf.variableGrads(() => net.loss(batch.x, batch.y, picker, { training: true, auxSkip: o.auxSkip, paramFreeDropout: o.paramFreeDropout }), vars),
  );
  opt.apply(grads, vars);
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

/** Correct predictions of `picker` on one batch (BatchNorm on the batch's statistics). */
export function correctOn(net: Supernet, batch: Batch, picker: Picker<MixWeights>, o: { auxSkip?: number } = {}): number {
  const tf = net.tf;
  const pred = tf.tidy(() => tf.argMax(net.forward(batch.x, picker, { batchStats: true, auxSkip: o.auxSkip }), -1));
  const got = pred.dataSync();
  pred.dispose();
  let correct = 0;
  for (let i = 0; i < got.length; i++) if (got[i] === batch.labels[i]) correct++;
  return correct;
}

/** Accuracy of `picker` over a whole dataset, in near-equal batches of at most {@link SCORE_BATCH}. */
export function accuracyOn(net: Supernet, ds: Dataset, plan: TargetPlan, picker: Picker<MixWeights>, o: { auxSkip?: number } = {}): number {
  const order = Int32Array.from({ length: ds.count }, (_, i) => i);
  const bounds = batchBounds(ds.count, SCORE_BATCH);
  let correct = 0;
  for (let b = 0; b + 1 < bounds.length; b++) {
    const batch = batchAt(net.tf, ds, plan, order, bounds[b], bounds[b + 1]);
    try {
      correct += correctOn(net, batch, picker, o);
    } finally {
      net.tf.dispose([batch.x, batch.y]);
    }
  }
  return correct / ds.count;
}
