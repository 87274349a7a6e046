/**
 * `--export-top K`: the K best ok trials of an experiment (by primary objective) as ONNX
 * files. The training evaluator keeps no weights, so each candidate is re-materialized from
 * the stored space, retrained with the experiment's evaluator settings, and exported with
 * provenance metadata (`layerloom.search_id`, `layerloom.decisions`) to
 * `DIR/<rank>-<trialId>.onnx`, each written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../engine/store/db.js';
import { ExperimentStore } from '../../engine/store/experiments.js';
import { layerloomVersion } from '../../engine/jobs/version.js';
import { exportOnnx } from '../../engine/onnx/export.js';
import { writeFileAtomic } from '../../engine/util/atomic.js';
import { TrainEvaluator } from '../evaluators/train.js';
import { DrawnSpace } from '../space/drawn.js';
import { parseExperimentConfig } from './config.js';
import { spaceOf, trainEvaluatorOptions } from './registry.js';

/** One exported model. */
export interface ExportedTrial {
  rank: number;
  trialId: number;
  arch: string;
  file: string;
  /** Metrics of the retraining that produced the exported weights. */
  metrics: Record<string, number>;
}

/** Options of {@link exportTopTrials}. */
export interface ExportTopOptions {
  db: Db;
  experimentId: string;
  k: number;
  dir: string;
}

/** True when an evaluator spec is the training evaluator (which can produce weights). */
export function isTrainSpec(spec: string): boolean {
  return spec === 'train' || spec.startsWith('train:');
}

/** Loads an experiment's config and drawn space, refusing what has no graph or no weights. */
function exportableExperiment(store: ExperimentStore, experimentId: string, what: string) {
  const rec = store.get(experimentId);
  if (!rec) throw new Error(`no experiment ${experimentId}`);
  const config = parseExperimentConfig(rec.config, `experiment ${experimentId}`);
  if (!isTrainSpec(config.evaluator.spec)) throw new Error(`${what}: ${config.evaluator.spec.split(':')[0]} results have no weights`);
  const space = spaceOf(config);
  if (!(space instanceof DrawnSpace)) throw new Error(`${what} needs a drawn search space`);
  return { config, space };
}

/**
 * Retrains one trial's architecture with the experiment's evaluator settings and writes it
 * to `file` as ONNX (atomically) with provenance metadata. Resolves with the retraining's
 * metrics; throws when the retraining fails.
 */
export async function exportTrial(o: { db: Db; experimentId: string; trialId: number; file: string; what?: string }): Promise<{ arch: string; metrics: Record<string, number> }> {
  const what = o.what ?? 'export';
  const store = new ExperimentStore(o.db);
  const { config, space } = exportableExperiment(store, o.experimentId, what);
  const t = store.trial(o.experimentId, o.trialId);
  if (!t) throw new Error(`experiment ${o.experimentId} has no trial ${o.trialId}`);
  const sample = space.fromKey(t.key);
  const base = trainEvaluatorOptions(config, space);
  const evaluator = new TrainEvaluator({
    ...base,
    latency: false,
    signal: config.objective.metric,
    report: config.report,
    onTrained: (graph, model, metrics) => {
      const bytes = exportOnnx(graph, model, {
        metadata: { searchId: o.experimentId, decisions: sample, metrics, dataset: base.dataset ?? graph.doc.training?.dataset, layerloomVersion: layerloomVersion() },
      });
      fs.mkdirSync(path.dirname(o.file), { recursive: true });
      writeFileAtomic(o.file, bytes);
    },
  });
  const ev = await evaluator.evaluateDocument(space.materialize(sample));
  if (ev.status !== 'ok') throw new Error(`${what}: retraining trial ${t.trialId} (${t.key}) ${ev.status}: ${ev.error ?? ''}`);
  return { arch: t.key, metrics: ev.metrics };
}

/**
 * Retrains and exports the `k` best ok trials. Throws for a tabular experiment ("tabular
 * results have no weights") and when a retraining fails.
 */
export async function exportTopTrials(o: ExportTopOptions): Promise<ExportedTrial[]> {
  const store = new ExperimentStore(o.db);
  exportableExperiment(store, o.experimentId, '--export-top');
  const top = store
    .trials(o.experimentId)
    .filter((t) => t.status === 'ok' && t.objective !== null)
    .sort((a, b) => b.objective! - a.objective! || a.trialId - b.trialId)
    .slice(0, o.k);
  const out: ExportedTrial[] = [];
  for (const [i, t] of top.entries()) {
    const rank = i + 1;
    const file = path.join(o.dir, `${rank}-${t.trialId}.onnx`);
    const { metrics } = await exportTrial({ db: o.db, experimentId: o.experimentId, trialId: t.trialId, file, what: '--export-top' });
    out.push({ rank, trialId: t.trialId, arch: t.key, file, metrics });
  }
  return out;
}
