/**
 * One training-job manager per running server (per engine context), shared by the features
 * that need it: training starts and watches jobs, run history asks whether a run is training
 * and exports through a job process.
 */
import type { EngineContext } from '../context.js';
import { TrainJobs } from './train-jobs.js';

const managers = new WeakMap<EngineContext, TrainJobs>();
const all = new Set<TrainJobs>();

/** The job manager of this engine, created on first use (which marks dead runs interrupted). */
export function trainJobsFor(engine: EngineContext): TrainJobs {
  let jobs = managers.get(engine);
  if (!jobs) {
    jobs = new TrainJobs(engine.dataDir, (runId, status) =>
      engine.broadcast({ kind: 'run-ended', message: `run ${runId} ${status}`, data: { runId, status } }),
    );
    managers.set(engine, jobs);
    all.add(jobs);
    const created = jobs;
    // Running jobs get SIGTERM with the server: each marks its run interrupted (resumable).
    engine.onClose(() => {
      created.close();
      all.delete(created);
    });
  }
  return jobs;
}

/** Kills the job processes of every server in this process (tests; process exit does it too). */
export function closeAllTrainJobs(): void {
  for (const jobs of all) jobs.close();
  all.clear();
}
