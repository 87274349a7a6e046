/**
 * A 10,000-node chain: validation, shape inference, costs and the memory estimate are
 * iterative and take it; tf.js builds its model map recursively, so in a process with Node's
 * default stack the compile refuses with the depth limit stated (instead of "Maximum call stack
 * size exceeded" naming nothing), and with the launchers' raised stack (--stack-size=4000) it
 * builds, and the chain trains end to end on tf.js. onnxruntime is not used for it: its session
 * setup for the step grows superlinearly (minutes at 1,000 nodes), so `auto` leaves it out
 * above ORT_AUTO_MAX_NODES.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile/compile.js';
import { analyzeDocument } from '../../engine/graph/analyze.js';
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { loadGraphFromText, parseDocument } from '../../engine/graph/load.js';
import { estimateTrainingMemory, memoryInputs, trainingOf } from '../../engine/graph/memory.js';
import { ORT_AUTO_MAX_NODES } from '../../engine/jobs/training-backend.js';
import { STACK_FLAG } from '../../engine/util/deep-stack.js';

const N = 10_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-deep-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Input → (Dense tanh, ReLU) × … → Dense → Output, `n` nodes in all. */
function chain(n: number): string {
  const nodes: unknown[] = [{ id: 'x', kind: 'Input', params: { shape: [2] } }];
  const edges: { source: string; target: string }[] = [];
  let prev = 'x';
  for (let i = 0; i < n - 3; i++) {
    const id = `n${i}`;
    nodes.push(i % 2 === 0 ? { id, kind: 'Dense', params: { units: 4, activation: 'tanh' } } : { id, kind: 'Activation', params: { fn: 'relu' } });
    edges.push({ source: prev, target: id });
    prev = id;
  }
  nodes.push({ id: 'logits', kind: 'Dense', params: { units: 3 } }, { id: 'y', kind: 'Output', params: { fromLogits: true } });
  edges.push({ source: prev, target: 'logits' }, { source: 'logits', target: 'y' });
  return JSON.stringify({ version: 1, name: 'deep', nodes, edges, training: { dataset: 'spirals', epochs: 1, batchSize: 32, limit: 64 } });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(`a ${N.toLocaleString('en-US')}-node chain`, () => {
  const text = chain(N);

  it('validates, infers shapes, costs and estimates memory', () => {
    const g = loadGraphFromText(text);
    expect(g.order).toHaveLength(N);
    const shapes = inferShapes(g);
    expect(shapes.get('y')![0]).toEqual([null, 3]);
    const cost = graphCost(g, shapes);
    expect(cost.params).toBe(2 * 4 + 4 + (Math.ceil((N - 3) / 2) - 1) * (4 * 4 + 4) + 4 * 3 + 3);
    expect(estimateTrainingMemory(memoryInputs(g, shapes, cost.perNode), trainingOf(g.doc)).total).toBeGreaterThan(0);
    const a = analyzeDocument(parseDocument(JSON.parse(text)));
    expect(a.ok).toBe(true);
    expect(a.total.params).toBe(cost.params);
  });

  it("refuses to compile with Node's default stack, stating the limit", () => {
    expect(process.execArgv.some((f) => f.startsWith('--stack-size'))).toBe(false);
    expect(() => compileGraph(tf, loadGraphFromText(text))).toThrow(
      expect.objectContaining({
        code: 'too-deep',
        where: { node: 'y' },
        message: expect.stringMatching(
          /^node "y": the graph \(10000 nodes\) is too deep for tf\.js to build in this process: .* about 4,000 layers \(Node's default stack; the layerloom launchers use --stack-size=4000, about 10,000 layers\)/,
        ),
      }),
    );
  });

  it('compiles with the raised stack the launchers use', () => {
    const file = path.join(dir, 'deep.loom.json');
    fs.writeFileSync(file, text);
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const tf = await import('@tensorflow/tfjs');
      await tf.setBackend('cpu');
      const { compileGraph } = await import(${JSON.stringify(path.resolve('engine/compile/compile.ts'))});
      const { loadGraphFromText } = await import(${JSON.stringify(path.resolve('engine/graph/load.ts'))});
      const fs = await import('node:fs');
      const c = compileGraph(tf, loadGraphFromText(fs.readFileSync(${JSON.stringify(file)}, 'utf8')));
      console.log(JSON.stringify({ layers: c.model.layers.length, params: c.model.countParams() }));
    `;
    const r = spawnSync(process.execPath, [STACK_FLAG, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: path.resolve(import.meta.dirname, '../..'),
    });
    expect(r.stderr).not.toMatch(/Maximum call stack|Error/);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { layers: number; params: number };
    // Every node but the Output is a layer.
    expect(out.layers).toBe(N - 1);
    expect(out.params).toBe(graphCost(loadGraphFromText(text), inferShapes(loadGraphFromText(text))).params);
  });

  it('trains on tf.js through the CLI (auto leaves onnxruntime out above its node limit)', { timeout: 900_000 }, () => {
    const file = path.join(dir, 'deep-train.loom.json');
    fs.writeFileSync(file, text);
    const bin = path.resolve(import.meta.dirname, '../../bin/layerloom.js');
    const r = spawnSync(process.execPath, [STACK_FLAG, bin, 'train', file, '--data-dir', path.join(dir, 'data'), '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ event: 'backend', reason: expect.stringContaining(`the graph has ${N} nodes, above the ${ORT_AUTO_MAX_NODES}`) });
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ event: 'done', status: 'completed' });
    expect(Number.isFinite((done.metrics as { loss: number }).loss)).toBe(true);
  });
});
