/** Handlers of train.*: start, watch, stop and resume engine-owned training jobs. */
import type { EngineContext } from '../context.js';
import type { HandlerTable } from '../dispatcher.js';
import { trainJobsFor } from '../jobs/index.js';

/** Handlers for the training methods. */
export function trainHandlers(engine: EngineContext): HandlerTable {
  const jobs = trainJobsFor(engine);
  return {
    'train.start': async ({ text, project, overrides, backend }) => ({ runId: jobs.start({ text, project, overrides, backend }) }),
    'train.watch': async ({ runId }, ctx) => ({ runId, status: await jobs.watch(runId, (e) => ctx.emit(e), ctx.signal) }),
    'train.stop': async ({ runId }) => {
      jobs.stop(runId);
      return { runId };
    },
    'train.resume': async ({ runId, backend }) => ({ runId: jobs.resume(runId, backend) }),
    'train.active': async () => jobs.active(),
  };
}
