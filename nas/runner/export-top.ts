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

/**
 * Retrains and exports the `k` best ok trials. Throws for a tabular experiment ("tabular
 * results have no weights") and when a retraining fails.
 */
export async function exportTopTrials(o: ExportTopOptions): Promise<ExportedTrial[]> {
  const store = new ExperimentStore(o.db);
  const rec = store.get(o.experimentId);
  if (!rec) throw new Error(`no experiment ${o.experimentId}`);
  const config = parseExperimentConfig(rec.config, `experiment ${o.experimentId}`);
  if (!isTrainSpec(config.evaluator.spec)) throw new Error(`--export-top: ${config.evaluator.spec.split(':')[0]} results have no weights`);
  const space = spaceOf(config);
  if (!(space instanceof DrawnSpace)) throw new Error('--export-top needs a drawn search space');
  const top = store
    .trials(o.experimentId)
    .filter((t) => t.status === 'ok' && t.objective !== null)
    .sort((a, b) => b.objective! - a.objective! || a.trialId - b.trialId)
    .slice(0, o.k);
  fs.mkdirSync(o.dir, { recursive: true });
  const out: ExportedTrial[] = [];
  for (const [i, t] of top.entries()) {
    const rank = i + 1;
    const sample = space.fromKey(t.key);
    const file = path.join(o.dir, `${rank}-${t.trialId}.onnx`);
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
        writeFileAtomic(file, bytes);
      },
    });
    const ev = await evaluator.evaluateDocument(space.materialize(sample));
    if (ev.status !== 'ok') throw new Error(`--export-top: retraining trial ${t.trialId} (${t.key}) ${ev.status}: ${ev.error ?? ''}`);
    out.push({ rank, trialId: t.trialId, arch: t.key, file, metrics: ev.metrics });
  }
  return out;
}
