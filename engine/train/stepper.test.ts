import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './checkpoint.js';
import { trainingConfigSchema } from './config.js';
import type { TrainEvent } from './events.js';
import { stepSeed, trainWithStepper, type TrainOutputSpec } from './loop.js';
import { blobs } from './test-fixtures.js';
import { SoftmaxStepper } from './test-stepper.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'loom-stepper-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const output: TrainOutputSpec = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: true };
const config = trainingConfigSchema.parse({
  epochs: 4,
  batchSize: 16,
  seed: 9,
  optimizer: { name: 'momentum', learningRate: 0.05, momentum: 0.8 },
  lrSchedule: { type: 'cosine' },
  warmupEpochs: 0.5,
});
const data = blobs(150, 3, 4);
const stepper = (seed = 1) => new SoftmaxStepper({ inputs: 2, classes: 3, optimizer: { name: 'momentum', momentum: 0.8 }, seed });

describe('trainWithStepper (a tensor-free backend)', () => {
  it('trains, emits every event, writes checkpoints and the loss falls', async () => {
    const dir = tempDir();
    const events: TrainEvent[] = [];
    const s = stepper();
    const res = await trainWithStepper({
      stepper: s,
      output,
      train: data,
      config,
      checkpointDir: dir,
      onEvent: (e) => events.push(e),
      batchEventIntervalMs: 0,
    });
    expect(res.status).toBe('completed');
    expect(res.history).toHaveLength(4);
    expect(res.history[3].loss).toBeLessThan(res.history[0].loss * 0.7);
    expect(res.history[3].valAccuracy).toBeGreaterThan(0.8);
    expect(events[0]).toMatchObject({ event: 'start', epochs: 4, stepsPerEpoch: 8, trainCount: 120, valCount: 30, params: 9, startEpoch: 1 });
    expect(events.filter((e) => e.event === 'batch')).toHaveLength(32);
    expect(events.filter((e) => e.event === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2, 3, 4]);
    const cps = events.filter((e) => e.event === 'checkpoint') as { epoch: number; best: boolean; path: string }[];
    expect(cps.filter((c) => !c.best).map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    expect(cps.some((c) => c.best)).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed', epochs: 4 });
    expect(existsSync(path.join(dir, 'best.ckpt'))).toBe(true);
    // Each step got the loop's per-step seed.
    expect(s.seeds).toEqual(Array.from({ length: 32 }, (_, i) => stepSeed(9, i)));

    const last = await loadCheckpoint(dir, 'last');
    expect(last.epoch).toBe(4);
    expect(last.globalStep).toBe(32);
    expect(last.modelWeights.map((w) => w.name)).toEqual(['lin/kernel', 'lin/bias']);
    expect(last.modelWeights[0].data).toEqual(s.kernel);
    expect(last.optimizerWeights.map((w) => w.name)).toEqual(['iter', 'lin/kernel/momentum', 'lin/bias/momentum']);
    expect(last.optimizerWeights[0].data[0]).toBe(32);
  });

  it('resumes from the last checkpoint exactly', async () => {
    const straight = stepper();
    const ra = await trainWithStepper({ stepper: straight, output, train: data, config });

    const dir = tempDir();
    const ac = new AbortController();
    const first = await trainWithStepper({
      stepper: stepper(),
      output,
      train: data,
      config,
      checkpointDir: dir,
      signal: ac.signal,
      onEvent: (e) => e.event === 'epoch' && e.epoch === 2 && ac.abort(),
    });
    expect(first.status).toBe('cancelled');
    expect(first.epochs).toBe(2);

    // Different initial weights: everything must come from the checkpoint.
    const resumed = stepper(77);
    const events: TrainEvent[] = [];
    const rb = await trainWithStepper({
      stepper: resumed,
      output,
      train: data,
      config,
      resume: await loadCheckpoint(dir, 'last'),
      onEvent: (e) => events.push(e),
    });
    expect(events[0]).toMatchObject({ event: 'start', startEpoch: 3 });
    expect(rb.status).toBe('completed');
    expect(resumed.kernel).toEqual(straight.kernel);
    expect(resumed.bias).toEqual(straight.bias);
    expect(JSON.stringify(rb.history)).toBe(JSON.stringify(ra.history));
    expect(resumed.seeds).toEqual(straight.seeds.slice(16));
  });

  it('early stopping restores the best weights through setWeights', async () => {
    const s = stepper();
    const atEpoch = new Map<number, Float32Array>();
    const res = await trainWithStepper({
      stepper: s,
      output,
      train: data,
      config: { ...config, epochs: 20, earlyStopping: { monitor: 'valLoss', mode: 'auto', patience: 2, minDelta: 100, restoreBest: true } },
      onEvent: (e) => e.event === 'epoch' && atEpoch.set(e.epoch, s.kernel.slice()),
    });
    expect(res.status).toBe('stopped-early');
    expect(res.epochs).toBe(3);
    expect(res.bestEpoch).toBe(1);
    expect(s.kernel).toEqual(atEpoch.get(1));
    expect(s.kernel).not.toEqual(atEpoch.get(3));
  });
});
