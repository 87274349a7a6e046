/**
 * Random search: Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization", JMLR
 * 13 (2012). Every proposal is an independent uniform draw from the space (with replacement,
 * as NAS-Bench-201's random baseline does), so it is the reference every other strategy must
 * beat.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from './types.js';
import { baseStateShape, checkAskCount, checkObjective, parseState, takePending } from './common.js';

/** Random search has no options; the type exists so the registry treats all strategies alike. */
export type RandomOptions = Record<string, never>;

const stateSchema = z.object({
  strategy: z.literal('random'),
  ...baseStateShape,
  pending: z.array(z.number().int().nonnegative()),
});

/** Saved state of {@link RandomSearch}. */
export type RandomState = z.infer<typeof stateSchema>;

/** Uniform random search (Bergstra & Bengio, JMLR 2012). */
export class RandomSearch implements Strategy {
  readonly name = 'random';
  private readonly rng: Rng;
  private nextId = 0;
  /** Ids asked but not yet told; only to reject unknown or repeated `tell`s. */
  private readonly pending = new Map<number, true>();

  constructor(
    readonly space: SearchSpace,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const out: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const id = this.nextId++;
      this.pending.set(id, true);
      out.push({ id, sample: this.space.sample(this.rng) });
    }
    return out;
  }

  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    takePending(this.name, this.pending, id);
  }

  state(): RandomState {
    return {
      strategy: 'random',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      pending: [...this.pending.keys()],
    };
  }

  restore(state: unknown): void {
    const s = parseState(stateSchema, state, this.name, this.space);
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.pending.clear();
    for (const id of s.pending) this.pending.set(id, true);
  }
}
