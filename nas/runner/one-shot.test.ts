// Weight-sharing experiments through the runner, on embedded digits with a tiny budget:
// a search stopped between supernet epochs resumes to exactly the uninterrupted result;
// a search stopped in its selection phase resumes without losing or repeating trials; DARTS
// on a drawn space streams per-decision probabilities with canvas targets and leaves a found
// graph whose supernet weights export to ONNX.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../engine/backend/select.js';
import { runExportJob } from '../../engine/jobs/export-job.js';
import { parseDocument, parseJson } from '../../engine/graph/load.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { ExperimentStore } from '../../engine/store/experiments.js';
import { drawnSpace } from '../space/drawn.js';
import { resumeExperiment, runExperiment } from './experiment.js';
import { experimentDir, loadSupernet } from './one-shot-files.js';
import { oneShotConfig } from './one-shot-config.js';
import type { SupernetEvent } from './one-shot.js';
import { useTempDbs } from './test-db.testkit.js';

const tmpDb = useTempDbs('loom-oneshot-');
const repoRoot = path.join(import.meta.dirname, '../..');

const enasConfig = () =>
  oneShotConfig({
    strategy: 'enas',
    options: { controllerSteps: 6 },
    supernet: { dataset: 'digits', epochs: 3, limit: 192, valLimit: 128 },
    trials: 3,
    seed: 4,
    skeleton: { channels: 4 },
  });

