import { describe, expect, it } from 'vitest';
import { trainingConfigSchema } from './config.js';
import { baseLearningRate, learningRateAt, warmupFactor } from './schedule.js';

const cfg = (training: object) => trainingConfigSchema.parse(training);

describe('learning-rate schedules', () => {
  it('constant', () => {
    const c = cfg({ optimizer: { learningRate: 0.1 } });
    expect(baseLearningRate(c, 0, 10)).toBe(0.1);
    expect(baseLearningRate(c, 9, 10)).toBe(0.1);
  });

  it('step', () => {
    const c = cfg({ optimizer: { learningRate: 1 }, lrSchedule: { type: 'step', stepEpochs: 3, gamma: 0.5 } });
    expect([0, 2, 3, 5, 6].map((e) => baseLearningRate(c, e, 10))).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('exponential', () => {
    const c = cfg({ optimizer: { learningRate: 2 }, lrSchedule: { type: 'exponential', gamma: 0.9 } });
    expect(baseLearningRate(c, 3, 10)).toBeCloseTo(2 * 0.729, 12);
  });

  it('cosine goes from lr toward minLearningRate', () => {
    const c = cfg({ optimizer: { learningRate: 1 }, lrSchedule: { type: 'cosine', minLearningRate: 0.1 } });
    expect(baseLearningRate(c, 0, 4)).toBeCloseTo(1, 12);
    expect(baseLearningRate(c, 2, 4)).toBeCloseTo(0.55, 12); // halfway: (1 + 0.1) / 2
    expect(baseLearningRate(c, 1, 4)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(baseLearningRate(c, 4, 4)).toBeCloseTo(0.1, 12);
  });

  it('linear warm-up per step', () => {
    expect(warmupFactor(0, 0, 10)).toBe(1);
    expect(warmupFactor(2, 0, 10)).toBeCloseTo(1 / 20, 12);
    expect(warmupFactor(2, 9, 10)).toBeCloseTo(0.5, 12);
    expect(warmupFactor(2, 19, 10)).toBe(1);
    expect(warmupFactor(2, 100, 10)).toBe(1);
    const c = cfg({ optimizer: { learningRate: 0.4 }, warmupEpochs: 1 });
    const at = (epoch: number, step: number) => learningRateAt(c, { epoch, step, stepsPerEpoch: 4, totalEpochs: 3 });
    expect([at(0, 0), at(0, 1), at(0, 3), at(1, 0)].map((v) => +v.toFixed(10))).toEqual([0.1, 0.2, 0.4, 0.4]);
  });
});
