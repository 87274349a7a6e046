/**
 * Asynchronous successive halving (ASHA): Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur,
 * Hardt, Recht & Talwalkar, "A System for Massively Parallel Hyperparameter Tuning", MLSys
 * 2020 (Algorithm 2), the asynchronous form of Hyperband's successive halving (Li et al.,
 * JMLR 2018). Candidates start at the lowest fidelity (rung 0); whenever a proposal is asked,
 * the highest rung with a told result in the top 1/η of its rung that has not been promoted
 * yet promotes it to the next fidelity, and otherwise a new uniform candidate starts at rung
 * 0. No worker ever waits for a rung to fill, which is what makes it asynchronous.
 *
 * Fidelity is a share of the full training budget (`Proposal.fidelity`): epochs for the train
 * evaluator, a table's fidelity fields (e.g. NAS-Bench-201's 12-epoch `test12` against the
 * 200-epoch `valid`) for a tabular one. The rungs default to η = 3 over three levels
 * (1/9, 1/3, 1); the runner replaces them with the evaluator's own levels when it only has
 * some (a table). Only rung-top results (fidelity 1) are candidates for the search's answer.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { Sample, SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from './types.js';
import { baseStateShape, checkAskCount, checkObjective, checkSample, parseState, sampleSchema, takePending } from './common.js';
import { drawUnseen } from './neighbours.js';

/** Options of {@link Asha}. */
export interface AshaOptions {
  /** Reduction factor η: the top 1/η of a rung is promoted (default 3). */
  eta?: number;
  /** Fidelities of the rungs, ascending, ending in 1 (default 1/η², 1/η, 1). */
  rungs?: number[];
}

const optionsSchema = z.object({
  eta: z.number().int().min(2),
  rungs: z
    .array(z.number().gt(0).max(1))
    .min(1)
    .refine((r) => r.every((f, i) => i === 0 || f > r[i - 1]) && r[r.length - 1] === 1, { message: 'rungs must be ascending and end in 1' }),
});

const member = z.object({ id: z.number().int().nonnegative(), sample: sampleSchema, objective: z.number().nullable(), promoted: z.boolean() });

const stateSchema = z.object({
  strategy: z.literal('asha'),
  ...baseStateShape,
  options: optionsSchema,
  rungs: z.array(z.array(member)),
  pending: z.array(
    z.object({
      id: z.number().int().nonnegative(),
      sample: sampleSchema,
      rung: z.number().int().nonnegative(),
      parent: z.number().int().nonnegative().optional(),
    }),
  ),
  started: z.array(z.string()),
});

/** Saved state of {@link Asha}. */
export type AshaState = z.infer<typeof stateSchema>;

interface Member {
  id: number;
  sample: Sample;
  /** Null: the trial failed (it is never promoted). */
  objective: number | null;
  promoted: boolean;
}

interface Pending {
  id: number;
  sample: Sample;
  rung: number;
  parent?: number;
}

/** ASHA (Li et al., MLSys 2020); see the module comment. */
export class Asha implements Strategy {
  readonly name = 'asha';
  readonly options: Required<AshaOptions>;
  private readonly rng: Rng;
  private nextId = 0;
  /** Told results per rung. */
  private rungs: Member[][];
  private readonly pending = new Map<number, Pending>();
  /** Keys started at rung 0 (a candidate is started once). */
  private readonly started = new Set<string>();

  constructor(
    readonly space: SearchSpace,
    seed: number,
    options?: AshaOptions,
  ) {
    const eta = options?.eta ?? 3;
    const o = { eta, rungs: options?.rungs ?? [1 / (eta * eta), 1 / eta, 1] };
    const r = optionsSchema.safeParse(o);
    if (!r.success) throw new Error(`asha: bad option '${r.error.issues[0].path.join('.')}': ${r.error.issues[0].message}`);
    this.options = o;
    this.rungs = o.rungs.map(() => []);
    this.rng = new Rng(seed);
  }

  /** Told results per rung (copies), lowest fidelity first. */
  rungResults(): { fidelity: number; members: Member[] }[] {
    return this.rungs.map((m, i) => ({ fidelity: this.options.rungs[i], members: m.map((x) => ({ ...x, sample: { ...x.sample } })) }));
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const out: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const p = this.promotion() ?? this.fresh();
      if (!p) break; // every candidate has been started and nothing can be promoted
      this.pending.set(p.id, p);
      out.push({ id: p.id, sample: { ...p.sample }, fidelity: this.options.rungs[p.rung], ...(p.parent !== undefined && { parent: p.parent }) });
    }
    return out;
  }

  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    const p = takePending(this.name, this.pending, id);
    this.rungs[p.rung].push({ id, sample: p.sample, objective, promoted: false });
  }

  fidelityOf(id: number): number | undefined {
    const p = this.pending.get(id);
    return p && this.options.rungs[p.rung];
  }

  state(): AshaState {
    return {
      strategy: 'asha',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      options: { eta: this.options.eta, rungs: [...this.options.rungs] },
      rungs: this.rungs.map((r) => r.map((m) => ({ ...m, sample: { ...m.sample } }))),
      pending: [...this.pending.values()].map((p) => ({ ...p, sample: { ...p.sample } })),
      started: [...this.started],
    };
  }

  restore(state: unknown): void {
    const s = parseState(stateSchema, state, this.name, this.space);
    if (s.rungs.length !== s.options.rungs.length)
      throw new Error(`asha.restore: bad state at 'rungs': ${s.rungs.length} rungs for ${s.options.rungs.length} fidelities`);
    this.options.eta = s.options.eta;
    this.options.rungs = [...s.options.rungs];
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.rungs = s.rungs.map((r) => r.map((m) => ({ ...m, sample: checkSample(this.space, m.sample) })));
    this.pending.clear();
    for (const p of s.pending) this.pending.set(p.id, { ...p, sample: checkSample(this.space, p.sample) });
    this.started.clear();
    for (const k of s.started) this.started.add(k);
  }

  /**
   * Algorithm 2's get_job: from the top rung down, the best unpromoted member among the top
   * ⌊|rung| / η⌋ of its rung moves up one rung.
   */
  private promotion(): Pending | null {
    for (let k = this.rungs.length - 2; k >= 0; k--) {
      const ok = this.rungs[k].filter((m) => m.objective !== null).sort((a, b) => b.objective! - a.objective! || a.id - b.id);
      const top = ok.slice(0, Math.floor(this.rungs[k].length / this.options.eta));
      const m = top.find((x) => !x.promoted);
      if (m) {
        m.promoted = true;
        return { id: this.nextId++, sample: { ...m.sample }, rung: k + 1, parent: m.id };
      }
    }
    return null;
  }

  private fresh(): Pending | null {
    const s = drawUnseen(this.space, this.rng, this.started);
    if (!s) return null;
    this.started.add(this.space.key(s));
    return { id: this.nextId++, sample: s, rung: 0 };
  }
}
