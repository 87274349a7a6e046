// `layerloom search`: a search killed with SIGKILL mid-run resumes through the real CLI with
// no lost or repeated trials; flag errors are one line with exit code 2.
import { fromBinary } from '@bufbuild/protobuf';
import Database from 'better-sqlite3';
import { ModelProtoSchema } from 'onnx-buf';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, root, runCli, startCli } from './run-cli.js';

const TABLE = path.join(root, '../shared/data/nasbench201/nb201_cifar10.json');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-search-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const base = ['search', '--space', 'nb201', '--evaluator', `tabular:${TABLE}`, '--json', '--data-dir', dataDir];

describe('layerloom search', () => {
  it('resumes a search killed with SIGKILL to exactly its trial budget', async () => {
    const budget = 3000;
    let experimentId = '';
    let killed = false;
    const first = startCli([...base, '--strategy', 'evolution', '--budget-trials', String(budget), '--seed', '3'], (line, child) => {
      const e = JSON.parse(line) as { event: string; experimentId?: string; seq?: number };
      if (e.experimentId) experimentId = e.experimentId;
      if (e.event === 'trial' && e.seq! >= 100 && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    const k = await first.done;
    expect(k.signal).toBe('SIGKILL');
    const before = jsonLines(k.stdout).filter((e) => e.event === 'trial');
    expect(before.length).toBeGreaterThan(100);
    expect(before.length).toBeLessThan(budget);

    const resumed = await runCli(['search', 'resume', experimentId, '--json', '--data-dir', dataDir]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const events = jsonLines(resumed.stdout);
    const after = events.filter((e) => e.event === 'trial');
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', status: 'completed', summary: { runs: 1 }, experiments: [{ id: experimentId, trials: budget }] });

    // Printed trials (before the kill + after resume) never repeat an id ...
    const printed = [...before, ...after].map((e) => e.trialId as number);
    expect(new Set(printed).size).toBe(printed.length);
    // ... and the store holds exactly the budget, in order, each once.
    const db = new Database(path.join(dataDir, 'layerloom.db'), { readonly: true });
    const rows = db.prepare('SELECT trial_id, seq FROM trials WHERE experiment_id = ? ORDER BY seq').all(experimentId) as { trial_id: number; seq: number }[];
    const exp = db.prepare('SELECT status, trials_done FROM experiments WHERE id = ?').get(experimentId);
    db.close();
    expect(exp).toEqual({ status: 'completed', trials_done: budget });
    expect(rows.map((r) => r.seq)).toEqual([...Array(budget).keys()]);
    expect(new Set(rows.map((r) => r.trial_id)).size).toBe(budget);
    // The last printed trial before the kill is stored (lines are printed after commit).
    expect(rows.some((r) => r.trial_id === before.at(-1)!.trialId)).toBe(true);

    const best = done.best as { arch: string; trialId: number; metrics: Record<string, number> };
    expect(best.arch).toMatch(/^\|.*\|$/);
    expect((done.summary as { mean: number }).mean).toBe(best.metrics.test);
  });

  it('repeats with --runs and prints mean ± std of the reported field', async () => {
    const r = await runCli([...base, '--strategy', 'random', '--runs', '3', '--seed', '10', '--signal', 'test12', '--report', 'valid']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    const done = events.at(-1)! as { event: string; summary: { mean: number; std: number; runs: number; field: string }; experiments: { seed: number }[] };
    expect(done.event).toBe('done');
    expect(done.summary).toMatchObject({ runs: 3, field: 'valid' });
    expect(done.experiments.map((e) => e.seed)).toEqual([10, 11, 12]);
    expect(done.summary.mean).toBeGreaterThan(85);
    expect(new Set(events.filter((e) => e.event === 'trial').map((e) => e.experimentId)).size).toBe(3);
  });

  it('rejects bad flags with one line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['search', 'a.loom.json', 'b.loom.json', '--strategy', 'random'], /^error: search takes one space file, got 2/],
      [
        ['search', '--strategy', 'random', '--evaluator', 'tabular:x', '--export-top', '1', '-o', 'd'],
        /^error: --export-top: tabular results have no weights\n$/,
      ],
      [['search', '--space', 'darts', '--strategy', 'random', '--evaluator', 'tabular:x'], /^error: --space must be nb201/],
      [
        ['search', '--strategy', 'bayes', '--evaluator', 'tabular:x'],
        /^error: --strategy must be one of random, evolution, reinforce, local, bayesopt, asha, spos, enas, darts, got "bayes"\n$/,
      ],
      [['search', '--strategy', 'random'], /^error: search needs --evaluator tabular:PATH\n$/],
      [['search', '--strategy', 'random', '--evaluator', 'tabular:x', '--budget-seconds', '0'], /^error: --budget-seconds expects a number > 0/],
      [['search', 'resume'], /^error: usage: layerloom search resume EXPERIMENT_ID\n$/],
    ];
    // Spawned together: each launcher start costs most of a second.
    const results = await Promise.all(cases.map(([args]) => runCli([...args, '--data-dir', dataDir])));
    results.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
    });
  });

  it('searches a drawn space with the train evaluator and exports the best trial to ONNX with search metadata', async () => {
    const out = path.join(dataDir, 'top');
    const r = await runCli([
      'search',
      path.join(root, 'examples/spaces/space-digits.loom.json'),
      '--strategy',
      'random',
      '--evaluator',
      'train',
      '--epochs',
      '1',
      '--limit',
      '200',
      '--budget-trials',
      '4',
      '--objective',
      'valAccuracy,params',
      '--export-top',
      '1',
      '-o',
      out,
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = jsonLines(r.stdout);
    const done = events.at(-1)! as { event: string; best: { arch: string; trialId: number; experimentId: string }; pareto: { trialId: number }[] };
    expect(done.event).toBe('done');
    expect(done.best.arch).toMatch(/^stem\.kernelSize=\d,.*blocks=\d$/);
    expect(done.pareto.length).toBeGreaterThan(0);
    const files = fs.readdirSync(out);
    expect(files).toEqual([`1-${done.best.trialId}.onnx`]);
    const model = fromBinary(ModelProtoSchema, fs.readFileSync(path.join(out, files[0])));
    const props = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    expect(props['layerloom.search_id']).toBe(done.best.experimentId);
    const decisions = JSON.parse(props['layerloom.decisions']) as Record<string, unknown>;
    expect(
      Object.entries(decisions)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(','),
    ).toBe(done.best.arch);
  });

  it('refuses a drawn space whose candidates fail the shape check, naming the decision values', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'examples/spaces/space-digits.loom.json'), 'utf8')) as {
      nodes: { id: string; params: Record<string, unknown> }[];
    };
    const stem = doc.nodes.find((n) => n.id === 'stem')!;
    stem.params = { ...stem.params, kernelSize: { choice: [3, 9] }, padding: 'valid' };
    const file = path.join(dataDir, 'broken.loom.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await runCli(['search', file, '--strategy', 'random', '--budget-trials', '2', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: search space space-digits: \d+ of \d+ checked candidates fail the shape check: \[stem\.kernelSize=9,[^\n]*\n$/);
  });

  it('fails with exit 1 and one line naming the file for a bad table or unknown experiment', async () => {
    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, '{"archs": {"|a|": {"valid": "x"}}}');
    let r = await runCli(['search', '--strategy', 'random', '--evaluator', `tabular:${bad}`, '--data-dir', dataDir]);
    expect([r.code, r.stderr]).toEqual([1, `error: ${bad}: the entries have no numeric field "valid" (fields: )\n`]);
    r = await runCli(['search', 'resume', 'e-missing', '--data-dir', dataDir]);
    expect([r.code, r.stderr]).toEqual([1, 'error: no experiment e-missing\n']);
  });

  it('resumes a parallel train search killed with SIGKILL, re-running the trials in flight', async () => {
    const space = path.join(root, 'examples/spaces/space-digits.loom.json');
    const args = [
      'search',
      space,
      '--strategy',
      'evolution',
      '--evaluator',
      'train',
      '--epochs',
      '1',
      '--limit',
      '200',
      '--budget-trials',
      '6',
      '--workers',
      '2',
      '--json',
      '--data-dir',
      dataDir,
    ];
    let experimentId = '';
    const first = startCli(args, (line, child) => {
      const e = JSON.parse(line) as { event: string; experimentId?: string };
      if (e.event === 'trial' && !experimentId) {
        experimentId = e.experimentId!;
        child.kill('SIGKILL');
      }
    });
    const k = await first.done;
    expect(k.signal).toBe('SIGKILL');
    const before = jsonLines(k.stdout).filter((e) => e.event === 'trial');
    let db = new Database(path.join(dataDir, 'layerloom.db'), { readonly: true });
    const inflight = (db.prepare('SELECT trial_id FROM pending_trials WHERE experiment_id = ?').all(experimentId) as { trial_id: number }[]).map(
      (r) => r.trial_id,
    );
    db.close();
    expect(inflight.length).toBeGreaterThan(0);

    const resumed = await runCli(['search', 'resume', experimentId, '--json', '--data-dir', dataDir]);
    expect(resumed.code).toBe(0);
    const after = jsonLines(resumed.stdout).filter((e) => e.event === 'trial');
    const printed = [...before, ...after].map((e) => e.trialId as number);
    expect(new Set(printed).size).toBe(printed.length);
    for (const id of inflight) expect(printed).toContain(id);
    db = new Database(path.join(dataDir, 'layerloom.db'), { readonly: true });
    const rows = db.prepare('SELECT trial_id, seq FROM trials WHERE experiment_id = ? ORDER BY seq').all(experimentId) as { trial_id: number; seq: number }[];
    const exp = db.prepare('SELECT status, trials_done FROM experiments WHERE id = ?').get(experimentId);
    const left = db.prepare('SELECT COUNT(*) AS n FROM pending_trials WHERE experiment_id = ?').get(experimentId);
    db.close();
    expect(exp).toEqual({ status: 'completed', trials_done: 6 });
    expect(left).toEqual({ n: 0 });
    expect(rows.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.trial_id).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('searches a table without timing fields on a trial budget, and names what a time budget needs', async () => {
    const src = JSON.parse(fs.readFileSync(TABLE, 'utf8')) as { archs: Record<string, Record<string, number>> };
    const archs = Object.fromEntries(Object.entries(src.archs).map(([k, e]) => [k, { valid: e.valid, test: e.test }]));
    const file = path.join(dataDir, 'no-timing.json');
    fs.writeFileSync(file, JSON.stringify({ archs }));
    const args = ['search', '--space', 'nb201', '--evaluator', `tabular:${file}`, '--strategy', 'local', '--data-dir', dataDir];
    const ok = await runCli([...args, '--budget-trials', '30', '--workers', '4', '--json']);
    expect(ok.code).toBe(0);
    expect(jsonLines(ok.stdout).at(-1)).toMatchObject({ event: 'done', status: 'completed', experiments: [{ trials: 30, simulatedSeconds: 0 }] });
    const refused = await runCli(args);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/a time budget \(--budget-seconds\) .*no numeric field "train_time".*use a trial budget \(--budget-trials\)/);
  });
});
