// The tabular evaluator on the real NAS-Bench-201 CIFAR-10 table and on small broken files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nb201 } from '../space/nb201.js';
import { createEvaluator } from './index.js';
import { TabularEvaluator } from './tabular.js';

const repoRoot = path.join(import.meta.dirname, '../..');
const TABLE = path.join(repoRoot, '../shared/data/nasbench201/nb201_cifar10.json');
const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-tabular-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(name: string, content: unknown): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
const entry = { index: 0, valid: 80, test: 81, test12: 60, params: 0.1, flops: 10, train_time: 10, eval_time: 5 };

describe('TabularEvaluator on nb201_cifar10.json', () => {
  const ev = new TabularEvaluator(TABLE);

  it('covers the whole nb201 space with keys the space writes', () => {
    expect(ev.size).toBe(15625);
    expect(nb201.size()).toBe(15625);
    const doc = JSON.parse(fs.readFileSync(TABLE, 'utf8')) as { archs: Record<string, unknown> };
    for (const key of Object.keys(doc.archs)) expect(nb201.key(nb201.fromKey(key))).toBe(key);
  });

  it('returns signal, report, all numeric metrics and the default simulated cost', () => {
    const r = ev.evaluate(BEST);
    expect(r.signal).toBe(91.6067);
    expect(r.report).toBe(94.3733);
    expect(Object.keys(r.metrics).sort()).toEqual(['cv_test', 'eval_time', 'flops', 'index', 'params', 'test', 'test12', 'train_time', 'valid']);
    expect(r.metrics.index).toBe(6111);
    expect(r.params).toBe(r.metrics.params);
    expect(r.flops).toBe(r.metrics.flops);
    expect(r.costSeconds).toBeCloseTo(12 * r.metrics.train_time + r.metrics.eval_time, 9);
    expect(ev.optimum).toEqual({ valid: 91.6067, test: 94.3733 });
  });

  it('uses the chosen signal/report fields and cost coefficients', () => {
    const e = createEvaluator(`tabular:${TABLE}`, { signal: 'test12', report: 'cv_test', cost: { trainEpochs: 200, evalPasses: 0 } });
    const r = e.evaluate(BEST) as ReturnType<TabularEvaluator['evaluate']>;
    expect(r.signal).toBe(r.metrics.test12);
    expect(r.report).toBe(r.metrics.cv_test);
    expect(r.costSeconds).toBeCloseTo(200 * r.metrics.train_time, 9);
  });

  it('names the unknown key and the file', () => {
    expect(() => ev.evaluate('|none~0|')).toThrow(`${TABLE}: no architecture "|none~0|" in the table`);
  });

  it('evaluates at the low fidelity (test12 at 12 of 200 epochs) without revealing full-budget fields', () => {
    expect(ev.fidelities).toEqual([0.06, 1]);
    const full = ev.evaluate(BEST);
    const low = ev.evaluateAt(BEST, 0.06);
    expect(low.signal).toBe(full.metrics.test12);
    expect(low.metrics).toEqual({ valid: full.metrics.test12, fidelity: 0.06, params: full.params, flops: full.flops });
    expect(low.report).toBeNaN();
    expect(low.costSeconds).toBeCloseTo(0.06 * 12 * full.metrics.train_time + full.metrics.eval_time, 9);
    expect(ev.evaluateAt(BEST, 1)).toEqual(full);
    expect(() => ev.evaluateAt(BEST, 0)).toThrow(/fidelity must be in \(0, 1\], got 0/);
    const none = new TabularEvaluator(TABLE, { lowFidelity: null });
    expect(none.fidelities).toEqual([1]);
    expect(() => none.evaluateAt(BEST, 0.5)).toThrow(/fidelity 0.5 needs a low-fidelity field/);
  });

  it('rejects a field the table does not have, naming it', () => {
    expect(() => new TabularEvaluator(TABLE, { signal: 'valid12' })).toThrow(
      /nb201_cifar10\.json: the entries have no numeric field "valid12" \(fields: index, valid/,
    );
  });
});

describe('TabularEvaluator on malformed files', () => {
  it.each([
    ['missing.json', null, /missing\.json: cannot read the table \(ENOENT\)/],
    ['notjson.json', '{"archs": ', /notjson\.json: not valid JSON/],
    ['array.json', [1, 2], /array\.json: expected a JSON object with an "archs" field/],
    ['noarchs.json', { ops: [] }, /noarchs\.json: field "archs" must be an object/],
    ['empty.json', { archs: {} }, /empty\.json: field "archs" has no entries/],
    ['entry.json', { archs: { a: entry, b: 3 } }, /entry\.json: archs\["b"\] must be an object, got 3/],
    ['strvalid.json', { archs: { a: entry, b: { ...entry, valid: '91' } } }, /strvalid\.json: archs\["b"\]\.valid must be a finite number/],
    ['notime.json', { archs: { a: entry, b: { ...entry, train_time: undefined } } }, /notime\.json: archs\["b"\]\.train_time must be a finite number/],
    ['notest.json', { archs: { a: { ...entry, test: undefined } } }, /notest\.json: the entries have no numeric field "test"/],
  ])('%s', (name, content, message) => {
    const file = content === null ? path.join(tmp, name) : write(name, content);
    expect(() => new TabularEvaluator(file)).toThrow(message);
  });

  it('charges nothing without time fields, unless a time budget requires them', () => {
    const f = write('untimed.json', { archs: { a: { valid: 1, test: 2 } } });
    expect(new TabularEvaluator(f).evaluate('a')).toMatchObject({ signal: 1, report: 2, costSeconds: 0 });
    expect(new TabularEvaluator(f).charged).toBe(false);
    expect(() => new TabularEvaluator(f, { requireCost: true })).toThrow(
      /untimed\.json: a time budget \(--budget-seconds\) charges each query 12 × train_time \+ 1 × eval_time, but the entries have no numeric field "train_time"/,
    );
  });

  it('needs no time fields when the cost does not use them', () => {
    const f = write('costless.json', { archs: { a: { valid: 1, test: 2 } } });
    expect(new TabularEvaluator(f, { cost: { trainEpochs: 0, evalPasses: 0 } }).evaluate('a')).toMatchObject({ signal: 1, report: 2, costSeconds: 0 });
  });

  it('rejects unknown evaluator kinds and a missing path', () => {
    expect(() => createEvaluator('surrogate:x', { signal: 'valid', report: 'test' })).toThrow(/unknown evaluator "surrogate"/);
    expect(() => createEvaluator('tabular:', { signal: 'valid', report: 'test' })).toThrow(/needs a table path/);
  });
});
