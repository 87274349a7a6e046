/** Handlers of runs.*: the run history in SQLite, a run's details, deleting and exporting runs. */
import fs from 'node:fs';
import path from 'node:path';
import { withRunStore, type RunRecord } from '../../store/runs.js';
import type { EngineContext } from '../context.js';
import { CallError, type HandlerTable } from '../dispatcher.js';
import { trainJobsFor } from '../jobs/index.js';
import { jobLogFile } from '../jobs/train-jobs.js';
import type { Result } from '../protocol/index.js';
import { downloadPath, exportsDir } from '../downloads.js';

type Summary = Result<'runs.list'>['runs'][number];

/** A run as the history lists it. */
function summary(run: RunRecord, active: boolean): Summary {
  const { graph: _g, config, checkpointDir: _c, ...rest } = run;
  return { ...rest, epochs: (config as { epochs?: number }).epochs ?? null, active };
}

/** True when `child` lies inside `dir`. */
function inside(dir: string, child: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(child));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Handlers for the run-history methods. */
export function runsHandlers(engine: EngineContext): HandlerTable {
  const jobs = trainJobsFor(engine);
  const store = <T>(f: Parameters<typeof withRunStore<T>>[1]) => withRunStore(engine.dataDir, f);
  const find = (runId: string): RunRecord => {
    const run = store((s) => s.get(runId));
    if (!run) throw new CallError('not-found', `no run "${runId}" in ${engine.dataDir}`, { field: 'runId' });
    return run;
  };
  return {
    'runs.list': async ({ project }) => ({ runs: store((s) => s.list(project)).map((r) => summary(r, jobs.isActive(r.id))) }),
    'runs.get': async ({ runId }) => {
      const run = find(runId);
      return store((s) => ({
        run: summary(run, jobs.isActive(runId)),
        graph: run.graph as Result<'runs.get'>['graph'],
        config: run.config as Result<'runs.get'>['config'],
        epochs: s.epochs(runId).map((e) => ({ epoch: e.epoch + 1, metrics: e.metrics })),
        points: s.points(runId),
        report: s.report(runId) as Result<'runs.get'>['report'],
      }));
    },
    'runs.delete': async ({ runId }) => {
      const run = find(runId);
      if (jobs.isActive(runId)) throw new CallError('bad-params', `run "${runId}" is training; stop it before deleting it`, { field: 'runId' });
      store((s) => s.delete(runId));
      // Only files the engine wrote under its data folder are removed.
      if (inside(engine.dataDir, run.checkpointDir)) fs.rmSync(run.checkpointDir, { recursive: true, force: true });
      for (const f of [
        path.join(exportsDir(engine.dataDir), `${runId}.onnx`),
        jobLogFile(engine.dataDir, 'train', runId),
        jobLogFile(engine.dataDir, 'export', runId),
      ])
        fs.rmSync(f, { force: true });
      return { runId };
    },
    'runs.export': async ({ runId, path: target, overwrite, grant, opset }) => {
      const run = find(runId);
      if (run.epochsDone === 0) throw new CallError('bad-params', `run "${runId}" has no trained epoch to export yet`, { field: 'runId' });
      // The engine's own export of a run (downloadable) is replaced freely; a client's path is checked.
      const out = target
        ? engine.paths.writable(target, { field: 'path', extension: '.onnx', overwrite, grant })
        : path.join(exportsDir(engine.dataDir), `${runId}.onnx`);
      const result = await jobs.exportRun({ text: JSON.stringify(run.graph), run: runId, out, format: 'onnx', opset, verify: true, dataDir: engine.dataDir });
      const v = result.verify;
      if (v && !v.passed)
        throw new CallError(
          'failed',
          `the exported model differs from tf.js by ${v.maxAbsDiff.toExponential(2)} (tolerance ${v.tolerance}); nothing was written`,
        );
      return {
        path: out,
        bytes: result.bytes,
        downloadPath: target ? null : downloadPath(runId),
        verify: v ? { maxAbsDiff: v.maxAbsDiff, tolerance: v.tolerance, inputs: v.inputs } : null,
      };
    },
  };
}
