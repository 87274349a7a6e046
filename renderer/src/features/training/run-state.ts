/**
 * A run as the dashboard draws it, folded from the engine's training events (live, or
 * replayed after a reload) or rebuilt from a stored run. Pure: `applyEvent` returns a new
 * value and never mutates its input, so React sees every change.
 */
import type { ErrorInfo, EventOf, Result } from '../../../../engine/server/protocol/index.js';

/** One streamed training event. */
export type TrainEvent = EventOf<'train.watch'>;
/** The end-of-run report. */
export type RunReport = NonNullable<Result<'runs.get'>['report']>;
/** A stored run as `runs.get` returns it. */
export type RunDetail = Result<'runs.get'>;
/** Final states of a run. */
export type RunStatus = Result<'train.watch'>['status'];

/** One finished epoch. */
export interface EpochRow {
  epoch: number;
  metrics: Record<string, number | null>;
  lr: number | null;
  samplesPerSec: number | null;
  durationMs: number | null;
}

/** Per-batch points, x = fractional epoch (1.5 = half way through epoch 2). */
export interface BatchSeries {
  x: number[];
  loss: (number | null)[];
  lr: (number | null)[];
  samplesPerSec: (number | null)[];
}

/** Everything the dashboard shows of one run. */
export interface RunView {
  runId: string;
  /** `ended` once a final event came; `lost` when the connection dropped mid-run. */
  phase: 'starting' | 'running' | 'stopping' | 'ended' | 'lost';
  status: RunStatus | null;
  backend: { name: string; reason: string } | null;
  epochs: number | null;
  stepsPerEpoch: number | null;
  startEpoch: number;
  trainCount: number | null;
  valCount: number | null;
  params: number | null;
  batches: BatchSeries;
  epochRows: EpochRow[];
  /** Latest progress figures. */
  progress: { epoch: number; batch: number; samplesPerSec: number | null; etaSeconds: number | null; lr: number | null };
  bestEpoch: number | null;
  earlyStopped: boolean;
  report: RunReport | null;
  error: ErrorInfo | null;
  message: string | null;
}

/** A run nothing is known about yet. */
export function emptyRun(runId: string): RunView {
  return {
    runId,
    phase: 'starting',
    status: null,
    backend: null,
    epochs: null,
    stepsPerEpoch: null,
    startEpoch: 1,
    trainCount: null,
    valCount: null,
    params: null,
    batches: { x: [], loss: [], lr: [], samplesPerSec: [] },
    epochRows: [],
    progress: { epoch: 0, batch: 0, samplesPerSec: null, etaSeconds: null, lr: null },
    bestEpoch: null,
    earlyStopped: false,
    report: null,
    error: null,
    message: null,
  };
}

/** Appends a batch point, first dropping points at or after x (a resumed run redoes an epoch). */
function addBatch(b: BatchSeries, x: number, loss: number | null, lr: number | null, sps: number | null): BatchSeries {
  let keep = b.x.length;
  while (keep > 0 && b.x[keep - 1] >= x) keep--;
  return {
    x: [...b.x.slice(0, keep), x],
    loss: [...b.loss.slice(0, keep), loss],
    lr: [...b.lr.slice(0, keep), lr],
    samplesPerSec: [...b.samplesPerSec.slice(0, keep), sps],
  };
}

/** Puts an epoch row in order, replacing one with the same epoch. */
function addEpoch(rows: EpochRow[], row: EpochRow): EpochRow[] {
  return [...rows.filter((r) => r.epoch !== row.epoch), row].sort((a, b) => a.epoch - b.epoch);
}

/** The run after one more event. */
export function applyEvent(run: RunView, e: TrainEvent): RunView {
  switch (e.event) {
    case 'backend':
      return { ...run, backend: { name: e.name, reason: e.reason } };
    case 'start':
      return {
        ...run,
        phase: run.phase === 'stopping' ? 'stopping' : 'running',
        epochs: e.epochs,
        stepsPerEpoch: e.stepsPerEpoch,
        startEpoch: e.startEpoch,
        trainCount: e.trainCount,
        valCount: e.valCount,
        params: e.params,
        progress: { ...run.progress, epoch: e.startEpoch - 1 },
      };
    case 'batch': {
      const x = e.epoch - 1 + e.batch / (run.stepsPerEpoch ?? e.batch);
      return {
        ...run,
        batches: addBatch(run.batches, x, e.loss, e.lr, e.samplesPerSec),
        progress: { epoch: e.epoch, batch: e.batch, samplesPerSec: e.samplesPerSec, etaSeconds: e.etaSeconds, lr: e.lr },
      };
    }
    case 'epoch':
      return {
        ...run,
        epochRows: addEpoch(run.epochRows, { epoch: e.epoch, metrics: e.metrics, lr: e.lr, samplesPerSec: e.samplesPerSec, durationMs: e.durationMs }),
        progress: { ...run.progress, epoch: e.epoch, samplesPerSec: e.samplesPerSec, etaSeconds: e.etaSeconds, lr: e.lr },
      };
    case 'checkpoint':
      return run;
    case 'early-stop':
      return { ...run, earlyStopped: true, bestEpoch: e.bestEpoch };
    case 'report':
      return { ...run, report: e.report };
    case 'done':
      return { ...run, phase: 'ended', status: e.status, bestEpoch: e.bestEpoch ?? run.bestEpoch, progress: { ...run.progress, etaSeconds: 0 } };
    case 'failed':
      return { ...run, phase: 'ended', status: 'failed', error: e.error, message: e.error.message };
    case 'interrupted':
      return { ...run, phase: 'ended', status: 'interrupted', message: e.message };
  }
}

/** A stored run as the dashboard draws it (epochs, kept chart points, report). */
export function runFromDetail(d: RunDetail): RunView {
  let run: RunView = {
    ...emptyRun(d.run.id),
    phase: d.run.active ? 'running' : 'ended',
    status: d.run.active ? null : d.run.status,
    epochs: d.run.epochs,
    backend: d.run.backend ? { name: d.run.backend, reason: '' } : null,
  };
  const epochPoints = new Map(d.points.filter((p) => p.kind === 'epoch').map((p) => [p.step, p.data]));
  for (const p of d.points)
    if (p.kind === 'batch') run = { ...run, batches: addBatch(run.batches, p.step, p.data.loss ?? null, p.data.lr ?? null, p.data.samplesPerSec ?? null) };
  const epochRows = d.epochs.map((row) => {
    const p = epochPoints.get(row.epoch) ?? {};
    return { epoch: row.epoch, metrics: row.metrics, lr: p.lr ?? null, samplesPerSec: p.samplesPerSec ?? null, durationMs: p.durationMs ?? null };
  });
  const last = epochRows.at(-1);
  return {
    ...run,
    epochRows,
    report: d.report,
    message: d.run.error,
    progress: { ...run.progress, epoch: last?.epoch ?? 0, lr: last?.lr ?? null, samplesPerSec: last?.samplesPerSec ?? null },
  };
}

/** The latest value of every epoch metric (train and validation). */
export function latestMetrics(run: RunView): Record<string, number | null> {
  return run.epochRows.at(-1)?.metrics ?? {};
}

/** True while a job trains the run. */
export function isTraining(run: RunView | null): boolean {
  return !!run && (run.phase === 'starting' || run.phase === 'running' || run.phase === 'stopping');
}
