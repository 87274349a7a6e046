import { describe, expect, it } from 'vitest';
import { trial } from './test-fixtures.js';
import { archSample, availableAxes, changedLabel, decisionValues, filterTrials, primaryMetric, sortTrials, tableColumns } from './trials.js';

const trials = [
  trial(0),
  trial(1, { status: 'failed', objective: null, metrics: { params: 9000 }, error: 'diverged' }),
  trial(2, { parent: 0, changed: 'head.filters', metrics: { valAccuracy: 0.93, params: 48_000, flops: 9e5, latencyMs: 0.8 }, objective: 0.93 }),
  trial(3, {
    parent: 2,
    changed: 'stem.kernelSize',
    arch: 'stem.kernelSize=5,head.filters=48',
    objective: 0.88,
    metrics: { valAccuracy: 0.88, params: 60_000 },
  }),
];
const ids = (xs: { trialId: number }[]) => xs.map((t) => t.trialId);

describe('trials table model', () => {
  it('parses architecture keys and labels the changed decision with its new value', () => {
    expect(archSample('a=1,b.c=true,d=x=y')).toEqual({ a: '1', 'b.c': 'true', 'd=x': 'y' });
    expect(archSample('')).toEqual({});
    expect(changedLabel(trials[3])).toBe('stem.kernelSize=5');
    expect(changedLabel({ ...trials[3], sample: { 'stem.kernelSize': 3 } })).toBe('stem.kernelSize=3');
    expect(changedLabel(trials[0])).toBe('');
  });

  it('shows the objectives first, then the known metrics present, then duration, parent and change', () => {
    const cols = tableColumns(trials, ['latencyMs:min', 'valAccuracy']).map((c) => c.id);
    expect(cols).toEqual(['trialId', 'status', 'latencyMs', 'valAccuracy', 'params', 'flops', 'duration', 'parent', 'changed']);
    // The objective gets its own column only when its metric has none.
    expect(
      tableColumns(trials, ['reward:max'])
        .map((c) => c.id)
        .slice(0, 4),
    ).toEqual(['trialId', 'status', 'objective', 'valAccuracy']);
    expect(primaryMetric(['latencyMs:min'])).toBe('latencyMs');
    expect(primaryMetric([])).toBe('valAccuracy');
  });

  it('sorts both ways with missing values last and ties by id', () => {
    const cols = tableColumns(trials, ['valAccuracy']);
    const acc = cols.find((c) => c.id === 'valAccuracy')!;
    expect(ids(sortTrials(trials, acc, 'desc'))).toEqual([2, 3, 0, 1]);
    expect(ids(sortTrials(trials, acc, 'asc'))).toEqual([0, 3, 2, 1]);
    const status = cols.find((c) => c.id === 'status')!;
    expect(ids(sortTrials(trials, status, 'asc'))).toEqual([1, 0, 2, 3]);
    const parent = cols.find((c) => c.id === 'parent')!;
    expect(ids(sortTrials(trials, parent, 'asc'))).toEqual([2, 3, 0, 1]);
  });

  it('filters by text and by metric comparisons (with k / M suffixes), all terms together', () => {
    const cols = tableColumns(trials, ['valAccuracy']);
    expect(ids(filterTrials(trials, 'failed', cols))).toEqual([1]);
    expect(ids(filterTrials(trials, 'kernelSize=5', cols))).toEqual([3]);
    expect(ids(filterTrials(trials, 'valAccuracy>0.9', cols))).toEqual([2]);
    expect(ids(filterTrials(trials, 'params>=48k ok', cols))).toEqual([2, 3]);
    expect(ids(filterTrials(trials, 'objective<0.6', cols))).toEqual([0]);
    expect(ids(filterTrials(trials, 'duration>=3', cols))).toEqual([2, 3]);
    expect(ids(filterTrials(trials, '#3', cols))).toEqual([3]);
    expect(ids(filterTrials(trials, '   ', cols))).toEqual([0, 1, 2, 3]);
  });

  it('offers the cost axes some trial has', () => {
    expect(availableAxes(trials).map((a) => a.id)).toEqual(['params', 'flops', 'duration', 'latencyMs']);
    expect(availableAxes([trial(0, { metrics: {} })]).map((a) => a.id)).toEqual(['duration']);
  });

  it("marks a shown trial's decisions that differ from the design's first options or from the parent", () => {
    const decisions = [
      { name: 'stem.kernelSize', options: [3, 5], kind: 'param' as const, node: 'stem' },
      { name: 'skip', options: [false, true], kind: 'edge' as const, edge: '5' },
    ];
    const sample = { skip: true, 'stem.kernelSize': 3 };
    expect(decisionValues(sample, decisions)).toEqual([
      { name: 'stem.kernelSize', value: '3', changed: false },
      { name: 'skip', value: 'true', changed: true },
    ]);
    expect(decisionValues(sample, decisions, 'stem.kernelSize=5,skip=true').map((d) => d.changed)).toEqual([true, false]);
    expect(decisionValues({ a: 1 }, [])).toEqual([{ name: 'a', value: '1', changed: false }]);
  });
});
