/**
 * Discrete search strategies speak ask/tell: `ask(n)` proposes up to n trials, `tell`
 * reports one trial's objective (higher is better). `state()` / `restore()` round-trip
 * through JSON so an experiment resumes exactly where it stopped.
 */
import type { Sample } from '../space/types.js';

/** A proposed trial. */
export interface Proposal {
  /** Unique, increasing per strategy. */
  id: number;
  sample: Sample;
  /** For evolution: the trial this one mutated from, and which decision changed. */
  parent?: number;
  changed?: string;
}

/** The strategy contract. */
export interface Strategy {
  readonly name: string;
  ask(n: number): Proposal[];
  /** Reports a finished trial; `objective` is null for a failed trial. */
  tell(id: number, objective: number | null): void;
  /** JSON-serialisable state (including its Rng state). */
  state(): unknown;
  restore(state: unknown): void;
}
