/**
 * Learning-rate schedules as pure functions of the position in training. The base schedule
 * moves once per epoch; linear warm-up is applied per step on top of it.
 */
import type { TrainingConfig } from './config.js';

/** Where training is when the rate is asked for. */
export interface SchedulePosition {
  /** 0-based epoch index. */
  epoch: number;
  /** 0-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  totalEpochs: number;
}

/** The schedule-related part of a training config. */
export type ScheduleConfig = Pick<TrainingConfig, 'lrSchedule' | 'warmupEpochs'> & {
  optimizer: Pick<TrainingConfig['optimizer'], 'learningRate'>;
};

/**
 * The per-epoch base rate, before warm-up.
 * - constant: `lr`
 * - step: `lr · gamma^floor(epoch / stepEpochs)`
 * - exponential: `lr · gamma^epoch`
 * - cosine: `min + (lr − min) · (1 + cos(π · epoch / totalEpochs)) / 2`, so epoch 0 gets
 *   `lr` and the rate approaches `minLearningRate` at the end without spending the last
 *   epoch at exactly the minimum (which is 0 by default).
 */
export function baseLearningRate(cfg: ScheduleConfig, epoch: number, totalEpochs: number): number {
  const lr = cfg.optimizer.learningRate;
  const s = cfg.lrSchedule;
  switch (s.type) {
    case 'constant':
      return lr;
    case 'step':
      return lr * Math.pow(s.gamma, Math.floor(epoch / s.stepEpochs));
    case 'exponential':
      return lr * Math.pow(s.gamma, epoch);
    case 'cosine': {
      const t = Math.min(1, epoch / Math.max(1, totalEpochs));
      return s.minLearningRate + (lr - s.minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
  }
}

/**
 * Warm-up multiplier in (0, 1]: ramps linearly over `warmupEpochs · stepsPerEpoch` steps.
 * The first step gets `1/warmupSteps` rather than 0 so no step is wasted.
 */
export function warmupFactor(warmupEpochs: number, globalStep: number, stepsPerEpoch: number): number {
  const warmupSteps = Math.round(warmupEpochs * stepsPerEpoch);
  if (warmupSteps <= 0) return 1;
  return Math.min(1, (globalStep + 1) / warmupSteps);
}

/** The learning rate for one optimizer step. */
export function learningRateAt(cfg: ScheduleConfig, pos: SchedulePosition): number {
  const base = baseLearningRate(cfg, pos.epoch, pos.totalEpochs);
  const globalStep = pos.epoch * pos.stepsPerEpoch + pos.step;
  return base * warmupFactor(cfg.warmupEpochs, globalStep, pos.stepsPerEpoch);
}
