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
  /**
   * Multi-fidelity strategies: the share of the full training budget to evaluate at, in
   * (0, 1] (epochs for the train evaluator, a fidelity field for a table). Unset: full.
   */
  fidelity?: number;
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
  /**
   * Multi-fidelity strategies: the fidelity a pending proposal was asked at (so a resumed
   * run re-evaluates in-flight trials at the same budget). Absent on single-fidelity ones.
   */
  fidelityOf?(id: number): number | undefined;
}
