/**
 * The end-of-run report the designer shows after training: evaluation on the validation set
 * (confusion matrix, per-class precision / recall / F1, ROC curves as points, the most
 * confident mistakes with their pixels for image data) and per-node statistics (weight norm,
 * activation moments on one validation batch). Built in the training process from the
 * trained model, stored with the run as JSON.
 */
import { sampleImage, type SampleImage } from '../data/sample-image.js';
import { featureSize } from '../data/split.js';
import type { Dataset } from '../data/types.js';
import { classProbabilities } from '../train/evaluate.js';
import { misclassified, thinRocCurve } from '../train/metrics.js';
import { nodeStatistics, type NodeStats } from '../train/node-stats.js';
import type { AfterTrainContext } from './train-job.js';

/** Mistakes listed in a report. */
export const REPORT_MISTAKES = 24;
/** Points kept per ROC curve. */
export const REPORT_ROC_POINTS = 200;
/** Validation samples the activation statistics are measured on. */
export const STATS_BATCH = 128;

/** What a report holds (the protocol's `runReportSchema` checks the same shape). */
export interface RunReport {
  task: 'classification' | 'regression';
  /** Validation samples evaluated. */
  count: number;
  /** Mean validation loss. */
  loss: number;
  classNames?: string[];
  classification?: {
    accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    auc: number | null;
    confusion: number[][];
    perClass: { precision: number; recall: number; f1: number; support: number }[];
    /** One-vs-rest curves of the classes where one is defined (for two classes, class 1 only). */
    roc: { classIndex: number; auc: number; fpr: number[]; tpr: number[] }[];
  };
  regression?: { mse: number; mae: number };
  /** Most confident mistakes first; `image` for image data. */
  misclassified: { index: number; trueClass: number; predictedClass: number; confidence: number; image?: SampleImage }[];
  nodeStats: Record<string, NodeStats>;
}

/** The first `n` samples of a dataset as one input batch. */
function firstBatch(ds: Dataset, n: number): { x: Float32Array; shape: number[] } {
  const k = Math.min(n, ds.count);
  return { x: ds.x.slice(0, k * featureSize(ds)), shape: [k, ...ds.inputShape] };
}

/** Output nodes map to the node that feeds them (they have no layer of their own). */
function outputAliases(graph: AfterTrainContext['graph']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, node] of graph.nodes) {
    const src = graph.inputsOf.get(id)?.[0]?.source;
    if (node.kind === 'Output' && src) out[id] = src;
  }
  return out;
}

/** Evaluates the trained model on the validation set and measures every node. */
export async function buildRunReport(ctx: Pick<AfterTrainContext, 'tf' | 'model' | 'graph' | 'validation' | 'sampleShape' | 'evaluate'>): Promise<RunReport> {
  const val = ctx.validation;
  const ev = await ctx.evaluate(val);
  const report: RunReport = {
    task: ev.classification ? 'classification' : 'regression',
    count: ev.count,
    loss: ev.loss,
    misclassified: [],
    nodeStats: {},
  };
  if (val.classNames) report.classNames = val.classNames;
  const c = ev.classification;
  if (c) {
    const units = ev.outputShape[ev.outputShape.length - 1] ?? 1;
    const { scores, numClasses } = classProbabilities(ev.predictions, ev.count, units);
    report.classification = {
      accuracy: c.accuracy,
      precision: c.precision,
      recall: c.recall,
      f1: c.f1,
      auc: c.auc ?? null,
      confusion: c.confusion,
      perClass: c.perClass,
      roc: c.roc.flatMap((curve, classIndex) => (curve ? [{ classIndex, ...thinRocCurve(curve, REPORT_ROC_POINTS) }] : [])),
    };
    const per = featureSize(val);
    report.misclassified = misclassified(val.y, scores, numClasses, REPORT_MISTAKES).map((m) => {
      const image = sampleImage(val.x.subarray(m.index * per, (m.index + 1) * per), ctx.sampleShape);
      return image ? { ...m, image } : m;
    });
  }
  if (ev.regression) report.regression = ev.regression;
  if (val.count > 0) report.nodeStats = await nodeStatistics(ctx.tf, ctx.model, firstBatch(val, STATS_BATCH), outputAliases(ctx.graph));
  return report;
}
