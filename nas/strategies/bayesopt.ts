/**
 * Predictor-guided search in the BANANAS frame: White, Neiswanger & Savani, "BANANAS:
 * Bayesian Optimization with Neural Architectures for Neural Architecture Search", AAAI 2021
 * (Algorithm 1): after `initialSamples` random queries, fit a predictor with uncertainty on
 * every result so far, generate candidates by mutating the best architectures found (plus
 * some uniform draws, for exploration), and query the candidate with the highest
 * acquisition value. The predictor here is a Gaussian process over the one-hot encoding
 * (gp.ts) and the acquisition is expected improvement, the choice BANANAS compares against
 * its neural ensemble and that NPENAS (Wei et al., IEEE TNNLS 2022) also uses for its
 * graph-based predictor; on ~100-query budgets a GP is as accurate as a small MLP ensemble
 * and costs milliseconds.
 *
 * Targets are turned into normal scores by rank before fitting (a copula transform): NAS
 * tables have a long tail of broken architectures (NAS-Bench-201 cells with no path from
 * input to output score ~10%), and standardising raw accuracies would let those few dominate
 * the kernel's variance.
 *
 * Asynchronous ask/tell: proposals still in flight enter the model at their predicted mean
 * ("kriging believer", Ginsbourger et al. 2010), so several asks before a tell spread out
 * instead of repeating one candidate. Nothing is proposed twice.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { Sample, SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from './types.js';
import { baseStateShape, checkAskCount, checkObjective, checkSample, parseState, sampleSchema, takePending } from './common.js';
import { expectedImprovement, fitGp, type GpHyper } from './gp.js';
import { drawUnseen, neighbours, optionIndices } from './neighbours.js';

/** Options of {@link BayesOpt}. */
export interface BayesOptOptions {
  /** Random queries before the first model fit (default 10, as BANANAS). */
  initialSamples?: number;
  /** Best architectures whose one-decision mutations are candidates (default 10). */
  mutateTop?: number;
  /** Uniform draws added to the candidate pool (default 100). */
  randomCandidates?: number;
}

const optionsSchema = z.object({
  initialSamples: z.number().int().positive(),
  mutateTop: z.number().int().positive(),
  randomCandidates: z.number().int().min(0),
});

const stateSchema = z.object({
  strategy: z.literal('bayesopt'),
  ...baseStateShape,
  options: optionsSchema,
  observed: z.array(z.object({ id: z.number().int().nonnegative(), sample: sampleSchema, objective: z.number() })),
  failed: z.array(z.string()),
  asked: z.number().int().nonnegative(),
  pending: z.array(z.object({ id: z.number().int().nonnegative(), sample: sampleSchema, parent: z.number().int().nonnegative().optional() })),
});

/** Saved state of {@link BayesOpt}. */
export type BayesOptState = z.infer<typeof stateSchema>;

interface Observed {
  id: number;
  sample: Sample;
  objective: number;
}

interface Pending {
  id: number;
  sample: Sample;
  parent?: number;
}

