/**
 * Synthetic "sine": short sine sequences for recurrent regression. Each sample is T steps of
 * a sine with random frequency, phase and amplitude; the target is the next value.
 */
import { Rng } from '../../util/rng.js';
import { DataError, type Dataset } from '../types.js';

/** Options for {@link makeSine}. */
export interface SineOptions {
  /** Number of sequences. Default 1000. */
  count?: number;
  /** Sequence length T. Default 20. */
  steps?: number;
  /** Std-dev of Gaussian noise added to the inputs (not the target). Default 0. */
  noise?: number;
  /** Seed; the same seed gives identical data. Default 42. */
  seed?: number;
}

/** Time between steps; with frequencies 0.5..2 rad per unit a 20-step window shows 1/3..1.3 cycles. */
const DT = 0.4;

/** Generates the sine set: inputShape [T, 1], targetShape [1], task regression. */
export function makeSine(opts: SineOptions = {}): Dataset {
  const count = opts.count ?? 1000;
  const steps = opts.steps ?? 20;
  const noise = opts.noise ?? 0;
  if (!Number.isInteger(count) || count < 1) throw new DataError(`sine: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(steps) || steps < 1) throw new DataError(`sine: steps must be a positive integer, got ${steps}`);
  const rng = new Rng(opts.seed ?? 42);
  const x = new Float32Array(count * steps);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const freq = rng.uniform(0.5, 2);
    const phase = rng.uniform(0, 2 * Math.PI);
    const amp = rng.uniform(0.5, 1);
    for (let t = 0; t < steps; t++) {
      const v = amp * Math.sin(freq * t * DT + phase);
      x[i * steps + t] = noise > 0 ? v + noise * rng.normal() : v;
    }
    y[i] = amp * Math.sin(freq * steps * DT + phase);
  }
  return {
    name: 'sine',
    task: 'regression',
    count,
    inputShape: [steps, 1],
    x,
    y,
    targetShape: [1],
    attribution: 'Synthetic (Layerloom)',
  };
}
