/**
 * The run store's side of a training run, as a loop callback: each epoch's metrics and a
 * thinned set of its batch points become the epoch's row, and the best epoch's metrics the
 * run's best. Rows are written from the events, after the epoch's checkpoint, so a resume
 * can fill in a row a kill left out (train-job.ts).
 */
import type { RunPoint, RunStore } from '../store/runs.js';
import type { TrainCallback } from '../train/callbacks/types.js';
import type { TrainEvent } from '../train/events.js';
import { evenlySpacedIndices } from '../train/metrics.js';

/** Batch points kept per epoch for the run's charts: about 2,000 over the run, 5 to 50 an epoch. */
export function pointsPerEpoch(epochs: number): number {
  return Math.max(5, Math.min(50, Math.round(2000 / epochs)));
}

/** Records one run's epochs into the store. */
export class RunRecorder implements TrainCallback {
  private epochStart = Date.now();
  private stepsPerEpoch = 1;
  private batchPoints: RunPoint[] = [];
  private bestEpoch = 0;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly epochs: number,
  ) {}

  onEvent(e: TrainEvent): void {
    if (e.event === 'start') this.stepsPerEpoch = e.stepsPerEpoch;
    if (e.event === 'batch') {
      this.batchPoints.push({
        kind: 'batch',
        step: e.epoch - 1 + e.batch / this.stepsPerEpoch,
        data: { loss: e.loss, lr: e.lr, samplesPerSec: e.samplesPerSec },
      });
    }
    // The best checkpoint of an epoch is written before its epoch event.
    if (e.event === 'checkpoint' && e.best) this.bestEpoch = e.epoch;
    if (e.event !== 'epoch') return;
    const kept = evenlySpacedIndices(this.batchPoints.length, pointsPerEpoch(this.epochs)).map((i) => this.batchPoints[i]);
    const epochPoint: RunPoint = { kind: 'epoch', step: e.epoch, data: { lr: e.lr, samplesPerSec: e.samplesPerSec, durationMs: e.durationMs } };
    const metrics = e.metrics as Record<string, number>;
    this.store.recordEpoch(this.runId, e.epoch - 1, metrics, Date.now() - this.epochStart, [...kept, epochPoint]);
    this.batchPoints = [];
    this.epochStart = Date.now();
    if (e.epoch === this.bestEpoch) this.store.setBest(this.runId, metrics);
  }
}