/** Most results the GP is fitted on (a fit then takes a few milliseconds). */
const MAX_FIT = 200;
/** Kernel settings are re-chosen every this many results. */
const HYPER_EVERY = 5;

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Normal scores by rank (ties share their mean rank). */
export function normalScores(ys: readonly number[]): number[] {
  const order = ys.map((y, i) => [y, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(ys.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = normalQuantile(rank / (ys.length + 1));
    i = j + 1;
  }
  return out;
}

/** GP + expected improvement in the BANANAS loop; see the module comment. */
export class BayesOpt implements Strategy {
  readonly name = 'bayesopt';
  readonly options: Required<BayesOptOptions>;
  private readonly rng: Rng;
  private nextId = 0;
  /** Proposals made so far (the first `initialSamples` are random). */
  private asked = 0;
  private observed: Observed[] = [];
  private readonly failed = new Set<string>();
  private readonly pending = new Map<number, Pending>();
  private hyperCache: { n: number; hyper: GpHyper } | null = null;

  constructor(
    readonly space: SearchSpace,
    seed: number,
    options?: BayesOptOptions,
  ) {
    const o = { initialSamples: options?.initialSamples ?? 10, mutateTop: options?.mutateTop ?? 10, randomCandidates: options?.randomCandidates ?? 100 };
    const r = optionsSchema.safeParse(o);
    if (!r.success) throw new Error(`bayesopt: bad option '${r.error.issues[0].path.join('.')}': ${r.error.issues[0].message}`);
    this.options = o;
    this.rng = new Rng(seed);
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const out: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const p = this.next();
      if (!p) break; // every candidate has been queried
      this.asked++;
      this.pending.set(p.id, p);
      out.push({ id: p.id, sample: { ...p.sample }, ...(p.parent !== undefined && { parent: p.parent }) });
    }
    return out;
  }

  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    const p = takePending(this.name, this.pending, id);
    if (objective === null) this.failed.add(this.space.key(p.sample));
    else this.observed.push({ id, sample: p.sample, objective });
  }

  state(): BayesOptState {
    return {
      strategy: 'bayesopt',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      options: { ...this.options },
      observed: this.observed.map((o) => ({ ...o, sample: { ...o.sample } })),
      failed: [...this.failed],
      asked: this.asked,
      pending: [...this.pending.values()].map((p) => ({ ...p, sample: { ...p.sample } })),
    };
  }

  restore(state: unknown): void {
    const s = parseState(stateSchema, state, this.name, this.space);
    Object.assign(this.options, s.options);
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.asked = s.asked;
    this.hyperCache = null;
    this.observed = s.observed.map((o) => ({ ...o, sample: checkSample(this.space, o.sample) }));
    this.failed.clear();
    for (const k of s.failed) this.failed.add(k);
    this.pending.clear();
    for (const p of s.pending) this.pending.set(p.id, { ...p, sample: checkSample(this.space, p.sample) });
  }

  private seenKeys(): Set<string> {
    const seen = new Set(this.failed);
    for (const o of this.observed) seen.add(this.space.key(o.sample));
    for (const p of this.pending.values()) seen.add(this.space.key(p.sample));
    return seen;
  }

  private next(): Pending | null {
    const seen = this.seenKeys();
    if (this.asked < this.options.initialSamples || this.observed.length === 0) {
      const s = drawUnseen(this.space, this.rng, seen);
      return s && { id: this.nextId++, sample: s };
    }
    const pick = this.acquire(seen);
    if (pick) return { id: this.nextId++, ...pick };
    const s = drawUnseen(this.space, this.rng, seen);
    return s && { id: this.nextId++, sample: s };
  }

  /**
   * Kernel settings, chosen by marginal likelihood on the first multiple of
   * {@link HYPER_EVERY} results and kept until the next multiple: choosing costs 15 fits, and
   * a few more results barely move the choice. A function of the told results only, so a
   * restored state chooses the same.
   */
  private hyper(): GpHyper {
    const n = Math.min(this.observed.length - (this.observed.length % HYPER_EVERY) || this.observed.length, MAX_FIT);
    if (this.hyperCache?.n === n) return this.hyperCache.hyper;
    const base = this.observed.slice(0, n);
    const { lengthScale, noiseRatio } = fitGp(
      base.map((o) => optionIndices(this.space, o.sample)),
      normalScores(base.map((o) => o.objective)),
    );
    this.hyperCache = { n, hyper: { lengthScale, noiseRatio } };
    return this.hyperCache.hyper;
  }

  /** The unseen candidate with the highest expected improvement, or null if the pool is empty. */
  private acquire(seen: Set<string>): { sample: Sample; parent?: number } | null {
    const enc = (s: Sample) => optionIndices(this.space, s);
    // The GP costs O(n³) per fit: past MAX_FIT results it sees the best ones only, which is
    // where the candidates come from anyway.
    const fitted =
      this.observed.length <= MAX_FIT ? this.observed : [...this.observed].sort((a, b) => b.objective - a.objective || a.id - b.id).slice(0, MAX_FIT);
    const xs = fitted.map((o) => enc(o.sample));
    const ys = normalScores(fitted.map((o) => o.objective));
    let gp = fitGp(xs, ys, this.hyper());
    const inflight = [...this.pending.values()];
    if (inflight.length > 0) {
      // Kriging believer: pretend the in-flight proposals returned their predicted mean.
      const px = inflight.map((p) => enc(p.sample));
      gp = fitGp([...xs, ...px], [...ys, ...px.map((x) => gp.predict(x).mean)], gp);
    }
    const incumbent = Math.max(...ys);

    const pool: { sample: Sample; parent?: number }[] = [];
    const inPool = new Set<string>();
    const add = (s: Sample, parent?: number) => {
      const k = this.space.key(s);
      if (seen.has(k) || inPool.has(k)) return;
      inPool.add(k);
      pool.push({ sample: s, ...(parent !== undefined && { parent }) });
    };
    const top = [...this.observed].sort((a, b) => b.objective - a.objective).slice(0, this.options.mutateTop);
    for (const t of top) for (const nb of neighbours(this.space, t.sample)) add(nb, t.id);
    const grow = new Set(seen);
    for (let r = 0; r < this.options.randomCandidates; r++) {
      const s = drawUnseen(this.space, this.rng, grow);
      if (!s) break;
      grow.add(this.space.key(s));
      add(s);
    }
    let best: { sample: Sample; parent?: number } | null = null;
    let bestEi = -Infinity;
    for (const c of pool) {
      const { mean, std } = gp.predict(enc(c.sample));
      const ei = expectedImprovement(mean, std, incumbent);
      if (ei > bestEi) {
        bestEi = ei;
        best = c;
      }
    }
    return best;
  }
}
