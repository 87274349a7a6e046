import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from './analyze.js';
import { graphCost, inferShapes } from './infer.js';
import { loadGraphFromText, parseDocument } from './load.js';
import { assertFitsMemory, estimateTrainingMemory, formatBytes, MAX_TENSOR_ELEMENTS, memoryInputs, memoryProblem, trainingOf } from './memory.js';
import type { LoomDocument } from './schema.js';

const mlpText = fs.readFileSync(path.join(import.meta.dirname, '../../examples/mlp-digits.loom.json'), 'utf8');

/** mlp-digits with the hidden layer's units and the training batch size changed. */
function mlp(units: number, batchSize = 32, optimizer = 'adam'): string {
  const doc = JSON.parse(mlpText) as LoomDocument & { nodes: { id: string; params: Record<string, unknown> }[] };
  doc.nodes.find((n) => n.id === 'hidden')!.params.units = units;
  return JSON.stringify({ ...doc, training: { ...doc.training, batchSize, optimizer: { name: optimizer } } });
}

function estimate(text: string) {
  const g = loadGraphFromText(text);
  const shapes = inferShapes(g);
  return estimateTrainingMemory(memoryInputs(g, shapes, graphCost(g, shapes).perNode), trainingOf(g.doc));
}

describe('training memory estimate', () => {
  it('counts weights, gradients, Adam moments and a batch of activations by hand', () => {
    const m = estimate(mlp(64, 32));
    const params = 64 * 64 + 64 + 64 * 10 + 10;
    expect(m.weights).toBe(params * 4);
    expect(m.gradients).toBe(params * 4);
    expect(m.optimizerState).toBe(params * 4 * 2);
    // Every node's output per sample (Input 64, Dense 64, Dropout 64, Dense 10, Output 10), values and gradients.
    const g = loadGraphFromText(mlp(64, 32));
    const perSample = [...inferShapes(g).values()].reduce((s, [sh]) => s + sh.reduce<number>((n, d) => n * (d ?? 1), 1), 0);
    expect(m.activations).toBe(perSample * 32 * 4 * 2);
    expect(m.total).toBe(m.weights + m.gradients + m.optimizerState + m.activations);
    expect(estimate(mlp(64, 32, 'sgd')).optimizerState).toBe(0);
    expect(estimate(mlp(64, 32, 'momentum')).optimizerState).toBe(params * 4);
    expect(estimate(mlp(64, 64)).activations).toBe(2 * m.activations);
  });

  it('refuses a layer no runtime can allocate, and a graph beyond the memory, naming the node', () => {
    const huge = estimate(mlp(1e12));
    expect(huge.largestWeights).toEqual({ node: 'hidden', params: 1e12 * 64 + 1e12 });
    const p = memoryProblem(huge, Infinity)!;
    expect(p.node).toBe('hidden');
    expect(p.message).toMatch(/^node "hidden": 6\.50e\+13 parameters, more than the largest array the runtime can allocate \(4\.29e\+9 elements\)/);
    const big = estimate(mlp(1e7));
    expect(big.largestWeights!.params).toBeLessThan(MAX_TENSOR_ELEMENTS);
    const refused = memoryProblem(big, 1e9)!;
    expect(refused.node).toBe('hidden');
    // 64·1e7 + 1e7 + 10·1e7 + 10 params ≈ 7.5e8 (3.00 GB each for weights and gradients, twice
    // that for Adam); the 1e7 activations of the hidden layer and of its Dropout × 32 × 4 B × 2
    // = 2.56 GB each.
    expect(refused.message).toBe(
      `node "hidden": the graph needs about 17.1 GB to train at batch 32 (weights 3.00 GB, gradients 3.00 GB, optimizer state 6.00 GB, activations 5.12 GB), more than this machine's 1.00 GB of memory; this node alone needs 13.0 GB (76%): make it smaller or lower the batch size`,
    );
    expect(() => assertFitsMemory(big, 1e9)).toThrow(expect.objectContaining({ code: 'memory', where: { node: 'hidden' } }));
    expect(memoryProblem(estimate(mlp(64)), 1e9)).toBeNull();
  });

  it('is what the designer analysis reports', () => {
    const doc = parseDocument(JSON.parse(mlp(128)));
    expect(analyzeDocument(doc).memory).toEqual(estimate(mlp(128)));
  });

  it('formats bytes in decimal units', () => {
    expect([formatBytes(512), formatBytes(1500), formatBytes(4.2e12), formatBytes(75e15)]).toEqual(['512 B', '1.50 kB', '4.20 TB', '75.0 PB']);
  });
});
