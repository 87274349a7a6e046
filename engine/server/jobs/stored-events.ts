/**
 * A stored run as the event stream `train.watch` would have shown: its epochs (with the
 * learning rate and throughput kept as chart points), its report, and how it ended. Used for
 * runs no job of this server is tracking (finished before a restart, or trained by the CLI).
 */
import type { RunPoint, RunRecord } from '../../store/runs.js';
import type { TrainEventOut } from '../protocol/train.js';

/** Events replaying a stored run. A run still 'running' (another process) gets no end event. */
export function storedRunEvents(
  run: RunRecord,
  epochs: { epoch: number; metrics: Record<string, number> }[],
  points: RunPoint[],
  report: unknown,
): TrainEventOut[] {
  const perEpoch = new Map(points.filter((p) => p.kind === 'epoch').map((p) => [p.step, p.data]));
  const events: TrainEventOut[] = epochs.map((row) => {
    const p = perEpoch.get(row.epoch + 1) ?? {};
    return {
      event: 'epoch',
      epoch: row.epoch + 1,
      metrics: row.metrics,
      lr: p.lr ?? null,
      samplesPerSec: p.samplesPerSec ?? null,
      etaSeconds: null,
      durationMs: p.durationMs ?? null,
    };
  });
  if (report) events.push({ event: 'report', report: report as Extract<TrainEventOut, { event: 'report' }>['report'] });
  switch (run.status) {
    case 'completed':
    case 'cancelled':
    case 'stopped-early':
      events.push({ event: 'done', status: run.status, metrics: run.final, bestEpoch: null, epochs: run.epochsDone });
      break;
    case 'failed':
      events.push({ event: 'failed', error: { code: 'failed', message: run.error ?? 'the run failed' } });
      break;
    case 'interrupted':
      events.push({ event: 'interrupted', message: run.error ?? 'the engine stopped while this run was training' });
      break;
    case 'running':
      break;
  }
  return events;
}
