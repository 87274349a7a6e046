/**
 * Runs a model over a dataset in batches, in inference mode and without gradients, and
 * reports its loss, its predictions and the classification or regression metrics.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import type { Tf } from '../layers/types.js';
import { gatherRows, makeTargetTensor, planTargets, sizeOf } from './batches.js';
import { assertLossName, computeLoss, type LossName } from './losses.js';
import {
  accuracy,
  argmaxRows,
  classReport,
  confusionMatrix,
  meanAbsoluteError,
  meanSquaredError,
  rocReport,
  type ClassReport,
  type RocCurve,
} from './metrics.js';

/** Options for `evaluateModel`. */
export interface EvaluateOptions {
  loss: LossName | string;
  fromLogits: boolean;
  /** Samples per forward pass (default 256). */
  batchSize?: number;
  /** Targets are the inputs (autoencoders). */
  targetIsInput?: boolean;
}

/** Metrics of a classification evaluation. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Macro averages over classes. */
  precision: number;
  recall: number;
  f1: number;
  /** Precision, recall, F1 and support of each class (index = class id). */
  perClass: ClassReport['perClass'];
  /** Binary AUC or one-vs-rest macro AUC; absent when undefined (a single class present). */
  auc?: number;
  /** `confusion[true][predicted]`. */
  confusion: number[][];
  /** One-vs-rest ROC curve per class (for two classes, index 1 is the positive class). */
  roc: (RocCurve | null)[];
}

/** What `evaluateModel` returns. */
export interface EvaluationResult {
  /** Mean data loss (no regularization). */
  loss: number;
  count: number;
  /**
   * Model outputs, `count × outputSize`, row-major. For classification these are
   * probabilities (softmax/sigmoid applied when the output is logits).
   */
  predictions: Float32Array;
  /** Per-sample output shape. */
  outputShape: number[];
  /** Present for classification. */
  classification?: ClassificationMetrics;
  /** Present for regression / reconstruction. */
  regression?: { mse: number; mae: number };
}

/** Turns raw outputs into probabilities when they are logits. */
function toProbabilities(tf: Tf, out: tfNs.Tensor, loss: LossName, fromLogits: boolean): tfNs.Tensor {
  if (!fromLogits) return out;
  const units = out.shape[out.shape.length - 1] as number;
  return units === 1 || loss === 'binaryCrossentropy' ? tf.sigmoid(out) : tf.softmax(out);
}

/**
 * Class-probability rows `[count, numClasses]` from model probabilities: a single sigmoid
 * unit p becomes [1 − p, p].
 */
export function classProbabilities(probs: Float32Array, count: number, units: number): { scores: Float32Array; numClasses: number } {
  if (units !== 1) return { scores: probs, numClasses: units };
  const scores = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    scores[2 * i] = 1 - probs[i];
    scores[2 * i + 1] = probs[i];
  }
  return { scores, numClasses: 2 };
}

/** All classification metrics from true class indices and class-probability rows. */
export function classificationMetrics(yTrue: ArrayLike<number>, scores: Float32Array, numClasses: number): ClassificationMetrics {
  const pred = argmaxRows(scores, numClasses);
  const confusion = confusionMatrix(yTrue, pred, numClasses);
  const rep = classReport(confusion);
  const roc = rocReport(yTrue, scores, numClasses);
  return {
    accuracy: accuracy(yTrue, pred),
    precision: rep.precision,
    recall: rep.recall,
    f1: rep.f1,
    perClass: rep.perClass,
    ...(roc ? { auc: roc.auc } : {}),
    confusion,
    roc: roc ? roc.curves : [],
  };
}

/** Evaluates `model` on every sample of `ds` (single-input, single-output models). */
export async function evaluateModel(tf: Tf, model: tfNs.LayersModel, ds: Dataset, opts: EvaluateOptions): Promise<EvaluationResult> {
  assertLossName(opts.loss);
  const loss = opts.loss;
  const plan = planTargets(ds, loss, model.outputs[0].shape, opts.targetIsInput ?? false);
  const batchSize = opts.batchSize ?? 256;
  const outputShape = (model.outputs[0].shape.slice(1) as number[]).map((d) => d ?? -1);
  const units = outputShape[outputShape.length - 1] ?? 1;
  const predictions = new Float32Array(ds.count * sizeOf(outputShape));
  const xSize = sizeOf(ds.inputShape);
  const all = Int32Array.from({ length: ds.count }, (_, i) => i);
  let lossSum = 0;
  for (let start = 0; start < ds.count; start += batchSize) {
    const end = Math.min(ds.count, start + batchSize);
    const xv = gatherRows(ds.x, xSize, all, start, end);
    const [lossT, probsT] = tf.tidy(() => {
      const x = tf.tensor(xv, [end - start, ...ds.inputShape], 'float32');
      const y = makeTargetTensor(tf, ds, plan, all, start, end, xv);
      const out = model.apply(x, { training: false }) as tfNs.Tensor;
      return [computeLoss(tf, loss, y, out, opts.fromLogits), toProbabilities(tf, out, loss, opts.fromLogits)];
    });
    lossSum += (await lossT.data())[0] * (end - start);
    predictions.set(await probsT.data(), start * sizeOf(outputShape));
    tf.dispose([lossT, probsT]);
  }
  const result: EvaluationResult = { loss: ds.count ? lossSum / ds.count : 0, count: ds.count, predictions, outputShape };
  if (ds.task === 'classification' && !plan.fromInput) {
    const { scores, numClasses } = classProbabilities(predictions, ds.count, units);
    result.classification = classificationMetrics(ds.y, scores, numClasses);
  } else {
    const targets = plan.fromInput ? ds.x : ds.y;
    result.regression = { mse: meanSquaredError(targets, predictions), mae: meanAbsoluteError(targets, predictions) };
  }
  return result;
}
