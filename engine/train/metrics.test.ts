import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  classReport,
  confusionMatrix,
  evenlySpacedIndices,
  meanAbsoluteError,
  misclassified,
  meanSquaredError,
  rocCurve,
  rocReport,
  thinRocCurve,
  trapezoidArea,
} from './metrics.js';

describe('classification metrics', () => {
  // 10 samples, 3 classes, worked out by hand:
  //   true: 0 0 0 0 1 1 1 2 2 2
  //   pred: 0 0 1 2 1 1 0 2 2 1
  const yTrue = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const yPred = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];

  it('accuracy and confusion matrix', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(6 / 10, 12);
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  it('macro precision / recall / F1', () => {
    const rep = classReport(confusionMatrix(yTrue, yPred, 3));
    // precision: class0 2/3, class1 2/4, class2 2/3; recall: 2/4, 2/3, 2/3
    const p = [2 / 3, 1 / 2, 2 / 3];
    const r = [1 / 2, 2 / 3, 2 / 3];
    const f = p.map((pi, i) => (2 * pi * r[i]) / (pi + r[i]));
    expect(rep.precision).toBeCloseTo((p[0] + p[1] + p[2]) / 3, 12);
    expect(rep.recall).toBeCloseTo((r[0] + r[1] + r[2]) / 3, 12);
    expect(rep.f1).toBeCloseTo((f[0] + f[1] + f[2]) / 3, 12);
    expect(rep.perClass.map((c) => c.support)).toEqual([4, 3, 3]);
  });

  it('a class never predicted has precision 0', () => {
    const rep = classReport(confusionMatrix([0, 1], [0, 0], 2));
    expect(rep.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(rep.perClass[0].precision).toBe(0.5);
  });

  it('argmaxRows', () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.2, 0.3], 3))).toEqual([1, 0]);
  });
});

describe('ROC / AUC', () => {
  it('perfect, reversed and known rankings', () => {
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])?.auc).toBe(1);
    expect(rocCurve([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])?.auc).toBe(0);
    // Scores ranked high→low: P N P N → pairs (pos>neg): p1 beats n1,n2; p2 beats n2 → 3/4.
    const r = rocCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6]);
    expect(r?.auc).toBeCloseTo(0.75, 12);
    expect(r?.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r?.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('ties get half credit', () => {
    expect(rocCurve([1, 0], [0.5, 0.5])?.auc).toBeCloseTo(0.5, 12);
  });

  it('undefined without both classes', () => {
    expect(rocCurve([1, 1], [0.2, 0.3])).toBeNull();
  });

  it('binary report uses class 1 and multi-class averages one-vs-rest', () => {
    const bin = rocReport([0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3], 2);
    expect(bin?.auc).toBe(1);
    // 3 classes, each perfectly separated by its own column → macro AUC 1.
    const probs = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1];
    const multi = rocReport([0, 1, 2, 0], probs, 3);
    expect(multi?.auc).toBeCloseTo(1, 12);
    expect(multi?.curves).toHaveLength(3);
  });

  it('trapezoid area', () => {
    expect(trapezoidArea([0, 1], [0, 1])).toBe(0.5);
  });
});

describe('regression metrics', () => {
  it('mse and mae', () => {
    expect(meanSquaredError([1, 2, 3], [1, 4, 0])).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(meanAbsoluteError([1, 2, 3], [1, 4, 0])).toBeCloseTo(5 / 3, 12);
  });
});

describe('report helpers', () => {
  it('evenlySpacedIndices keeps both ends and never repeats', () => {
    expect(evenlySpacedIndices(0, 5)).toEqual([]);
    expect(evenlySpacedIndices(3, 5)).toEqual([0, 1, 2]);
    expect(evenlySpacedIndices(11, 3)).toEqual([0, 5, 10]);
    const many = evenlySpacedIndices(1000, 7);
    expect(many[0]).toBe(0);
    expect(many.at(-1)).toBe(999);
    expect(new Set(many).size).toBe(many.length);
    expect(many.length).toBe(7);
    expect(evenlySpacedIndices(10, 1)).toEqual([9]);
  });

  it('thinRocCurve keeps the endpoints and the exact AUC', () => {
    const n = 500;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const scores = Array.from({ length: n }, (_, i) => (i % 2) * 0.3 + ((i * 7919) % 101) / 101);
    const full = rocCurve(labels, scores)!;
    const thin = thinRocCurve(full, 50);
    expect(thin.fpr.length).toBeLessThanOrEqual(50);
    expect(thin.fpr.length).toBe(thin.tpr.length);
    expect([thin.fpr[0], thin.tpr[0]]).toEqual([0, 0]);
    expect([thin.fpr.at(-1), thin.tpr.at(-1)]).toEqual([1, 1]);
    expect(thin.auc).toBe(full.auc);
    // Still monotone, like the curve it comes from.
    for (let i = 1; i < thin.fpr.length; i++) expect(thin.fpr[i]).toBeGreaterThanOrEqual(thin.fpr[i - 1]);
  });

  it('misclassified lists wrong predictions, most confident first', () => {
    // 4 samples, 3 classes. Predictions: 0 (right), 2 (wrong, 0.5), 1 (wrong, 0.9), 2 (right).
    const scores = [0.8, 0.1, 0.1, 0.2, 0.3, 0.5, 0.05, 0.9, 0.05, 0.1, 0.1, 0.8];
    const m = misclassified([0, 1, 2, 2], scores, 3, 10);
    expect(m).toEqual([
      { index: 2, trueClass: 2, predictedClass: 1, confidence: 0.9 },
      { index: 1, trueClass: 1, predictedClass: 2, confidence: 0.5 },
    ]);
    expect(misclassified([0, 1, 2, 2], scores, 3, 1).map((x) => x.index)).toEqual([2]);
    expect(misclassified([0, 2, 1, 2], scores, 3, 10)).toEqual([]);
  });
});
