/**
 * An engine job process (forked by train-jobs.ts through job-launcher.js): trains one run or
 * exports one, reporting over IPC. Training forwards the loop's events (batch events at most
 * every {@link BATCH_EVENT_MS}), builds the end-of-run report, and sends `done` only once the
 * run's final status is stored, so a client that sees `done` and lists runs sees it finished.
 *
 * When the server dies (the IPC channel closes) or exits (it sends SIGTERM) the run is marked
 * interrupted and the process exits: it never trains on unobserved, and Resume continues
 * from the last checkpoint.
 */
import { runExportJob } from '../../jobs/export-job.js';
import { buildRunReport } from '../../jobs/run-report.js';
import { runTrainJob } from '../../jobs/train-job.js';
import { withRunStore } from '../../store/runs.js';
import type { TrainEvent } from '../../train/events.js';
import type { TrainEventOut } from '../protocol/train.js';
import { engineErrorInfo } from './errors.js';
import type { FromJob, ToJob, TrainJobSpec } from './messages.js';

/** Minimum milliseconds between batch events a job sends (plus each epoch's last batch). */
export const BATCH_EVENT_MS = 200;

const controller = new AbortController();
let runningRun: { id: string; dataDir: string } | null = null;

function send(m: FromJob): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(m, undefined, {}, () => resolve());
  });
}

const emit = (event: TrainEventOut) => void send({ type: 'event', event });

async function train(spec: TrainJobSpec): Promise<void> {
  runningRun = { id: spec.resume ?? spec.runId ?? '', dataDir: spec.dataDir };
  let done: Extract<TrainEvent, { event: 'done' }> | null = null;
  const result = await runTrainJob({
    ...spec,
    signal: controller.signal,
    // Thinned in the loop itself, so no event is built, recorded and then dropped here.
    batchEventIntervalMs: BATCH_EVENT_MS,
    onBackend: (b) => emit({ event: 'backend', name: b.name, reason: b.reason }),
    onEvent: (e) => {
      if (e.event === 'done') {
        done = e;
        return;
      }
      // The protocol's event schema keeps the fields it knows (drops runId, paths).
      emit(e as TrainEventOut);
    },
    afterTrain: async (ctx) => {
      try {
        const report = await buildRunReport(ctx);
        ctx.store.saveReport(ctx.runId, report);
        emit({ event: 'report', report });
      } catch (e) {
        process.stderr.write(`layerloom job: the end-of-run report failed: ${(e as Error).stack ?? e}\n`);
      }
    },
  });
  runningRun = null;
  const d = done as Extract<TrainEvent, { event: 'done' }> | null;
  await send({ type: 'event', event: { event: 'done', status: result.status, metrics: result.metrics, bestEpoch: result.bestEpoch, epochs: d?.epochs ?? 0 } });
}

async function onMessage(m: ToJob): Promise<void> {
  if (m.type === 'stop') return controller.abort();
  try {
    if (m.type === 'train') await train(m.spec);
    else await send({ type: 'exported', result: await runExportJob(m.options) });
  } catch (e) {
    runningRun = null;
    await send({ type: 'error', error: engineErrorInfo(e) });
  }
  process.exit(0);
}

/** The server is gone: record the run as interrupted, then stop. */
function onServerGone(): void {
  if (runningRun?.id) {
    try {
      withRunStore(runningRun.dataDir, (s) => s.interrupt(runningRun!.id, 'the engine stopped while this run was training'));
    } catch {
      // The next engine start marks it from the dead process id instead.
    }
  }
  process.exit(1);
}

if (!process.send) throw new Error('engine/server/jobs/job-process.ts runs as a forked job process');
process.on('message', (m: ToJob) => void onMessage(m));
process.on('disconnect', onServerGone);
process.on('SIGTERM', onServerGone);
