// The two training engines: which one runs and why, the same result from both on LeNet
// with the same seed and data order, and checkpoints that resume on the other engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainJob } from '../../engine/jobs/train-job.js';

const root = path.join(import.meta.dirname, '../..');
const example = (name: string) => fs.readFileSync(path.join(root, 'examples', `${name}.loom.json`), 'utf8');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-backends-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('backend choice', () => {
  it('auto trains on onnxruntime when every node supports it, and says so', async () => {
    let backend = { name: '', reason: '' };
    const r = await runTrainJob({ text: example('mlp-digits'), dataDir, overrides: { epochs: 2 }, onBackend: (b) => (backend = b) });
    expect(r.status).toBe('completed');
    expect(backend.name).toBe('onnxruntime');
    expect(backend.reason).toMatch(/every node supports it/);
    // Threads follow the machine unless told otherwise, and the reason says how many.
    const cores = os.availableParallelism();
    expect(backend.reason).toContain(`CPU, ${cores} thread${cores === 1 ? '' : 's'})`);
  });

  it('--threads (overrides.threads) sets onnxruntime threads, and the reason reports them', async () => {
    let backend = { name: '', reason: '' };
    await runTrainJob({ text: example('mlp-digits'), dataDir, overrides: { epochs: 1, limit: 200, threads: 1 }, onBackend: (b) => (backend = b) });
    expect(backend.reason).toContain('CPU, 1 thread)');
  });

  it('auto falls back to tf.js for a recurrent graph and names the node', async () => {
    let backend = { name: '', reason: '' };
    await runTrainJob({ text: example('lstm-sine'), dataDir, overrides: { epochs: 1 }, onBackend: (b) => (backend = b) });
    expect(backend.name).toBe('wasm');
    expect(backend.reason).toMatch(/onnxruntime not used: node "lstm" \(LSTM\): LSTM trains on the tf\.js backends only/);
  });

  it('--backend onnxruntime refuses a graph it cannot train, naming the node', async () => {
    await expect(runTrainJob({ text: example('lstm-sine'), dataDir, backend: 'onnxruntime' })).rejects.toThrow(
      /--backend onnxruntime: node "lstm" \(LSTM\): LSTM trains on the tf\.js backends only/,
    );
  });
});

describe('lenet-mnist on both engines', () => {
  it('reaches ≥ 0.90 in 2 epochs on each, within 1 point of each other', async () => {
    const overrides = { limit: 5000, epochs: 2 };
    const wasm = await runTrainJob({ text: example('lenet-mnist'), dataDir, backend: 'wasm', overrides });
    const ort = await runTrainJob({ text: example('lenet-mnist'), dataDir, backend: 'onnxruntime', overrides });
    expect(wasm.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(ort.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(wasm.metrics.valAccuracy - ort.metrics.valAccuracy)).toBeLessThanOrEqual(0.01);
  });
});

describe('checkpoints are backend-neutral', () => {
  for (const [first, second] of [
    ['wasm', 'onnxruntime'],
    ['onnxruntime', 'wasm'],
  ] as const) {
    it(`a run started on ${first} resumes on ${second} and its loss keeps falling`, async () => {
      const controller = new AbortController();
      const losses: number[] = [];
      const started = await runTrainJob({
        text: example('mlp-digits'),
        dataDir,
        backend: first,
        overrides: { epochs: 6 },
        signal: controller.signal,
        onEvent: (e) => {
          if (e.event === 'epoch') {
            losses.push(e.metrics.loss);
            if (e.epoch === 3) controller.abort();
          }
        },
      });
      expect(started.status).toBe('cancelled');
      expect(losses).toHaveLength(3);
      let backend = '';
      const resumed = await runTrainJob({
        resume: started.runId,
        dataDir,
        backend: second,
        onBackend: (b) => (backend = b.name),
        onEvent: (e) => {
          if (e.event === 'epoch') losses.push(e.metrics.loss);
        },
      });
      expect(backend).toBe(second);
      expect(resumed.status).toBe('completed');
      expect(losses).toHaveLength(6);
      // Still learning after the switch: epoch 4..6 losses below epoch 3's.
      expect(Math.max(...losses.slice(3))).toBeLessThan(losses[2]);
      expect(resumed.metrics.valAccuracy).toBeGreaterThan(0.9);
    });
  }
});

describe('graphs tf.js cannot train', () => {
  const doc = (extra: Record<string, unknown>) =>
    JSON.stringify({
      version: 1,
      name: 'gap',
      nodes: [
        { id: 'pixels', kind: 'Input', params: { shape: [64] } },
        { id: 'norm', kind: 'BatchNorm', params: extra },
        { id: 'logits', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
        { id: 'digit', kind: 'Output', params: {} },
      ],
      edges: [
        { source: 'pixels', target: 'norm' },
        { source: 'norm', target: 'logits' },
        { source: 'logits', target: 'digit' },
      ],
      training: { dataset: 'digits', epochs: 5 },
    });

  it('refuse to start on tf.js and name the node, while onnxruntime trains them', async () => {
    await expect(runTrainJob({ text: doc({ center: false }), dataDir, backend: 'wasm' })).rejects.toThrow(
      /node "norm": BatchNorm with center or scale off crashes tf\.js training; train it on --backend onnxruntime/,
    );
    // A fast-moving average, so validation (which uses the moving statistics) settles in 5 epochs.
    const r = await runTrainJob({ text: doc({ center: false, momentum: 0.5 }), dataDir });
    expect(r.status).toBe('completed');
    expect(r.metrics.valAccuracy).toBeGreaterThan(0.8);
  });
});
