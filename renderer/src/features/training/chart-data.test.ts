import { describe, expect, it } from 'vitest';
import { alignLines, compareLines, lossLines, metricCharts, rocAligned, sharedMetrics, tprAt } from './chart-data.js';
import { applyEvent, emptyRun, type RunView, type TrainEvent } from './run-state.js';

function runWith(events: TrainEvent[]): RunView {
  return events.reduce(applyEvent, emptyRun('r1'));
}

const epoch = (n: number, metrics: Record<string, number>): TrainEvent => ({
  event: 'epoch',
  epoch: n,
  metrics,
  lr: 0.01,
  samplesPerSec: 100,
  etaSeconds: 1,
  durationMs: 10,
});

describe('chart data', () => {
  it('aligns lines sampled at different x on their union, null where a line has no point', () => {
    expect(
      alignLines([
        { x: [0.5, 1], y: [3, 2] },
        { x: [1, 2], y: [5, null] },
      ]),
    ).toEqual([
      [0.5, 1, 2],
      [3, 2, null],
      [null, 5, null],
    ]);
  });

  it('pairs training metrics with their validation twins and groups validation-only ones', () => {
    const charts = metricCharts(['loss', 'accuracy', 'valLoss', 'valAccuracy', 'valPrecision', 'valAuc']);
    expect(charts.map((c) => [c.id, c.series.map((s) => s.key)])).toEqual([
      ['accuracy', ['accuracy', 'valAccuracy']],
      ['validation', ['valPrecision', 'valAuc']],
    ]);
    expect(charts[1].series.map((s) => s.label)).toEqual(['precision', 'auc']);
    expect(metricCharts(['loss', 'mse', 'mae', 'valLoss', 'valMse', 'valMae']).map((c) => c.id)).toEqual(['mse', 'mae']);
  });

  it('draws batch and epoch losses on one fractional-epoch axis', () => {
    const run = runWith([
      { event: 'start', epochs: 2, stepsPerEpoch: 4, trainCount: 100, valCount: 20, params: 10, startEpoch: 1 },
      { event: 'batch', epoch: 1, batch: 2, loss: 2, lr: 0.1, samplesPerSec: 50, etaSeconds: 3 },
      epoch(1, { loss: 1.5, valLoss: 1.4 }),
      { event: 'batch', epoch: 2, batch: 4, loss: 1, lr: 0.1, samplesPerSec: 50, etaSeconds: 0 },
      epoch(2, { loss: 1.1, valLoss: 1.2 }),
    ]);
    expect(alignLines(lossLines(run))).toEqual([
      [0.5, 1, 2],
      [2, null, 1],
      [null, 1.5, 1.1],
      [null, 1.4, 1.2],
    ]);
  });

  it('reads ROC curves at any FPR by linear interpolation and puts them on one grid', () => {
    const curve = { fpr: [0, 0, 0.5, 1], tpr: [0, 0.6, 0.8, 1] };
    expect(tprAt(curve, 0)).toBe(0.6);
    expect(tprAt(curve, 0.25)).toBeCloseTo(0.7, 12);
    expect(tprAt(curve, 1)).toBe(1);
    const [grid, diagonal, c0] = rocAligned([{ classIndex: 0, auc: 0.8, ...curve }], 5);
    expect(grid).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(diagonal).toEqual(grid);
    expect(c0.map((v) => +v!.toFixed(6))).toEqual([0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('lines two runs up by epoch on the metrics they share', () => {
    const a = runWith([epoch(1, { loss: 1, valLoss: 2, valAccuracy: 0.5 }), epoch(2, { loss: 0.5, valLoss: 1, valAccuracy: 0.7 })]);
    const b = runWith([epoch(1, { loss: 2, valLoss: 3 }), epoch(2, { loss: 1, valLoss: 2 }), epoch(3, { loss: 0.5, valLoss: 1 })]);
    expect(sharedMetrics([a, b])).toEqual(['valLoss', 'loss']);
    expect(alignLines(compareLines([a, b], 'valLoss'))).toEqual([
      [1, 2, 3],
      [2, 1, null],
      [3, 2, 1],
    ]);
  });
});
