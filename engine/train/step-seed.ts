/** Per-step seeds, so a resumed run draws the same dropout masks as an uninterrupted one. */
import { hashString } from '../util/rng.js';

/** Seed for the dropout masks of one step: a function of the run seed and the step only. */
export function stepSeed(seed: number, globalStep: number): number {
  return hashString(`${seed}:${globalStep}`);
}
