/**
 * Protocol handlers for architecture search (engine/server/protocol/search.ts). They live
 * in nas/ because they need the search space code, and the engine never imports nas: the
 * CLI's serve command registers them as a feature.
 */
import path from 'node:path';
import { appPaths } from '../../engine/app-paths.js';
import type { EngineContext, HandlerFactory } from '../../engine/server/context.js';
import { CallError, type HandlerTable } from '../../engine/server/dispatcher.js';
import { openDb } from '../../engine/store/db.js';
import { ExperimentStore, type ExperimentRecord } from '../../engine/store/experiments.js';
import { exportTrial } from '../runner/export-top.js';
import { drawnSpace } from '../space/drawn.js';
import { estimateSearch } from './estimate.js';
import { checkSearchPaths } from './search-paths.js';
import { SearchJobs } from './search-jobs.js';
import { summarizeSpace } from './space-summary.js';
import { defaultSample, trialGraph } from './trial-graph.js';

/** The experiment config fields the UI shows (stored as opaque JSON by the engine). */
interface StoredConfig {
  space?: string;
  spaceDoc?: string;
  strategy?: { name?: string };
  evaluator?: { spec?: string };
}

/** Search handlers over one data folder. */
export const searchHandlers: HandlerFactory = (engine: EngineContext): HandlerTable => {
  const cli = appPaths.cliScript;
  const db = openDb(engine.dataDir);
  const store = new ExperimentStore(db);
  // Experiments left 'running' by a dead process (a crash, a kill) become resumable.
  store.markInterrupted();
  // What each search of this engine was started with, so one that fails before its process
  // stored the experiment (a bad dataset, a table that does not load) is still listed.
  const started = new Map<string, StoredConfig & { spaceDoc: string }>();
  const jobs = new SearchJobs(engine.dataDir, cli, (id, status, error) => {
    const config = started.get(id);
    started.delete(id);
    if (status === 'failed' && config && !store.get(id)) {
      store.create(id, config, null);
      store.finish(id, 'failed', error);
    }
    engine.broadcast({ kind: 'search.ended', message: `search ${id} ${status}`, data: { experimentId: id, status } });
  });
  engine.onClose(async () => {
    // Running searches stop gracefully (resumable) with the server.
    await jobs.stopAll();
    db.close();
  });

  const info = (r: ExperimentRecord) => {
    const c = (r.config ?? {}) as StoredConfig;
    return {
      id: r.id,
      status: r.status,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      trialsDone: r.trialsDone,
      bestTrial: r.bestTrial,
      strategy: c.strategy?.name ?? '?',
      evaluator: c.evaluator?.spec ?? '?',
      project: c.space ? c.space.replace(/\.loom\.json$/, '') : null,
      live: jobs.isLive(r.id),
      error: r.error,
    };
  };
  const experiment = (id: string) => {
    const r = store.get(id);
    if (!r) throw new CallError('not-found', `no experiment "${id}"`, { field: 'experimentId' });
    return r;
  };
  const spaceOfExperiment = (r: ExperimentRecord) => {
    const text = (r.config as StoredConfig).spaceDoc;
    if (!text) throw new CallError('failed', `experiment ${r.id} searched the built-in ${(r.config as StoredConfig).space} space, which has no drawn graph`);
    return drawnSpace(text);
  };

  return {
    'space.summary': async ({ text }) => summarizeSpace(text),
    'search.estimate': async ({ text, settings }) => {
      // The estimate reads the dataset (not a table: tabular searches are estimated at 0 s).
      checkSearchPaths(engine.paths, text, settings, { table: false });
      return estimateSearch(cli, text, settings);
    },
    'search.start': async ({ text, project, settings }) => {
      checkSearchPaths(engine.paths, text, settings, { table: true });
      // Refuse a malformed or shape-broken space here, with the error on the node, not in a log.
      const summary = summarizeSpace(text);
      if (summary.error) throw new CallError('graph', summary.error.message, summary.error.where);
      if (summary.check.failures.length === summary.check.checked && summary.check.checked > 0) {
        throw new CallError('graph', `no candidate of this space is valid: ${summary.check.failures[0].message}`);
      }
      const experimentId = jobs.start(text, project ?? 'space', settings);
      started.set(experimentId, {
        space: `${project ?? 'space'}.loom.json`,
        spaceDoc: text,
        strategy: { name: settings.strategy },
        evaluator: { spec: settings.evaluator },
      });
      return { experimentId };
    },
    'search.watch': async ({ experimentId }, ctx) => {
      const status = await jobs.watch(experimentId, (e) => ctx.emit(e), ctx.signal);
      if (status !== null) return { status };
      // Not run by this engine (finished before it started): replay from SQLite.
      const r = experiment(experimentId);
      for (const t of store.trials(experimentId)) {
        ctx.emit({ event: 'trial', experimentId, bestTrialId: r.bestTrial, trial: { ...t, arch: t.key } });
      }
      ctx.emit({ event: 'done', status: r.status, best: null });
      return { status: r.status };
    },
    'search.stop': async ({ experimentId }) => {
      experiment(experimentId);
      return { stopped: jobs.stop(experimentId) };
    },
    'search.resume': async ({ experimentId, workers, queue }) => {
      const r = experiment(experimentId);
      if (r.status === 'completed') throw new CallError('failed', `experiment ${experimentId} is complete; nothing to resume`);
      if (jobs.isLive(experimentId)) throw new CallError('failed', `experiment ${experimentId} is running`);
      jobs.resume(experimentId, workers, queue);
      return { experimentId };
    },
    'search.list': async () => store.list().map(info),
    'search.get': async ({ experimentId }) => {
      const r = experiment(experimentId);
      const trials = store.trials(experimentId).map((t) => ({ ...t, arch: t.key }));
      return { experiment: info(r), trials, spaceText: (r.config as StoredConfig).spaceDoc ?? null, config: r.config };
    },
    'search.trialGraph': async ({ experimentId, trialId, against }) => {
      const r = experiment(experimentId);
      const space = spaceOfExperiment(r);
      const t = store.trial(experimentId, trialId);
      if (!t) throw new CallError('not-found', `experiment ${experimentId} has no trial ${trialId}`, { field: 'trialId' });
      const parent = against === 'parent' && t.parent !== null ? store.trial(experimentId, t.parent) : undefined;
      const reference = parent ? space.fromKey(parent.key) : defaultSample(space);
      const g = trialGraph(space, space.fromKey(t.key), reference);
      const doc = { ...g.doc, name: `${g.doc.name ?? 'trial'}-trial${trialId}` };
      return { text: `${JSON.stringify(doc, null, 2)}\n`, changedNodes: g.changedNodes, changedEdges: g.changedEdges, sample: space.fromKey(t.key) };
    },
    'search.exportTrial': async ({ experimentId, trialId, path: file, overwrite, grant }) => {
      experiment(experimentId);
      const out = file
        ? engine.paths.writable(file, { field: 'path', extension: '.onnx', overwrite, grant })
        : path.join(engine.dataDir, 'exports', `${experimentId}-trial${trialId}.onnx`);
      // Retraining runs in this process: a small budget (the experiment's own), and the
      // call streams nothing, so the server stays usable between batches.
      const { metrics } = await exportTrial({ db, experimentId, trialId, file: out });
      return { path: out, metrics };
    },
  };
};
