import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { availableCores, resolveThreads, threadsPerWorker } from './threads.js';

describe('onnxruntime thread counts', () => {
  it('default to the machine, overridden by the first given request', () => {
    expect(availableCores()).toBe(os.availableParallelism());
    expect(resolveThreads()).toBe(os.availableParallelism());
    expect(resolveThreads(undefined, 3)).toBe(3);
    expect(resolveThreads(5, 3)).toBe(5);
    expect(() => resolveThreads(0)).toThrow(/positive integer, got 0/);
    expect(() => resolveThreads(1.5)).toThrow(/positive integer/);
  });
  it('split the cores between parallel workers: workers × threads ≤ cores', () => {
    for (const cores of [1, 2, 3, 8, 16]) {
      for (const workers of [1, 2, 3, 4, 16]) {
        const t = threadsPerWorker(workers, undefined, cores);
        expect(t).toBeGreaterThanOrEqual(1);
        if (workers <= cores) expect(workers * t).toBeLessThanOrEqual(cores);
      }
    }
    expect(threadsPerWorker(4, undefined, 16)).toBe(4);
    expect(threadsPerWorker(3, undefined, 16)).toBe(5);
    expect(threadsPerWorker(32, undefined, 16)).toBe(1);
  });
  it('honour an explicit request that fits and refuse one that oversubscribes', () => {
    expect(threadsPerWorker(4, 2, 16)).toBe(2);
    expect(() => threadsPerWorker(4, 8, 16)).toThrow(/4 workers × 8 threads exceeds the 16 cores.*at most 4/);
  });
});
