/**
 * One fixed retraining protocol for found and baseline architectures, so comparisons (the
 * weight-sharing tests, the benchmark) train every candidate the same way: the candidate's
 * concrete graph trained from scratch by the training evaluator (the engine's own pipeline,
 * onnxruntime on CPU), Adam 3e-3 with a cosine schedule, batch 32, a fixed seed.
 */
import type { LoomDocument } from '../../engine/graph/schema.js';
import { TrainEvaluator, type TrainEvaluation } from '../evaluators/train.js';
import type { Materializing } from './registry.js';

/** The protocol's training section (epochs and dataset come per call). */
export const RETRAIN_PROTOCOL = {
  batchSize: 32,
  optimizer: { name: 'adam', learningRate: 0.003 },
  lrSchedule: { type: 'cosine' },
} as const;

/** What to retrain on. */
export interface RetrainOptions {
  dataset: string;
  /** Epochs (default 10). */
  epochs?: number;
  /** Seed of the data split and the weight initialisation (default 1). */
  seed?: number;
}

/** The candidate `key` of `space` as a graph set up for the protocol. */
export function retrainDoc(space: Materializing, key: string): LoomDocument {
  const doc = space.materialize(space.fromKey(key));
  return { ...doc, training: { ...(doc.training ?? {}), ...RETRAIN_PROTOCOL } as LoomDocument['training'] };
}

/** Retrains one candidate from scratch; the evaluation's `signal` is its validation accuracy. */
export async function retrain(space: Materializing, key: string, o: RetrainOptions): Promise<TrainEvaluation> {
  const ev = new TrainEvaluator({ dataset: o.dataset, epochs: o.epochs ?? 10, seed: o.seed ?? 1 });
  const r = await ev.evaluateDocument(retrainDoc(space, key));
  if (r.status !== 'ok') throw new Error(`retraining ${key}: ${r.status}: ${r.error ?? ''}`);
  return r;
}
