import { describe, expect, it } from 'vitest';
import { paretoFront } from './pareto.js';
import { alignedScatter, scatterModel } from './scatter.js';
import { costAxes } from './trials.js';
import { trial } from './test-fixtures.js';

const p = (id: number, objective: number, cost: number) => ({ id, objective, cost });
const ids = (xs: { id: number }[]) => xs.map((x) => x.id);

describe('paretoFront', () => {
  it('keeps the points no cheaper-or-equal point beats, cheapest first', () => {
    const pts = [p(1, 0.9, 300), p(2, 0.8, 100), p(3, 0.85, 200), p(4, 0.7, 250), p(5, 0.95, 400), p(6, 0.8, 150)];
    expect(ids(paretoFront(pts))).toEqual([2, 3, 1, 5]);
  });

  it('agrees with the quadratic definition on random points', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 20; run++) {
      const pts = Array.from({ length: 40 }, (_, i) => p(i, Math.round(rnd() * 10), Math.round(rnd() * 10)));
      const dominated = (a: (typeof pts)[0]) =>
        pts.some((b) => b !== a && b.objective >= a.objective && b.cost <= a.cost && (b.objective > a.objective || b.cost < a.cost));
      expect(new Set(ids(paretoFront(pts)))).toEqual(new Set(ids(pts.filter((a) => !dominated(a)))));
    }
  });

  it('keeps exact duplicates, drops ties that cost more, ignores non-finite points', () => {
    expect(ids(paretoFront([p(1, 0.9, 100), p(2, 0.9, 100), p(3, 0.9, 120)]))).toEqual([1, 2]);
    expect(ids(paretoFront([p(1, NaN, 10), p(2, 0.5, Infinity), p(3, 0.1, 50)]))).toEqual([3]);
    expect(paretoFront([])).toEqual([]);
  });
});

describe('scatter model', () => {
  const trials = [
    trial(0, { objective: 0.8, metrics: { valAccuracy: 0.8, params: 3000 } }),
    trial(1, { objective: 0.9, metrics: { valAccuracy: 0.9, params: 1000 } }),
    trial(2, { objective: 0.7, metrics: { valAccuracy: 0.7, params: 2000 } }),
    trial(3, { status: 'failed', objective: null, metrics: { params: 500 } }),
  ];

  it('plots successful trials: y is the first objective metric, the front drives on the objective', () => {
    const m = scatterModel(trials, costAxes[0], ['valAccuracy']);
    expect(m.yLabel).toBe('valAccuracy');
    expect(ids(m.points)).toEqual([0, 1, 2]);
    expect(ids(m.front)).toEqual([1]);
  });

  it('shows a minimised first objective as the metric itself, not negated', () => {
    const lat = trials.slice(0, 2).map((t, i) => ({ ...t, objective: -(i + 1), metrics: { ...t.metrics, latencyMs: i + 1 } }));
    const m = scatterModel(lat, costAxes[0], ['latencyMs:min']);
    expect(m.yLabel).toBe('latencyMs');
    expect(m.points.map((x) => x.y)).toEqual([1, 2]);
  });

  it('falls back to the objective when a trial lacks the metric, and to duration as a cost', () => {
    const m = scatterModel(
      [trial(0, { metrics: {} })],
      costAxes.find((a) => a.id === 'duration')!,
      ['valAccuracy'],
    );
    expect(m.yLabel).toBe('objective');
    expect(m.points[0]).toMatchObject({ cost: 1, y: 0.5 });
  });

  it('lays the points out as uPlot columns, cheapest first, the front null elsewhere', () => {
    const a = alignedScatter(scatterModel(trials, costAxes[0], ['valAccuracy']));
    expect(a.xs).toEqual([1000, 2000, 3000]);
    expect(a.ids).toEqual([1, 2, 0]);
    expect(a.front).toEqual([0.9, null, null]);
    expect(a.logX).toBe(false);
    const wide = alignedScatter({ points: [p(1, 1, 10), p(2, 1, 5000)].map((x) => ({ ...x, y: 1 })), front: [], yLabel: 'y' });
    expect(wide.logX).toBe(true);
  });
});
