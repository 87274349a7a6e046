/**
 * REINFORCE (Williams, "Simple Statistical Gradient-Following Algorithms for Connectionist
 * Reinforcement Learning", Machine Learning 8, 1992) applied to architecture search as in
 * Zoph & Le, "Neural Architecture Search with Reinforcement Learning", ICLR 2017, in the
 * form NAS-Bench-201 benchmarked (Dong & Yang, ICLR 2020): no RNN controller, just one
 * independent categorical distribution (softmax over logits) per decision.
 *
 * Per told trial with reward r = objective and sampled options a_d:
 *   baseline <- EMA(r) with momentum 0.9 (bias-corrected, as NAS-Bench-201's
 *               ExponentialMovingAverage: numerator / denominator);
 *   loss = -(r - baseline) * sum_d log softmax(logits_d)[a_d];
 *   one Adam step (Kingma & Ba, ICLR 2015; betas 0.9/0.999, eps 1e-8 as PyTorch) on the logits.
 * Default learning rate 0.01: NAS-Bench-201's authors grid-searched the REINFORCE learning
 * rate over {0.01, 0.02, 0.1, 0.2, 0.5} (AutoDL-Projects
 * scripts-search/NAS-Bench-201-algos/hps/GRID-RL.sh) and their NATS-Bench runs use 0.01
 * (exps/NATS-algos/run-all.sh, `--learning_rate 0.01`, `--EMA_momentum 0.9`).
 *
 * Asynchronous use: the gradient of a trial is taken at the logits current when it is told,
 * not when it was asked. With one trial in flight (the benchmark setting) the two coincide;
 * with several it is the usual slightly-stale policy gradient of parallel NAS.
 * Logits start at zero (a uniform policy); NAS-Bench-201 adds 1e-3 Gaussian noise, which
 * only breaks ties that independent per-decision logits do not need broken.
 */
