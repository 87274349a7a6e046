/** Handlers of train.*: start, watch, stop and resume engine-owned training jobs. */
import { withRunStore } from '../../store/runs.js';
import type { EngineContext } from '../context.js';
import { checkDatasetSpec, documentDataset } from '../dataset-paths.js';
import type { HandlerTable } from '../dispatcher.js';
import { trainJobsFor } from '../jobs/index.js';

/** Handlers for the training methods. */
export function trainHandlers(engine: EngineContext): HandlerTable {
  const jobs = trainJobsFor(engine);
  return {
    'train.start': async ({ text, project, overrides, backend }) => {
      // The dataset's files are checked before a job could open them.
      if (overrides?.dataset !== undefined) checkDatasetSpec(engine.paths, overrides.dataset, 'overrides.dataset');
      else {
        const d = documentDataset(text);
        if (d) checkDatasetSpec(engine.paths, d, 'training.dataset');
      }
      return { runId: jobs.start({ text, project, overrides, backend }) };
    },
    'train.watch': async ({ runId }, ctx) => ({ runId, status: await jobs.watch(runId, (e) => ctx.emit(e), ctx.signal) }),
    'train.stop': async ({ runId }) => {
      jobs.stop(runId);
      return { runId };
    },
    'train.resume': async ({ runId, backend }) => {
      // Grants may have changed since the run started (another launch, other --allow-dir).
      const dataset = withRunStore(engine.dataDir, (s) => (s.get(runId)?.config as { dataset?: unknown } | undefined)?.dataset);
      if (typeof dataset === 'string') checkDatasetSpec(engine.paths, dataset, 'training.dataset');
      return { runId: jobs.resume(runId, backend) };
    },
    'train.active': async () => jobs.active(),
  };
}
