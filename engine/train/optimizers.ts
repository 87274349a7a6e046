/**
 * Optimizers built from the config, wrapped so the loop can change the learning rate every
 * step, add AdamW's decoupled weight decay, and save/restore optimizer state for checkpoints.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Tf } from '../layers/types.js';
import type { TrainingConfig } from './config.js';
import { loadTensor, saveTensor, type SavedTensor } from './saved-tensor.js';

/** Optimizer settings from the training config. */
export type OptimizerConfig = TrainingConfig['optimizer'];

/** A tf.js optimizer plus what the loop needs around it. */
export interface TrainOptimizer {
  readonly name: OptimizerConfig['name'];
  /** The underlying tf.js optimizer. */
  readonly optimizer: tfNs.Optimizer;
  /** Current learning rate. */
  readonly learningRate: number;
  /** Sets the learning rate used by the next `apply`. */
  setLearningRate(lr: number): void;
  /**
   * Applies one update. `vars` fixes the order: tf.js optimizers keep their slot variables
   * by position, so the same order must be used every step (and across a resume).
   */
  apply(grads: Record<string, tfNs.Tensor>, vars: tfNs.Variable[]): void;
  /** Snapshot of the optimizer's slot variables and iteration count. */
  getState(): Promise<SavedTensor[]>;
  /** Restores a `getState` snapshot; call on a fresh optimizer, before the first `apply`. */
  setState(state: SavedTensor[]): Promise<void>;
  dispose(): void;
}

/**
 * Whether AdamW decays this variable. Decay goes on weight matrices and kernels (rank ≥ 2:
 * Dense/Conv kernels, embeddings) and never on biases, BatchNorm/LayerNorm scale and offset,
 * or other vectors (rank ≤ 1), following Loshchilov & Hutter and common practice: decaying
 * biases or norm gains only hurts and does not regularise capacity.
 */
export function isDecayed(v: tfNs.Variable): boolean {
  return v.rank >= 2;
}

/**
 * Builds the optimizer named in `cfg`.
 *
 * How the rate is changed per step: SGD and momentum (Nesterov too) bake `−lr` into a kept
 * scalar, so they go through their `setLearningRate`, which replaces it. Adam and RMSprop
 * read the plain `learningRate` field on every `applyGradients`, so assigning the field is
 * enough (it is `protected` in the typings, hence the cast).
 */
export function createOptimizer(tf: Tf, cfg: OptimizerConfig): TrainOptimizer {
  let lr = cfg.learningRate;
  let opt: tfNs.Optimizer;
  switch (cfg.name) {
    case 'sgd':
      opt = tf.train.sgd(lr);
      break;
    case 'momentum':
      opt = tf.train.momentum(lr, cfg.momentum, false);
      break;
    case 'nesterov':
      opt = tf.train.momentum(lr, cfg.momentum, true);
      break;
    case 'rmsprop':
      opt = tf.train.rmsprop(lr, cfg.rho, cfg.momentum, cfg.epsilon);
      break;
    case 'adam':
    case 'adamw':
      opt = tf.train.adam(lr, cfg.beta1, cfg.beta2, cfg.epsilon);
      break;
  }
  const usesSetter = cfg.name === 'sgd' || cfg.name === 'momentum' || cfg.name === 'nesterov';
  const weightDecay = cfg.name === 'adamw' ? cfg.weightDecay : 0;

  return {
    name: cfg.name,
    optimizer: opt,
    get learningRate() {
      return lr;
    },
    setLearningRate(next: number) {
      if (next === lr) return;
      lr = next;
      if (usesSetter) (opt as tfNs.SGDOptimizer).setLearningRate(next);
      else (opt as unknown as { learningRate: number }).learningRate = next;
    },
    apply(grads, vars) {
      if (weightDecay > 0) {
        // Decoupled decay (PyTorch AdamW order): shrink the weights before the Adam step,
        // independent of the gradient and of Adam's per-parameter scaling.
        const factor = 1 - lr * weightDecay;
        tf.tidy(() => {
          for (const v of vars) if (v.trainable && isDecayed(v) && grads[v.name]) v.assign(tf.mul(v, factor));
        });
      }
      // Every variable is listed (a missing gradient is skipped by tf.js) so slot indices
      // stay aligned with `vars` even when some step has no gradient for a variable.
      const list = vars.map((v) => ({ name: v.name, tensor: grads[v.name] }));
      opt.applyGradients(list as Parameters<tfNs.Optimizer['applyGradients']>[0]);
    },
    async getState() {
      const weights = await opt.getWeights();
      const out: SavedTensor[] = [];
      for (const w of weights) out.push(await saveTensor(w.name, w.tensor));
      // The first entry is a fresh `iter` scalar made for us; the rest are live slots.
      if (weights.length > 0) weights[0].tensor.dispose();
      return out;
    },
    async setState(state) {
      if (state.length === 0) return;
      const tensors = state.map((s) => ({ name: s.name, tensor: loadTensor(tf, s) }));
      try {
        await opt.setWeights(tensors);
      } finally {
        // setWeights makes variables that share the data; our handles can go.
        tf.dispose(tensors.map((t) => t.tensor));
      }
    },
    dispose() {
      opt.dispose();
      // tf.js 4.22's MomentumOptimizer.dispose skips SGD's kept `-lr` scalar; free it here.
      if (cfg.name === 'momentum' || cfg.name === 'nesterov') (opt as unknown as { c?: tfNs.Tensor }).c?.dispose();
    },
  };
}
