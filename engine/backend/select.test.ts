/**
 * Backend selection on this machine: no native TensorFlow, so 'auto' lands on wasm and
 * says why; 'tensorflow' fails loudly; repeated calls are safe.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from './select.js';

describe('initBackend', () => {
  it("'auto' picks wasm and explains the missing tfjs-node", async () => {
    const b = await initBackend('auto');
    expect(b.name).toBe('wasm');
    expect(b.tf.getBackend()).toBe('wasm');
    expect(b.reason).toMatch(/^wasm \(/);
    expect(b.reason).toContain('@tensorflow/tfjs-node not installed');
    expect(b.reason).toContain('@tensorflow/tfjs-node-gpu not installed');
    // Our kernels are in place.
    expect(b.tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(b.tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('is idempotent and can switch between backends', async () => {
    const a = await initBackend('auto');
    const before = a.tf.memory().numTensors;
    const again = await initBackend('auto');
    expect(again.name).toBe('wasm');
    expect(again.tf).toBe(a.tf);
    expect(a.tf.tidy(() => a.tf.add(a.tf.scalar(1), a.tf.scalar(2)).arraySync())).toBe(3);
    const cpu = await initBackend('cpu');
    expect(cpu.name).toBe('cpu');
    expect(cpu.reason).toMatch(/^cpu \(requested/);
    const wasm = await initBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(wasm.reason).toMatch(/^wasm \(.*SIMD.*\): requested$/);
    expect(a.tf.memory().numTensors).toBe(before);
  });

  it("'tensorflow' throws a clear error when tfjs-node is absent", async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/Native TensorFlow backend unavailable: .*@tensorflow\/tfjs-node not installed/);
    // A failed native request leaves a working backend selectable.
    const b = await initBackend('auto');
    expect(b.name).toBe('wasm');
  });
});
