import { describe, expect, it } from 'vitest';
import { applyEvent, emptyRun, isTraining, latestMetrics, runFromDetail, type RunDetail, type TrainEvent } from './run-state.js';

const start: TrainEvent = { event: 'start', epochs: 3, stepsPerEpoch: 10, trainCount: 100, valCount: 20, params: 50, startEpoch: 1 };
const batch = (epoch: number, b: number, loss: number): TrainEvent => ({ event: 'batch', epoch, batch: b, loss, lr: 0.1, samplesPerSec: 200, etaSeconds: 5 });
const epoch = (n: number, valAccuracy: number): TrainEvent => ({
  event: 'epoch',
  epoch: n,
  metrics: { loss: 1 / n, valAccuracy },
  lr: 0.1,
  samplesPerSec: 210,
  etaSeconds: 3 - n,
  durationMs: 50,
});

describe('run state', () => {
  it('folds a run from start to done without mutating earlier states', () => {
    const s0 = emptyRun('r1');
    const s1 = applyEvent(applyEvent(s0, { event: 'backend', name: 'onnxruntime', reason: 'fast' }), start);
    const s2 = applyEvent(applyEvent(s1, batch(1, 5, 2)), epoch(1, 0.8));
    expect(s0.batches.x).toEqual([]);
    expect(s1.phase).toBe('running');
    expect(isTraining(s1)).toBe(true);
    expect(s2.batches.x).toEqual([0.5]);
    expect(s2.progress).toMatchObject({ epoch: 1, samplesPerSec: 210, etaSeconds: 2 });
    expect(latestMetrics(s2)).toEqual({ loss: 1, valAccuracy: 0.8 });
    const done = applyEvent(s2, { event: 'done', status: 'completed', metrics: { loss: 1 }, bestEpoch: 1, epochs: 1 });
    expect(done).toMatchObject({ phase: 'ended', status: 'completed', bestEpoch: 1 });
    expect(isTraining(done)).toBe(false);
  });

  it('a resumed run redoing an epoch replaces its points instead of duplicating them', () => {
    let s = [start, batch(1, 5, 2), batch(2, 5, 1.5), epoch(1, 0.8)].reduce(applyEvent, emptyRun('r1'));
    s = [{ ...start, startEpoch: 2 } as TrainEvent, batch(2, 2, 1.4), epoch(2, 0.85), epoch(1, 0.81)].reduce(applyEvent, s);
    expect(s.batches.x).toEqual([0.5, 1.2]);
    expect(s.epochRows.map((r) => [r.epoch, r.metrics.valAccuracy])).toEqual([
      [1, 0.81],
      [2, 0.85],
    ]);
  });

  it('keeps failures and interruptions with their message', () => {
    const failed = applyEvent(emptyRun('r'), { event: 'failed', error: { code: 'graph', message: 'node "x": bad', where: { node: 'x' } } });
    expect(failed).toMatchObject({ phase: 'ended', status: 'failed', message: 'node "x": bad' });
    expect(applyEvent(emptyRun('r'), { event: 'interrupted', message: 'gone' })).toMatchObject({ status: 'interrupted', message: 'gone' });
  });

  it('rebuilds a stored run from its epochs and chart points', () => {
    const detail = {
      run: { id: 'r9', active: false, status: 'completed', epochs: 2, backend: 'wasm', error: null },
      epochs: [
        { epoch: 1, metrics: { loss: 1 } },
        { epoch: 2, metrics: { loss: 0.5 } },
      ],
      points: [
        { kind: 'batch', step: 0.5, data: { loss: 1.2, lr: 0.1, samplesPerSec: 90 } },
        { kind: 'epoch', step: 2, data: { lr: 0.05, samplesPerSec: 100, durationMs: 20 } },
      ],
      report: null,
    } as unknown as RunDetail;
    const run = runFromDetail(detail);
    expect(run).toMatchObject({ runId: 'r9', phase: 'ended', status: 'completed', epochs: 2 });
    expect(run.batches).toEqual({ x: [0.5], loss: [1.2], lr: [0.1], samplesPerSec: [90] });
    expect(run.epochRows.map((r) => r.lr)).toEqual([null, 0.05]);
    expect(run.progress.epoch).toBe(2);
  });
});
