import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from './config.js';
import { withWorkerThreads } from './pool.js';

const base = {
  space: 's.loom.json',
  strategy: { name: 'random' },
  objective: { metric: 'valAccuracy' },
  report: 'valAccuracy',
  budget: { trials: 4 },
  seed: 0,
} as const;

describe('parallel search workers split the cores', () => {
  it('gives each training worker cores ÷ workers onnxruntime threads', () => {
    const cfg = { ...base, evaluator: { spec: 'train', train: { epochs: 1 } } } as ExperimentConfig;
    expect(withWorkerThreads(cfg, 4, 16).evaluator.train).toEqual({ epochs: 1, threads: 4 });
    expect(withWorkerThreads(cfg, 3, 16).evaluator.train?.threads).toBe(5);
    expect(withWorkerThreads(cfg, 8, 2).evaluator.train?.threads).toBe(1);
    expect(withWorkerThreads({ ...cfg, evaluator: { spec: 'train:digits' } } as ExperimentConfig, 2, 8).evaluator.train).toEqual({ threads: 4 });
  });
  it('keeps a requested count that fits and refuses one that oversubscribes', () => {
    const cfg = { ...base, evaluator: { spec: 'train', train: { threads: 2 } } } as ExperimentConfig;
    expect(withWorkerThreads(cfg, 4, 16).evaluator.train?.threads).toBe(2);
    expect(() => withWorkerThreads(cfg, 4, 4)).toThrow(/4 workers × 2 threads exceeds the 4 cores/);
  });
  it('leaves table look-ups alone', () => {
    const cfg = { ...base, evaluator: { spec: 'tabular:t.json' } } as ExperimentConfig;
    expect(withWorkerThreads(cfg, 4, 16)).toBe(cfg);
  });
});
