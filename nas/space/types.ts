/**
 * A search space as strategies see it: named decisions with finite options. Mutation and
 * sampling live here, so one strategy serves every space (as in NNI and NASLib).
 */
import type { Rng } from '../../engine/util/rng.js';

/** One option of a decision. */
export type DecisionValue = string | number | boolean;

/** A named decision and its options. */
export interface Decision {
  name: string;
  options: readonly DecisionValue[];
}

/** A point in the space: decision name -> chosen option. */
export type Sample = Record<string, DecisionValue>;

/** The space contract. */
export interface SearchSpace {
  readonly name: string;
  readonly decisions: readonly Decision[];
  /** Number of distinct candidates. */
  size(): number;
  /** A uniformly random candidate. */
  sample(rng: Rng): Sample;
  /** A copy of `s` with exactly one decision changed to a different option. */
  mutate(s: Sample, rng: Rng): { sample: Sample; changed: string };
  /** Canonical string of a sample (for `nb201`, the cell string); equal samples, equal keys. */
  key(s: Sample): string;
  /** The sample a key denotes; throws on a malformed key. */
  fromKey(key: string): Sample;
}
