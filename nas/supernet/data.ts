/**
 * The data of a weight-sharing search: the dataset split into the half that trains the shared
 * weights and the half that scores architectures (DARTS updates α on it, ENAS rewards its
 * controller with it, SPOS's evolution ranks candidates by it), following DARTS's protocol of
 * splitting the training set in two. Batches are gathered in a seeded order per epoch, so a
 * resumed epoch sees the batches an uninterrupted one would have.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { subset } from '../../engine/data/split.js';
import type { Dataset } from '../../engine/data/types.js';
import { inferShapes } from '../../engine/graph/infer.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { fitDataset } from '../../engine/jobs/fit-data.js';
import type { Tf } from '../../engine/layers/types.js';
import { makeTargetTensor, planTargets, sizeOf, type TargetPlan } from '../../engine/train/batches.js';
import type { LossName } from '../../engine/train/losses.js';
import { hashString, Rng } from '../../engine/util/rng.js';
import { loadTrainVal } from '../evaluators/data.js';

/** What to load. */
export interface SearchDataOptions {
  dataset: string;
  target?: string;
  seed: number;
  /** Training samples (seeded subset). */
  limit?: number;
  /** Validation samples (seeded subset). */
  valLimit?: number;
  /** Fraction held out for scoring architectures when the dataset ships no test split (default 0.5). */
  valFraction?: number;
}

/** Training and validation sets, fitted to the space's Input and Output. */
export interface SearchData {
  train: Dataset;
  val: Dataset;
  plan: TargetPlan;
  classes: number;
}

/** One batch of tensors (the caller disposes them). */
export interface Batch {
  x: tfNs.Tensor;
  y: tfNs.Tensor;
  /** Class indices, for accuracy. */
  labels: Float32Array;
}

/**
 * Loads and splits the data; `doc` is any concrete candidate (Input and Output are the same
 * for all). Weight-sharing search scores candidates by accuracy, so the task must be
 * classification.
 */
export async function loadSearchData(o: SearchDataOptions, doc: LoomDocument, loss: LossName): Promise<SearchData> {
  const split = await loadTrainVal(o.dataset, { target: o.target, seed: o.seed, validationSplit: o.valFraction ?? 0.5 });
  const graph = validateDocument(doc);
  const shapes = inferShapes(graph);
  const fit = (ds: Dataset, n: number | undefined) => fitDataset(graph, shapes, n && ds.count > n ? subset(ds, n, o.seed) : ds, { targetIsInput: false });
  const train = fit(split.train, o.limit);
  const val = fit(split.val, o.valLimit);
  if (train.task !== 'classification' || !train.numClasses) {
    throw new Error(`weight-sharing search scores candidates by accuracy: dataset "${o.dataset}" is not a classification set`);
  }
  const outId = graph.order.find((id) => graph.nodes.get(id)!.kind === 'Output')!;
  const plan = planTargets(train, loss, shapes.get(outId)![0], false);
  return { train, val, plan, classes: train.numClasses };
}

/** A seeded order of `n` samples for one epoch (independent of how many epochs ran before). */
export function epochOrder(n: number, seed: number, epoch: number, stream = 'train'): Int32Array {
  return new Rng(hashString(`${seed}:${stream}:${epoch}`)).permutation(n);
}

/** Sample indices `order[start..end)` as a batch. */
export function batchAt(tf: Tf, ds: Dataset, plan: TargetPlan, order: ArrayLike<number>, start: number, end: number): Batch {
  const per = sizeOf(ds.inputShape);
  const n = end - start;
  const x = new Float32Array(n * per);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = order[start + i];
    x.set(ds.x.subarray(r * per, (r + 1) * per), i * per);
    labels[i] = ds.y[r];
  }
  return { x: tf.tensor(x, [n, ...ds.inputShape]), y: makeTargetTensor(tf, ds, plan, order, start, end), labels };
}

/** Start offsets of `ceil(n / size)` near-equal batches (no tiny last batch for batch statistics). */
export function batchBounds(n: number, size: number): number[] {
  const k = Math.max(1, Math.ceil(n / size));
  return Array.from({ length: k + 1 }, (_, i) => Math.round((i * n) / k));
}
