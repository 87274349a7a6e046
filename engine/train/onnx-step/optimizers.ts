/**
 * Optimizer updates of the ONNX training step, node for node the formulas of tf.js 4.x's
 * optimizers (tfjs-core/dist/optimizers) as engine/train/optimizers.ts configures them:
 *  - sgd:       w ← −lr·g + w
 *  - momentum:  a ← μ·a + g;  w ← −lr·a + w
 *  - nesterov:  a ← μ·a + g;  w ← −lr·(g + μ·a) + w
 *  - rmsprop (tf.js default `centered: false`; the momentum slot is always kept, as tf.js does):
 *               s ← ρ·s + (1 − ρ)·g²;  u ← μ·u + lr·g/√(s + ε);  w ← w − u
 *  - adam:      m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;
 *               w ← −lr·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε) + w
 *  - adamw:     adam after w ← w·(1 − lr·λ) for decayed weights (engine/train/optimizers.ts:
 *               decoupled decay before the step, rank ≥ 2 weights only, via `decay`).
 * Scalars like 1 − β₁ are computed in double and rounded once, as tf.js does when it turns a
 * JS number into a scalar tensor. Slots start at zero.
 *
 * Adam's β₁ᵗ: tf.js keeps it as a running product (accBeta1 ← accBeta1·β₁ each step; on a
 * restored optimizer it recomputes β₁^(iterations+1)); here it is Pow(β₁, step) from the
 * 1-based `step` input, so it needs no extra state and resumes at any step. The two differ
 * by float32 rounding only (a few ulp of β₂ᵗ, ~1e−7 relative in the update).
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import type { TrainingConfig } from '../config.js';
import { named, op, scalar } from './emit.js';

/** Optimizer settings (engine/train/config.ts). */
export type OptimizerConfig = TrainingConfig['optimizer'];

/** One trainable weight to update. */
export interface OptimizerParam {
  /** Value name of the current weight (graph input). */
  name: string;
  /** Value name of its (regularized, clipped) gradient. */
  grad: string;
  /** Static shape, for the slot inputs. */
  shape: number[];
  /** Whether AdamW decays it (engine/train/optimizers.ts `isDecayed`: rank ≥ 2). */
  decay: boolean;
}

/** Slot names, as tf.js names its slot variables (`${weight}/${slot}`). */
export type SlotName = 'momentum' | 'rms' | 'm' | 'v';

/** An optimizer state tensor: a graph input, and the value of its next state. */
export interface OptimizerState {
  /** Graph input name (declared here with `b.addInput`). */
  input: string;
  /** Value name of the updated state; the caller declares it as a graph output. */
  output: string;
  shape: number[];
  /** Value to fill the input with before the first step. */
  init: number;
  /** The weight this slot belongs to. */
  param: string;
  slot: SlotName;
}

/** Inputs of {@link emitOptimizer}. */
export interface OptimizerOptions {
  params: OptimizerParam[];
  config: OptimizerConfig;
  /** Float scalar input: the learning rate of this step. */
  lr: string;
  /** Float scalar input: the 1-based number of this step (Adam's bias correction). */
  step: string;
}

/** What {@link emitOptimizer} emitted. */
export interface OptimizerEmission {
  /** Weight name → value name of its updated value. */
  updated: Map<string, string>;
  /**
   * Slot states, in tf.js's `getWeights()` order after its iteration count: all first slots
   * (momentum, rms, m) for every weight, then all second slots (rmsprop momentum, adam v).
   */
  state: OptimizerState[];
}

/**
 * Emits one optimizer step for every param: declares its slot inputs, computes the new slot
 * values and the new weight value.
 */
