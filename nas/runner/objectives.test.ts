// Objective and constraint parsing, static-cost filtering and the Pareto front.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../engine/graph/load.js';
import { directionOf, dominates, paretoFront, parseConstraint, parseConstraints, parseObjectives, primary, staticCost, violations } from './objectives.js';

const repoRoot = path.join(import.meta.dirname, '../..');

describe('parseObjectives', () => {
  it('infers directions: accuracy-like max, size / FLOPs / latency / loss min', () => {
    expect(parseObjectives('valAccuracy,params')).toEqual([
      { metric: 'valAccuracy', direction: 'max' },
      { metric: 'params', direction: 'min' },
    ]);
    expect(parseObjectives(['flops', 'latencyMs', 'valLoss', 'valid', 'valF1']).map((o) => o.direction)).toEqual(['min', 'min', 'min', 'max', 'max']);
    expect(directionOf('cv_test')).toBe('max');
    expect(directionOf('train_time')).toBe('min');
  });

  it('takes explicit :max / :min and trims spaces', () => {
    expect(parseObjectives(' score:min , widgets:max')).toEqual([
      { metric: 'score', direction: 'min' },
      { metric: 'widgets', direction: 'max' },
    ]);
  });

  it('names the bad part', () => {
    expect(() => parseObjectives('widgets')).toThrow('objective "widgets": cannot tell whether to maximise or minimise it; write widgets:max or widgets:min');
    expect(() => parseObjectives('valAccuracy:up')).toThrow(/objective "valAccuracy:up": expected METRIC/);
    expect(() => parseObjectives('valAccuracy,,params')).toThrow(/empty metric name/);
    expect(() => parseObjectives('params,params:min')).toThrow('objective "params" is given twice');
    expect(() => parseObjectives([])).toThrow('no objective given');
  });
});

describe('constraints', () => {
  it('parses operators, exponents and k/M/G suffixes', () => {
    expect(parseConstraint('params<=100000')).toEqual({ metric: 'params', op: '<=', value: 100000, text: 'params<=100000' });
    expect(parseConstraint(' flops < 2e6 ')).toMatchObject({ metric: 'flops', op: '<', value: 2e6, text: 'flops < 2e6' });
    expect(parseConstraints('params<=50k,flops>=1.5M').map((c) => [c.op, c.value])).toEqual([
      ['<=', 50_000],
      ['>=', 1_500_000],
    ]);
    expect(parseConstraints(['params>1', 'flops<1G'])).toHaveLength(2);
  });

  it('names the bad part', () => {
    expect(() => parseConstraint('params<=abc')).toThrow('constraint "params<=abc": "abc" is not a number');
    expect(() => parseConstraint('params<=')).toThrow('constraint "params<=": "" is not a number');
    expect(() => parseConstraint('valAccuracy>=0.9')).toThrow(
      /constraint "valAccuracy>=0.9": unknown metric "valAccuracy"; constraints apply to the static cost before training: params, flops/,
    );
    expect(() => parseConstraint('params=100')).toThrow(/constraint "params=100": expected METRIC<=NUMBER/);
  });

  it('filters candidates by their static cost', () => {
    const cs = parseConstraints('params<=100000,flops<2e6');
    expect(violations(cs, { params: 100_000, flops: 1e6 })).toEqual([]);
    expect(violations(cs, { params: 100_001, flops: 2e6 })).toEqual(['params 100001 violates params<=100000', 'flops 2000000 violates flops<2e6']);
    const candidates = [
      { key: 'a', params: 5e4, flops: 1e6 },
      { key: 'b', params: 2e5, flops: 1e6 },
      { key: 'c', params: 5e4, flops: 3e6 },
    ];
    expect(candidates.filter((c) => violations(cs, c).length === 0).map((c) => c.key)).toEqual(['a']);
  });

  it('computes the static cost of a document with graphCost, and names the node of a broken one', () => {
    const doc = parseDocument(JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples/mlp-digits.loom.json'), 'utf8')));
    // 64→64 dense + 64→10 dense.
    expect(staticCost(doc)).toEqual({ params: 64 * 64 + 64 + 64 * 10 + 10, flops: expect.any(Number) });
    const broken = structuredClone(doc);
    broken.nodes.find((n) => n.id === 'hidden')!.kind = 'Conv2D';
    broken.nodes.find((n) => n.id === 'hidden')!.params = { filters: 4, kernelSize: 3 };
    expect(() => staticCost(broken)).toThrow(/node "hidden"/);
  });
});

describe('paretoFront', () => {
  const objs = parseObjectives('valAccuracy,params');
  const p = (id: string, valAccuracy: number, params: number) => ({ id, metrics: { valAccuracy, params } });

  it('keeps exactly the non-dominated points, in input order', () => {
    const pts = [p('a', 0.9, 1000), p('b', 0.8, 500), p('c', 0.85, 1200), p('d', 0.95, 5000), p('e', 0.7, 500), p('f', 0.6, 100)];
    // c is dominated by a (worse and bigger); e by b (same size, worse).
    expect(paretoFront(pts, objs).map((x) => x.id)).toEqual(['a', 'b', 'd', 'f']);
    expect(dominates(objs, pts[1].metrics, pts[4].metrics)).toBe(true);
    expect(dominates(objs, pts[0].metrics, pts[1].metrics)).toBe(false);
  });

  it('keeps duplicates (equal points do not dominate each other) and drops failed points', () => {
    const pts = [p('a', 0.9, 1000), p('a2', 0.9, 1000), p('x', NaN, 10), { id: 'y', metrics: { params: 1 } }, p('b', 0.8, 1000)];
    expect(paretoFront(pts, objs).map((x) => x.id)).toEqual(['a', 'a2']);
    expect(dominates(objs, pts[0].metrics, pts[1].metrics)).toBe(false);
  });

  it('with one objective returns every point attaining the best value', () => {
    const min = parseObjectives('params');
    expect(paretoFront([p('a', 0.5, 300), p('b', 0.9, 200), p('c', 0.1, 200)], min).map((x) => x.id)).toEqual(['b', 'c']);
    expect(paretoFront([p('a', 0.5, 300), p('b', 0.9, 200)], parseObjectives('valAccuracy')).map((x) => x.id)).toEqual(['b']);
    expect(paretoFront([], objs)).toEqual([]);
  });

  it('primary orients the first objective so larger is better', () => {
    expect(primary(objs, { valAccuracy: 0.9, params: 10 })).toBe(0.9);
    expect(primary(parseObjectives('params,valAccuracy'), { valAccuracy: 0.9, params: 10 })).toBe(-10);
    expect(primary(objs, { params: 10 })).toBeNaN();
    expect(primary(objs, { valAccuracy: Infinity })).toBeNaN();
  });
});