describe('weight-sharing experiments', () => {
  it('ENAS stopped after epoch 2 resumes from its checkpoint to exactly the uninterrupted result', async () => {
    const config = await enasConfig();
    const dbWhole = tmpDb();
    const { tf } = await initBackend('auto');
    const tensors = tf.memory().numTensors;
    const whole = await runExperiment({ db: dbWhole, config });
    // Nothing leaks: the supernet, optimizers and every step's tensors are disposed.
    expect(tf.memory().numTensors).toBe(tensors);
    expect(whole.status).toBe('completed');
    expect(whole.best!.key).toMatch(/^\|.+~0\|\+\|.+~2\|$/);

    const db = tmpDb();
    const ctl = new AbortController();
    const first = await runExperiment({
      db,
      config,
      signal: ctl.signal,
      onSupernet: (e) => {
        if (e.event === 'supernet-epoch' && e.epoch === 2) ctl.abort();
      },
    });
    expect(first.status).toBe('cancelled');
    expect((await loadSupernet(experimentDir(db, first.id)))!.epoch).toBe(2);
    const events: SupernetEvent[] = [];
    const resumed = await resumeExperiment({ db, id: first.id, onSupernet: (e) => events.push(e) });
    expect(resumed.status).toBe('completed');
    expect(events.filter((e) => e.event === 'supernet-epoch').map((e) => e.epoch)).toEqual([3]);
    const { wallMs: _w1, ...bestWhole } = whole.best!.metrics;
    const { wallMs: _w2, ...bestResumed } = resumed.best!.metrics;
    expect({ ...resumed.best, metrics: bestResumed }).toEqual({ ...whole.best, metrics: bestWhole });
    expect(resumed.trials).toBe(3);
    // The supernets agree to the bit: same per-epoch losses and rewards, same final weights.
    const a = (await loadSupernet(experimentDir(dbWhole, whole.id)))!;
    const b = (await loadSupernet(experimentDir(db, first.id)))!;
    expect(b.history).toEqual(a.history);
    expect(a.history.every((h) => Number.isFinite(h.loss) && h.loss > 0 && h.reward >= 0 && h.reward <= 1)).toBe(true);
    expect(b.bank.map((t) => [t.name, Array.from(t.data)])).toEqual(a.bank.map((t) => [t.name, Array.from(t.data)]));
    expect(b.strategy.json).toEqual(a.strategy.json);
    expect(resumed.found!.arch).toBe(whole.best!.key);
  });

  it('SPOS stopped in its evolution phase resumes without losing or repeating a trial', async () => {
    const config = await oneShotConfig({
      strategy: 'spos',
      options: { populationSize: 4, sampleSize: 2 },
      supernet: { dataset: 'digits', epochs: 1, limit: 128, valLimit: 96 },
      trials: 9,
      seed: 2,
      skeleton: { channels: 4 },
    });
    const db = tmpDb();
    const ctl = new AbortController();
    const first = await runExperiment({ db, config, signal: ctl.signal, onTrial: (t) => t.seq === 4 && ctl.abort() });
    expect([first.status, first.trials]).toEqual(['cancelled', 5]);
    const resumed = await resumeExperiment({ db, id: first.id });
    expect([resumed.status, resumed.trials]).toEqual(['completed', 9]);
    const trials = new ExperimentStore(db).trials(first.id);
    expect(trials.map((t) => t.trialId)).toEqual([...Array(9).keys()]);
    // Once the population is full, evolution mutates: the resumed trials include children.
    expect(trials.slice(5).some((t) => t.parent !== null && t.changed !== null)).toBe(true);
    expect(trials.every((t) => t.status === 'failed' || t.metrics.supernetAccuracy >= 0)).toBe(true);
  });

  it('DARTS on a drawn space streams per-decision probabilities and leaves a found graph whose weights export', async () => {
    const file = path.join(repoRoot, 'examples/spaces/space-digits.loom.json');
    const text = fs.readFileSync(file, 'utf8');
    const space = drawnSpace(text);
    const config = await oneShotConfig({
      strategy: 'darts',
      supernet: { dataset: 'digits', epochs: 2, limit: 128, valLimit: 96 },
      seed: 1,
      drawn: { name: 'space-digits.loom.json', text },
    });
    const events: SupernetEvent[] = [];
    const db = tmpDb();
    const r = await runExperiment({ db, config, onSupernet: (e) => events.push(e) });
    expect(r.status).toBe('completed');
    const probs = events.filter((e) => e.event === 'probabilities');
    expect(probs.length).toBeGreaterThanOrEqual(2);
    const doc = parseDocument(parseJson(text));
    for (const e of probs) {
      expect(Object.keys(e.choices)).toEqual(space.decisions.map((d) => d.name));
      for (const [name, dist] of Object.entries(e.choices)) {
        expect(Object.keys(dist)).toEqual(space.decisions.find((d) => d.name === name)!.options.map(String));
        expect(Object.values(dist).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(e.targets[name].length).toBeGreaterThan(0);
        for (const t of e.targets[name]) expect(doc.nodes.some((n) => n.id === t.node)).toBe(true);
      }
    }
    expect(probs[0].targets['edge:stem->residual']).toEqual([{ node: 'residual', edge: 'stem->residual', source: 'stem' }]);
    expect(probs[0].targets['head.filters']).toEqual([{ node: 'head', param: 'filters' }]);
    // Probabilities move with α.
    expect(probs.at(-1)!.choices).not.toEqual(probs[0].choices);
    // The found architecture is a concrete graph; its supernet weights export (verified in onnxruntime).
    const found = r.found!;
    expect(found.arch).toBe(r.best!.key);
    const graph = validateDocument(parseDocument(parseJson(fs.readFileSync(found.graph, 'utf8'))));
    expect([...graph.nodes.values()].every((n) => !['Choice', 'Repeat', 'Cell'].includes(n.kind))).toBe(true);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-found-')), 'found.onnx');
    const ex = await runExportJob({
      text: fs.readFileSync(found.graph, 'utf8'),
      weights: found.weights,
      out,
      format: 'onnx',
      verify: true,
      dataDir: path.dirname(db.name),
    });
    expect(ex.verify?.passed).toBe(true);
    expect(fs.statSync(out).size).toBeGreaterThan(1000);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('DARTS stopped after epoch 1 resumes with the same α and optimizer state as an uninterrupted search', async () => {
    const text = fs.readFileSync(path.join(repoRoot, 'examples/spaces/space-digits.loom.json'), 'utf8');
    const config = await oneShotConfig({
      strategy: 'darts',
      supernet: { dataset: 'digits', epochs: 2, limit: 96, valLimit: 64 },
      seed: 3,
      drawn: { name: 'space-digits.loom.json', text },
    });
    const dbWhole = tmpDb();
    const whole = await runExperiment({ db: dbWhole, config });
    const db = tmpDb();
    const ctl = new AbortController();
    const first = await runExperiment({ db, config, signal: ctl.signal, onSupernet: (e) => e.event === 'supernet-epoch' && ctl.abort() });
    expect(first.status).toBe('cancelled');
    const resumed = await resumeExperiment({ db, id: first.id });
    expect(resumed.best!.key).toBe(whole.best!.key);
    const a = (await loadSupernet(experimentDir(dbWhole, whole.id)))!;
    const b = (await loadSupernet(experimentDir(db, first.id)))!;
    expect(b.strategy.json).toEqual(a.strategy.json);
    expect(b.strategy.tensors.map((t) => Array.from(t.data))).toEqual(a.strategy.tensors.map((t) => Array.from(t.data)));
    expect(b.history).toEqual(a.history);
  });
});
