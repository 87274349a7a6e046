import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { Rng } from '../../util/rng.js';
import { optimizerSchema } from '../config.js';
import { createOptimizer } from '../optimizers.js';
import { emitOptimizer, type OptimizerConfig } from './optimizers.js';
import { expectClose, run, session, uniform, type Feed } from './ort-test-util.testkit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A kernel (AdamW decays it) and a bias (never decayed). */
const PARAMS = [
  { name: 'kernel', shape: [3, 4], decay: true },
  { name: 'bias', shape: [4], decay: false },
];
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

/** The step graph: weights, gradients, lr and step in; new weights and slots out. */
function build(cfg: OptimizerConfig, opset = 17) {
  const b = new OnnxBuilder(opset, 'training');
  for (const p of PARAMS) {
    b.addInput(p.name, p.shape);
    b.addInput(`${p.name}_grad`, p.shape);
  }
  b.addInput('lr', []);
  b.addInput('step', []);
  const opt = emitOptimizer(b, { params: PARAMS.map((p) => ({ ...p, grad: `${p.name}_grad` })), config: cfg, lr: 'lr', step: 'step' });
  for (const p of PARAMS) b.addRawOutput(opt.updated.get(p.name)!, p.shape);
  for (const s of opt.state) b.addRawOutput(s.output, s.shape);
  return { b, opt };
}

let varCount = 0;

/**
 * Runs three steps in onnxruntime (state outputs fed back, a different lr each step) and
 * three tf.js steps through engine/train/optimizers.ts on the same weights and gradients;
 * compares the weights after each step and the slots (in tf.js getWeights order) at the end.
 */
async function check(cfg: OptimizerConfig, lrs = [0.1, 0.03, 0.05], opset = 17) {
  const rng = new Rng(11);
  const init = PARAMS.map((p) => uniform(rng, size(p.shape), -1, 1));
  const grads = lrs.map(() => PARAMS.map((p) => uniform(rng, size(p.shape), -2, 2)));

  const { b, opt } = build(cfg, opset);
  const s = await session(b);
  let weights: Float32Array[] = init;
  let slots: Float32Array[] = opt.state.map((st) => new Float32Array(size(st.shape)).fill(st.init));

  const tfOpt = createOptimizer(tf, { ...cfg, learningRate: lrs[0] });
  const vars = PARAMS.map((p, i) => tf.variable(tf.tensor(init[i], p.shape), true, `${p.name}_${varCount++}`));

  for (let t = 0; t < lrs.length; t++) {
    const feeds: Record<string, Feed> = { lr: { data: Float32Array.of(lrs[t]), dims: [] }, step: { data: Float32Array.of(t + 1), dims: [] } };
    PARAMS.forEach((p, i) => {
      feeds[p.name] = { data: weights[i], dims: p.shape };
      feeds[`${p.name}_grad`] = { data: grads[t][i], dims: p.shape };
    });
    opt.state.forEach((st, i) => (feeds[st.input] = { data: slots[i], dims: st.shape }));
    const out = await run(s, feeds);
    weights = PARAMS.map((p) => out[opt.updated.get(p.name)!]);
    slots = opt.state.map((st) => out[st.output]);

    tfOpt.setLearningRate(lrs[t]);
    const g = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(grads[t][i], PARAMS[i].shape)]));
    tfOpt.apply(g, vars);
    tf.dispose(Object.values(g));
    PARAMS.forEach((p, i) => expectClose(weights[i], vars[i].dataSync(), `${cfg.name} ${p.name} after step ${t + 1}`));
  }

  // Slots line up with tf.js's getWeights (after its iteration count), name for name.
  const tfSlots = (await tfOpt.optimizer.getWeights()).slice(1);
  expect(tfSlots.map((w) => w.name.replace(/_\d+\//, '/'))).toEqual(opt.state.map((st) => `${st.param}/${st.slot}`));
  tfSlots.forEach((w, i) => expectClose(slots[i], w.tensor.dataSync(), `${cfg.name} slot ${w.name}`));
  tfOpt.dispose();
  tf.dispose(vars);
}

const cfg = (o: Partial<OptimizerConfig>): OptimizerConfig => optimizerSchema.parse(o);

describe('emitOptimizer matches tf.js over 3 steps with a changing learning rate', () => {
  it('sgd', () => check(cfg({ name: 'sgd' })));
  it('momentum', () => check(cfg({ name: 'momentum', momentum: 0.9 })));
  it('nesterov', () => check(cfg({ name: 'nesterov', momentum: 0.8 })));
  it('rmsprop with momentum', () => check(cfg({ name: 'rmsprop', rho: 0.9, momentum: 0.9 })));
  it('rmsprop without momentum', () => check(cfg({ name: 'rmsprop', rho: 0.95, momentum: 0 })));
  it('adam', () => check(cfg({ name: 'adam' })));
  it('adam with larger epsilon and betas', () => check(cfg({ name: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-3 })));
  it('adamw decays the kernel only', () => check(cfg({ name: 'adamw', weightDecay: 0.1 })));
  it('adamw at opsets 13 and 21', async () => {
    await check(cfg({ name: 'adamw', weightDecay: 0.1 }), [0.01, 0.02, 0.01], 13);
    await check(cfg({ name: 'adamw', weightDecay: 0.1 }), [0.01, 0.02, 0.01], 21);
  });
});

describe('learning rate input', () => {
  it('takes effect from the step it changes at', async () => {
    const { b, opt } = build(cfg({ name: 'sgd' }));
    const s = await session(b);
    const w = [Float32Array.from({ length: 12 }, (_, i) => i), new Float32Array(4).fill(1)];
    const g = [new Float32Array(12).fill(2), new Float32Array(4).fill(-1)];
    const stepWith = async (lr: number, cur: Float32Array[]) => {
      const out = await run(s, {
        kernel: { data: cur[0], dims: [3, 4] },
        bias: { data: cur[1], dims: [4] },
        kernel_grad: { data: g[0], dims: [3, 4] },
        bias_grad: { data: g[1], dims: [4] },
        lr: { data: Float32Array.of(lr), dims: [] },
        step: { data: Float32Array.of(1), dims: [] },
      });
      return PARAMS.map((p) => out[opt.updated.get(p.name)!]);
    };
    const a = await stepWith(0.5, w);
    expect(Array.from(a[0].slice(0, 3))).toEqual([-1, 0, 1]);
    const frozen = await stepWith(0, a);
    expect(frozen).toEqual(a);
    const c = await stepWith(0.25, frozen);
    expect(Array.from(c[1])).toEqual([1.75, 1.75, 1.75, 1.75]);
  });
});
