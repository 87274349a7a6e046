/**
 * Evaluation metrics in plain JavaScript over typed arrays: no tf, so they run anywhere
 * (server, worker, tests) and give exact, easily checked values.
 */

/** Numeric array input accepted by every metric. */
export type Numbers = ArrayLike<number>;

/** Row-wise argmax of a `[count, numClasses]` score matrix. */
export function argmaxRows(scores: Numbers, numClasses: number): Int32Array {
  const count = Math.floor(scores.length / numClasses);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      const v = scores[i * numClasses + c];
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Fraction of positions where the predicted class equals the true one (0 for no samples). */
export function accuracy(yTrue: Numbers, yPred: Numbers): number {
  if (yTrue.length === 0) return 0;
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** `cm[t][p]` counts samples of true class `t` predicted as `p`. */
export function confusionMatrix(yTrue: Numbers, yPred: Numbers, numClasses: number): number[][] {
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (t >= 0 && t < numClasses && p >= 0 && p < numClasses) cm[t][p]++;
  }
  return cm;
}

/** Per-class and macro-averaged precision, recall and F1. */
export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  perClass: { precision: number; recall: number; f1: number; support: number }[];
}

/**
 * Precision/recall/F1 from a confusion matrix, macro-averaged over all classes (each class
 * counts equally, whatever its size). A class never predicted has precision 0, one with no
 * samples has recall 0 (scikit-learn's `zero_division=0`).
 */
export function classReport(cm: number[][]): ClassReport {
  const n = cm.length;
  const perClass: ClassReport['perClass'] = [];
  for (let c = 0; c < n; c++) {
    const tp = cm[c][c];
    let predicted = 0;
    let support = 0;
    for (let k = 0; k < n; k++) {
      predicted += cm[k][c];
      support += cm[c][k];
    }
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
  }
  const mean = (k: 'precision' | 'recall' | 'f1') => (n === 0 ? 0 : perClass.reduce((a, r) => a + r[k], 0) / n);
  return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), perClass };
}

/** Points of a ROC curve (from (0,0) to (1,1)) and the area under it. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score threshold at each point (`Infinity` for the first point). */
  thresholds: number[];
  auc: number;
}

/** Trapezoidal area under a piecewise-linear curve. */
export function trapezoidArea(x: number[], y: number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return a;
}

/**
 * Binary ROC curve: `labels` are 0/1 (anything non-zero is positive), higher `scores` mean
 * more positive. Tied scores form one step, so ties get half credit in the AUC. Returns
 * null when there are no positives or no negatives (AUC undefined).
 */
export function rocCurve(labels: Numbers, scores: Numbers): RocCurve | null {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i]) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const idx = order[i];
    if (labels[idx]) tp++;
    else fp++;
    // Emit a point only after the last of a run of equal scores.
    if (i === n - 1 || scores[order[i + 1]] !== scores[idx]) {
      fpr.push(fp / neg);
      tpr.push(tp / pos);
      thresholds.push(scores[idx]);
    }
  }
  return { fpr, tpr, thresholds, auc: trapezoidArea(fpr, tpr) };
}

/** ROC result for a whole classification problem. */
export interface RocReport {
  /** Binary AUC, or the macro mean of one-vs-rest AUCs over classes where it is defined. */
  auc: number;
  /** One curve per class (one-vs-rest); for 2 classes, index 1 is the positive class. */
  curves: (RocCurve | null)[];
}

/**
 * ROC AUC from class probabilities `[count, numClasses]`. With two classes it is the
 * ordinary binary AUC of class 1; with more, the unweighted mean of one-vs-rest AUCs
 * (classes without positives or negatives are skipped). Null when no AUC is defined.
 */
export function rocReport(yTrue: Numbers, probs: Numbers, numClasses: number): RocReport | null {
  const count = yTrue.length;
  const curves: (RocCurve | null)[] = [];
  for (let c = 0; c < numClasses; c++) {
    if (numClasses === 2 && c === 0) {
      curves.push(null);
      continue;
    }
    const labels = new Uint8Array(count);
    const scores = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = yTrue[i] === c ? 1 : 0;
      scores[i] = probs[i * numClasses + c];
    }
    curves.push(rocCurve(labels, scores));
  }
  const defined = curves.filter((r): r is RocCurve => r !== null);
  if (defined.length === 0) return null;
  return { auc: defined.reduce((a, r) => a + r.auc, 0) / defined.length, curves };
}

/** Mean squared error over all elements. */
export function meanSquaredError(yTrue: Numbers, yPred: Numbers): number {
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    s += d * d;
  }
  return s / yTrue.length;
}

/** Mean absolute error over all elements. */
export function meanAbsoluteError(yTrue: Numbers, yPred: Numbers): number {
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/**
 * At most `max` indices of `0..n-1`, evenly spread, always keeping the first and the last
 * (so a thinned curve still starts and ends where the full one does).
 */
export function evenlySpacedIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [n - 1];
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** A ROC curve thinned to at most `max` points (the AUC stays the exact one). */
export function thinRocCurve(curve: RocCurve, max: number): { fpr: number[]; tpr: number[]; auc: number } {
  const keep = evenlySpacedIndices(curve.fpr.length, max);
  return { fpr: keep.map((i) => curve.fpr[i]), tpr: keep.map((i) => curve.tpr[i]), auc: curve.auc };
}

/** One wrongly classified sample. */
export interface Mistake {
  index: number;
  trueClass: number;
  predictedClass: number;
  /** Probability the model gave its (wrong) prediction. */
  confidence: number;
}

/**
 * The samples whose predicted class (row-wise argmax of `scores`) differs from the true one,
 * the most confident mistakes first (ties by index), at most `limit` of them.
 */
export function misclassified(yTrue: Numbers, scores: Numbers, numClasses: number, limit: number): Mistake[] {
  const pred = argmaxRows(scores, numClasses);
  const out: Mistake[] = [];
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] !== yTrue[i]) out.push({ index: i, trueClass: yTrue[i], predictedClass: pred[i], confidence: scores[i * numClasses + pred[i]] });
  }
  out.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return out.slice(0, Math.max(0, limit));
}
