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
import { parseExperimentConfig, type ExperimentConfig } from './config.js';
import { canMaterialize, spaceOf, trainEvaluatorOptions, type Materializing } from './registry.js';

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
 * Loads an experiment's config and drawn space, refusing what has no graph. `retrainOthers`
 * lets supernet and tabular experiments through: their candidates are retrained from scratch.
 */
function exportableExperiment(store: ExperimentStore, experimentId: string, what: string, retrainOthers = false) {
  const rec = store.get(experimentId);
  if (!rec) throw new Error(`no experiment ${experimentId}`);
  const config = parseExperimentConfig(rec.config, `experiment ${experimentId}`);
  const spec = config.evaluator.spec;
  if (!isTrainSpec(spec) && !(retrainOthers && (spec === 'supernet' || spec.startsWith('tabular:'))))
    throw new Error(`${what}: ${spec.split(':')[0]} results have no weights`);
  const space = spaceOf(config);
  if (!canMaterialize(space)) throw new Error(`${what} needs a drawn search space`);
  return { config, space };
}

/**
 * The training budget a trial is retrained with: the train evaluator's own settings, or
 * for a supernet or tabular search the space document's training section (on the
 * supernet's dataset when it had one)
 * (the candidate is trained from scratch, as weight-sharing papers evaluate what they find).
 */
function retrainOptions(config: ExperimentConfig, space: Materializing) {
  if (isTrainSpec(config.evaluator.spec)) return trainEvaluatorOptions(config, space);
  const s = config.evaluator.supernet;
  return { dataset: s?.dataset, target: s?.target, seed: config.seed, materialize: (key: string) => space.materialize(space.fromKey(key)) };
}

/**
 * Retrains one trial's architecture with the experiment's evaluator settings and writes it
 * to `file` as ONNX (atomically) with provenance metadata. Resolves with the retraining's
 * metrics; throws when the retraining fails.
 */
export async function exportTrial(o: {
  db: Db;
  experimentId: string;
  trialId: number;
  file: string;
  what?: string;
}): Promise<{ arch: string; metrics: Record<string, number> }> {
  const what = o.what ?? 'export';
  const store = new ExperimentStore(o.db);
  const { config, space } = exportableExperiment(store, o.experimentId, what, true);
  const t = store.trial(o.experimentId, o.trialId);
  if (!t) throw new Error(`experiment ${o.experimentId} has no trial ${o.trialId}`);
  const sample = space.fromKey(t.key);
  const base = retrainOptions(config, space);
  const evaluator = new TrainEvaluator({
    ...base,
    latency: false,
    signal: isTrainSpec(config.evaluator.spec) ? config.objective.metric : 'valAccuracy',
    report: isTrainSpec(config.evaluator.spec) ? config.report : 'valAccuracy',
    onTrained: (graph, model, metrics) => {
      const bytes = exportOnnx(graph, model, {
        metadata: {
          searchId: o.experimentId,
          decisions: sample,
          metrics,
          dataset: base.dataset ?? graph.doc.training?.dataset,
          layerloomVersion: layerloomVersion(),
        },
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
