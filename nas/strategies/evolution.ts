/**
 * Regularized (aging) evolution: Real, Aggarwal, Huang & Le, "Regularized Evolution for Image
 * Classifier Architecture Search", AAAI 2019 (Algorithm 1), with the defaults NAS-Bench-201
 * used for its R-EA baseline (Dong & Yang, ICLR 2020): population P = 10, tournament S = 3.
 *
 * Asynchronous ask/tell, as in the paper's distributed setting: proposals are random until P
 * successful trials have been told (the initial population); afterwards each proposal mutates
 * the best of S members drawn uniformly *with replacement* from the current population (as in
 * Algorithm 1 and NAS-Bench-201's R_EA.py). A told child joins the population and the oldest
 * member leaves ("aging"), so even a lucky early architecture is eventually forgotten, which
 * is the regularisation the paper credits for robustness to noisy evaluations.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { Sample, SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from './types.js';
import { baseStateShape, checkAskCount, checkObjective, checkSample, parseState, sampleSchema, takePending } from './common.js';

/** Options of {@link RegularizedEvolution}. */
export interface EvolutionOptions {
  /** Population size P (default 10, as NAS-Bench-201). */
  populationSize?: number;
  /** Tournament sample size S (default 3, as NAS-Bench-201). */
  sampleSize?: number;
}

/** A told, successful trial in the population. */
export interface Member {
  id: number;
  sample: Sample;
  objective: number;
}

const optionsSchema = z.object({
  populationSize: z.number().int().positive(),
  sampleSize: z.number().int().positive(),
});

const stateSchema = z.object({
  strategy: z.literal('evolution'),
  ...baseStateShape,
  options: optionsSchema,
  population: z.array(z.object({ id: z.number().int().nonnegative(), sample: sampleSchema, objective: z.number() })),
  pending: z.array(
    z.object({
      id: z.number().int().nonnegative(),
      sample: sampleSchema,
      parent: z.number().int().nonnegative().optional(),
      changed: z.string().optional(),
    }),
  ),
});

/** Saved state of {@link RegularizedEvolution}. */
export type EvolutionState = z.infer<typeof stateSchema>;

function resolveOptions(o: EvolutionOptions | undefined): Required<EvolutionOptions> {
  const r = { populationSize: o?.populationSize ?? 10, sampleSize: o?.sampleSize ?? 3 };
  const p = optionsSchema.safeParse(r);
  if (!p.success) throw new Error(`evolution: populationSize and sampleSize must be positive integers`);
  return r;
}

/** Regularized evolution (Real et al., AAAI 2019); see the module comment. */
export class RegularizedEvolution implements Strategy {
  readonly name = 'evolution';
  readonly options: Required<EvolutionOptions>;
  private readonly rng: Rng;
  private nextId = 0;
  /** Oldest first; only told, successful trials. */
  private population: Member[] = [];
  private readonly pending = new Map<number, Proposal>();

  constructor(
    readonly space: SearchSpace,
    seed: number,
    options?: EvolutionOptions,
  ) {
    this.options = resolveOptions(options);
    this.rng = new Rng(seed);
  }

  /** The current population, oldest first (copies). */
  members(): Member[] {
    return this.population.map((m) => ({ ...m, sample: { ...m.sample } }));
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const out: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const id = this.nextId++;
      const p = this.population.length < this.options.populationSize ? this.random(id) : this.child(id);
      this.pending.set(id, p);
      out.push({ ...p, sample: { ...p.sample } });
    }
    return out;
  }

  /**
   * Failed trials (null) are dropped: a model that could not be evaluated has no fitness to
   * compete with, and letting it age out would only shrink the effective population.
   */
  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    const p = takePending(this.name, this.pending, id);
    if (objective === null) return;
    this.population.push({ id, sample: p.sample, objective });
    if (this.population.length > this.options.populationSize) this.population.shift();
  }

  state(): EvolutionState {
    return {
      strategy: 'evolution',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      options: { ...this.options },
      population: this.members(),
      pending: [...this.pending.values()].map((p) => ({ ...p, sample: { ...p.sample } })),
    };
  }

  /** Restores a saved state, including the options it was saved with. */
  restore(state: unknown): void {
    const s = parseState(stateSchema, state, this.name, this.space);
    Object.assign(this.options, s.options);
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.population = s.population.map((m) => ({ ...m, sample: checkSample(this.space, m.sample) }));
    this.pending.clear();
    for (const p of s.pending) this.pending.set(p.id, { ...p, sample: checkSample(this.space, p.sample) });
  }

  private random(id: number): Proposal {
    return { id, sample: this.space.sample(this.rng) };
  }

  /** Tournament selection then one mutation; ties go to the member drawn first. */
  private child(id: number): Proposal {
    let parent = this.population[this.rng.int(this.population.length)];
    for (let k = 1; k < this.options.sampleSize; k++) {
      const c = this.population[this.rng.int(this.population.length)];
      if (c.objective > parent.objective) parent = c;
    }
    const { sample, changed } = this.space.mutate(parent.sample, this.rng);
    return { id, sample, parent: parent.id, changed };
  }
}