import { z } from 'zod';
import { Rng } from '../../engine/util/rng.js';
import type { SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from './types.js';
import { baseStateShape, checkAskCount, checkObjective, drawCategorical, parseState, takePending } from './common.js';

/** Options of {@link Reinforce}. */
export interface ReinforceOptions {
  /** Adam learning rate on the logits (default 0.01, NAS-Bench-201 / NATS-Bench). */
  learningRate?: number;
  /** Momentum of the moving-average reward baseline (default 0.9, NAS-Bench-201). */
  baselineMomentum?: number;
  /** Adam beta1 (default 0.9). */
  beta1?: number;
  /** Adam beta2 (default 0.999). */
  beta2?: number;
  /** Adam epsilon (default 1e-8). */
  epsilon?: number;
  /**
   * Weight of the policy's entropy added to the reward (default 0). ENAS (Pham et al. 2018)
   * adds it (1e-4) to keep its controller exploring.
   */
  entropyWeight?: number;
}

const optionsSchema = z.object({
  learningRate: z.number().positive(),
  baselineMomentum: z.number().min(0).lt(1),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  epsilon: z.number().positive(),
  entropyWeight: z.number().min(0).default(0),
});

const matrix = z.array(z.array(z.number()));

const stateSchema = z.object({
  strategy: z.literal('reinforce'),
  ...baseStateShape,
  options: optionsSchema,
  logits: matrix,
  adam: z.object({ m: matrix, v: matrix, t: z.number().int().nonnegative() }),
  baseline: z.object({ numerator: z.number(), denominator: z.number() }),
  pending: z.array(z.object({ id: z.number().int().nonnegative(), actions: z.array(z.number().int().nonnegative()) })),
});

/** Saved state of {@link Reinforce}. */
export type ReinforceState = z.infer<typeof stateSchema>;

function resolveOptions(o: ReinforceOptions | undefined): Required<ReinforceOptions> {
  const r = {
    learningRate: o?.learningRate ?? 0.01,
    baselineMomentum: o?.baselineMomentum ?? 0.9,
    beta1: o?.beta1 ?? 0.9,
    beta2: o?.beta2 ?? 0.999,
    epsilon: o?.epsilon ?? 1e-8,
    entropyWeight: o?.entropyWeight ?? 0,
  };
  const p = optionsSchema.safeParse(r);
  if (!p.success) {
    const issue = p.error.issues[0];
    throw new Error(`reinforce: bad option '${issue.path.join('.')}': ${issue.message}`);
  }
  return r;
}

/** Numerically stable softmax. */
function softmax(z: readonly number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** REINFORCE with a per-decision categorical policy (Williams 1992); see the module comment. */
export class Reinforce implements Strategy {
  readonly name = 'reinforce';
  readonly options: Required<ReinforceOptions>;
  private readonly rng: Rng;
  private nextId = 0;
  private logits: number[][];
  private adamM: number[][];
  private adamV: number[][];
  private adamT = 0;
  private baselineNum = 0;
  private baselineDen = 0;
  /** Sampled option index per decision, by pending trial id. */
  private readonly pending = new Map<number, number[]>();

  constructor(
    readonly space: SearchSpace,
    seed: number,
    options?: ReinforceOptions,
  ) {
    this.options = resolveOptions(options);
    this.rng = new Rng(seed);
    const zeros = () => space.decisions.map((d) => d.options.map(() => 0));
    this.logits = zeros();
    this.adamM = zeros();
    this.adamV = zeros();
  }

  /** Current policy: per decision name, the probability of each option (in option order). */
  probabilities(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    this.space.decisions.forEach((d, i) => (out[d.name] = softmax(this.logits[i])));
    return out;
  }

  /** The bias-corrected moving-average reward baseline (null before any successful trial). */
  baseline(): number | null {
    return this.baselineDen === 0 ? null : this.baselineNum / this.baselineDen;
  }

  ask(n: number): Proposal[] {
    checkAskCount(this.name, n);
    const probs = this.logits.map(softmax);
    const out: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const actions = probs.map((p) => drawCategorical(this.rng, p));
      const id = this.nextId++;
      this.pending.set(id, actions);
      out.push({ id, sample: this.sampleOf(actions) });
    }
    return out;
  }

  /**
   * A draw from the current policy that is not a trial (nothing to tell): ENAS trains its
   * shared weights along such paths between controller updates.
   */
  sample(): Proposal['sample'] {
    const probs = this.logits.map(softmax);
    return this.sampleOf(probs.map((p) => drawCategorical(this.rng, p)));
  }

  private sampleOf(actions: readonly number[]): Proposal['sample'] {
    const sample: Proposal['sample'] = {};
    this.space.decisions.forEach((d, i) => (sample[d.name] = d.options[actions[i]]));
    return sample;
  }

  /** A failed trial (null) carries no reward signal and leaves policy and baseline unchanged. */
  tell(id: number, objective: number | null): void {
    checkObjective(this.name, id, objective);
    const actions = takePending(this.name, this.pending, id);
    if (objective === null) return;
    const { baselineMomentum: mu, learningRate: lr, beta1, beta2, epsilon, entropyWeight: lambda } = this.options;
    // Baseline first, then the advantage, in NAS-Bench-201's order (so the very first reward
    // has zero advantage rather than a huge one against an empty baseline).
    this.baselineNum = mu * this.baselineNum + (1 - mu) * objective;
    this.baselineDen = mu * this.baselineDen + (1 - mu);
    const advantage = objective - this.baselineNum / this.baselineDen;
    this.adamT++;
    const c1 = 1 - beta1 ** this.adamT;
    const c2 = 1 - beta2 ** this.adamT;
    this.logits.forEach((z, d) => {
      const p = softmax(z);
      const m = this.adamM[d];
      const v = this.adamV[d];
      // Entropy H = -sum p log p; dH/dz_k = -p_k (log p_k + H).
      const h = lambda > 0 ? -p.reduce((a, q) => a + (q > 0 ? q * Math.log(q) : 0), 0) : 0;
      for (let k = 0; k < z.length; k++) {
        // d/dz_k of -A * log softmax(z)[a] = -A * (1[k = a] - p_k); minus lambda * dH/dz_k.
        const entropy = lambda > 0 && p[k] > 0 ? lambda * p[k] * (Math.log(p[k]) + h) : 0;
        const g = -advantage * ((k === actions[d] ? 1 : 0) - p[k]) + entropy;
        m[k] = beta1 * m[k] + (1 - beta1) * g;
        v[k] = beta2 * v[k] + (1 - beta2) * g * g;
        z[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + epsilon);
      }
    });
  }

  state(): ReinforceState {
    const copy = (a: number[][]) => a.map((r) => [...r]);
    return {
      strategy: 'reinforce',
      version: 1,
      space: this.space.name,
      rng: this.rng.state,
      nextId: this.nextId,
      options: { ...this.options },
      logits: copy(this.logits),
      adam: { m: copy(this.adamM), v: copy(this.adamV), t: this.adamT },
      baseline: { numerator: this.baselineNum, denominator: this.baselineDen },
      pending: [...this.pending].map(([id, actions]) => ({ id, actions: [...actions] })),
    };
  }

  /** Restores a saved state, including the options it was saved with. */
  restore(state: unknown): void {
    const s = parseState(stateSchema, state, this.name, this.space);
    const shaped = (a: number[][], what: string) => {
      const ok = a.length === this.space.decisions.length && a.every((r, i) => r.length === this.space.decisions[i].options.length);
      if (!ok) throw new Error(`reinforce.restore: ${what} does not match the decisions of '${this.space.name}'`);
      return a.map((r) => [...r]);
    };
    const logits = shaped(s.logits, 'logits');
    const m = shaped(s.adam.m, 'adam.m');
    const v = shaped(s.adam.v, 'adam.v');
    for (const p of s.pending) {
      const ok = p.actions.length === this.space.decisions.length && p.actions.every((a, i) => a < this.space.decisions[i].options.length);
      if (!ok) throw new Error(`reinforce.restore: pending trial ${p.id} has actions outside the space`);
    }
    Object.assign(this.options, s.options);
    this.rng.state = s.rng;
    this.nextId = s.nextId;
    this.logits = logits;
    this.adamM = m;
    this.adamV = v;
    this.adamT = s.adam.t;
    this.baselineNum = s.baseline.numerator;
    this.baselineDen = s.baseline.denominator;
    this.pending.clear();
    for (const p of s.pending) this.pending.set(p.id, [...p.actions]);
  }
}