export function emitOptimizer(b: OnnxBuilder, opts: OptimizerOptions): OptimizerEmission {
  const { config: cfg, lr } = opts;
  const state: OptimizerState[] = [];
  const slots = (slot: SlotName): string[] =>
    opts.params.map((p) => {
      const input = b.fresh(`${p.name}_${slot}`);
      b.addInput(input, p.shape);
      state.push({ input, output: '', shape: p.shape.slice(), init: 0, param: p.name, slot });
      return input;
    });
  // Emits the new value of the slot fed through `input` and records it as that slot's output.
  const setNext = (input: string, base: string, type: string, inputs: string[]): string => {
    const s = state.find((x) => x.input === input)!;
    s.output = named(b, `${base}_next`, type, inputs);
    return s.output;
  };
  const updated = new Map<string, string>();
  const next = (p: OptimizerParam, type: string, inputs: string[]) => updated.set(p.name, named(b, `${p.name}_next`, type, inputs));
  const negLr = op(b, 'Neg', [lr]);

  switch (cfg.name) {
    case 'sgd':
      for (const p of opts.params) next(p, 'Add', [op(b, 'Mul', [negLr, p.grad]), p.name]);
      break;
    case 'momentum':
    case 'nesterov': {
      const mu = scalar(b, cfg.momentum);
      const acc = slots('momentum');
      opts.params.forEach((p, i) => {
        const a = setNext(acc[i], acc[i], 'Add', [op(b, 'Mul', [mu, acc[i]]), p.grad]);
        const dir = cfg.name === 'nesterov' ? op(b, 'Add', [p.grad, op(b, 'Mul', [a, mu])]) : a;
        next(p, 'Add', [op(b, 'Mul', [negLr, dir]), p.name]);
      });
      break;
    }
    case 'rmsprop': {
      const rho = scalar(b, cfg.rho);
      const oneMinusRho = scalar(b, 1 - cfg.rho);
      const mu = scalar(b, cfg.momentum);
      const eps = scalar(b, cfg.epsilon);
      const ms = slots('rms');
      const mom = slots('momentum');
      opts.params.forEach((p, i) => {
        const sq = op(b, 'Mul', [p.grad, p.grad]);
        const s = setNext(ms[i], ms[i], 'Add', [op(b, 'Mul', [ms[i], rho]), op(b, 'Mul', [sq, oneMinusRho])]);
        const step = op(b, 'Div', [op(b, 'Mul', [p.grad, lr]), op(b, 'Sqrt', [op(b, 'Add', [s, eps])])]);
        const u = setNext(mom[i], mom[i], 'Add', [op(b, 'Mul', [mom[i], mu]), step]);
        next(p, 'Sub', [p.name, u]);
      });
      break;
    }
    case 'adam':
    case 'adamw': {
      const b1 = scalar(b, cfg.beta1);
      const b2 = scalar(b, cfg.beta2);
      const oneMinusB1 = scalar(b, 1 - cfg.beta1);
      const oneMinusB2 = scalar(b, 1 - cfg.beta2);
      const eps = scalar(b, cfg.epsilon);
      const one = scalar(b, 1);
      const corr1 = op(b, 'Sub', [one, op(b, 'Pow', [b1, opts.step])]);
      const corr2 = op(b, 'Sub', [one, op(b, 'Pow', [b2, opts.step])]);
      // AdamW's factor 1 − lr·λ follows the per-step learning rate, as the tf.js wrapper's does.
      const wd = cfg.name === 'adamw' && cfg.weightDecay > 0 ? op(b, 'Sub', [one, op(b, 'Mul', [lr, scalar(b, cfg.weightDecay)])]) : undefined;
      const ms = slots('m');
      const vs = slots('v');
      opts.params.forEach((p, i) => {
        const w = wd && p.decay ? op(b, 'Mul', [p.name, wd]) : p.name;
        const m = setNext(ms[i], ms[i], 'Add', [op(b, 'Mul', [ms[i], b1]), op(b, 'Mul', [p.grad, oneMinusB1])]);
        const v = setNext(vs[i], vs[i], 'Add', [op(b, 'Mul', [vs[i], b2]), op(b, 'Mul', [op(b, 'Mul', [p.grad, p.grad]), oneMinusB2])]);
        const mHat = op(b, 'Div', [m, corr1]);
        const vHat = op(b, 'Div', [v, corr2]);
        const dir = op(b, 'Div', [mHat, op(b, 'Add', [op(b, 'Sqrt', [vHat]), eps])]);
        next(p, 'Add', [op(b, 'Mul', [dir, negLr]), w]);
      });
      break;
    }
  }
  return { updated, state };
}
