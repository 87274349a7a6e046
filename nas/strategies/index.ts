/**
 * Strategy registry: one place that maps a strategy name (as stored in an experiment file or
 * typed on the CLI) to its constructor and options type.
 */
import { z } from 'zod';
import type { SearchSpace } from '../space/types.js';
import type { Supernet, WeightSharingSpace } from '../supernet/supernet.js';
import type { Strategy } from './types.js';
import { Darts, type DartsOptions } from './darts.js';
import { Enas, type EnasOptions } from './enas.js';
import { ONE_SHOT_NAMES, type OneShotName, type OneShotStrategy } from './one-shot.js';
import { Spos, type SposOptions } from './spos.js';
import { RandomSearch, type RandomOptions } from './random.js';
import { RegularizedEvolution, type EvolutionOptions } from './evolution.js';
import { Reinforce, type ReinforceOptions } from './reinforce.js';
import { LocalSearch, type LocalSearchOptions } from './local-search.js';
import { BayesOpt, type BayesOptOptions } from './bayesopt.js';
import { Asha, type AshaOptions } from './asha.js';

export type { Proposal, Strategy } from './types.js';
export { RandomSearch, type RandomOptions } from './random.js';
export { RegularizedEvolution, type EvolutionOptions, type Member } from './evolution.js';
export { Reinforce, type ReinforceOptions } from './reinforce.js';
export { LocalSearch, type LocalSearchOptions } from './local-search.js';
export { BayesOpt, type BayesOptOptions } from './bayesopt.js';
export { Asha, type AshaOptions } from './asha.js';
export { Spos, type SposOptions } from './spos.js';
export { Enas, PolicySampler, type EnasOptions } from './enas.js';
export { Darts, type CollapseRemedy, type DartsOptions } from './darts.js';
export { ONE_SHOT_NAMES, type OneShotName, type OneShotStrategy } from './one-shot.js';

/** Options per strategy name. */
export interface StrategyOptionsMap {
  random: RandomOptions;
  evolution: EvolutionOptions;
  reinforce: ReinforceOptions;
  local: LocalSearchOptions;
  bayesopt: BayesOptOptions;
  asha: AshaOptions;
}

/** The registered strategy names. */
export type StrategyName = keyof StrategyOptionsMap;

/** Concrete class per strategy name, so callers keep e.g. `probabilities()` on REINFORCE. */
export interface StrategyClassMap {
  random: RandomSearch;
  evolution: RegularizedEvolution;
  reinforce: Reinforce;
  local: LocalSearch;
  bayesopt: BayesOpt;
  asha: Asha;
}

/** All registered names, in a stable order (for CLI help and UI menus). */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze(['random', 'evolution', 'reinforce', 'local', 'bayesopt', 'asha']);

/** Type guard for names read from files or the command line. */
export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/**
 * Creates a strategy by name: random search (Bergstra & Bengio 2012), regularized evolution
 * (Real et al. 2019), REINFORCE (Williams 1992), local search (White et al. 2021), GP-based
 * Bayesian optimisation in the BANANAS loop (White et al. 2021) or ASHA (Li et al. 2020). Same name, space, seed and options give the
 * same proposals for the same tells.
 */
export function createStrategy<N extends StrategyName>(name: N, space: SearchSpace, seed: number, options?: StrategyOptionsMap[N]): StrategyClassMap[N];
export function createStrategy(name: StrategyName, space: SearchSpace, seed: number, options?: StrategyOptionsMap[StrategyName]): Strategy {
  switch (name) {
    case 'random':
      return new RandomSearch(space, seed);
    case 'evolution':
      return new RegularizedEvolution(space, seed, options as EvolutionOptions | undefined);
    case 'reinforce':
      return new Reinforce(space, seed, options as ReinforceOptions | undefined);
    case 'local':
      return new LocalSearch(space, seed, options as LocalSearchOptions | undefined);
    case 'bayesopt':
      return new BayesOpt(space, seed, options as BayesOptOptions | undefined);
    case 'asha':
      return new Asha(space, seed, options as AshaOptions | undefined);
    default:
      throw new Error(`unknown strategy '${String(name)}' (known: ${STRATEGY_NAMES.join(', ')})`);
  }
}

/** Options per weight-sharing strategy name. */
export interface OneShotOptionsMap {
  spos: SposOptions;
  enas: EnasOptions;
  darts: DartsOptions;
}

/** Type guard for weight-sharing strategy names. */
export function isOneShotName(name: string): name is OneShotName {
  return (ONE_SHOT_NAMES as readonly string[]).includes(name);
}

const pos = z.number().positive();
const count = z.number().int().positive();

/** Options each weight-sharing strategy accepts (stored configs are checked on the way in). */
const oneShotOptions = {
  spos: z.object({ populationSize: count.optional(), sampleSize: count.optional() }).strict(),
  enas: z
    .object({
      controllerLearningRate: pos.optional(),
      baselineMomentum: z.number().min(0).lt(1).optional(),
      entropyWeight: z.number().min(0).optional(),
      controllerSteps: count.optional(),
      warmupEpochs: z.number().int().min(0).optional(),
      remedy: z.enum(['dropout', 'none']).optional(),
    })
    .strict(),
  darts: z
    .object({
      archLearningRate: pos.optional(),
      archWeightDecay: z.number().min(0).optional(),
      remedy: z.enum(['darts-', 'dropout', 'none']).optional(),
      warmupEpochs: z.number().int().min(0).optional(),
    })
    .strict(),
};

/**
 * Creates a weight-sharing strategy on a space's supernet: SPOS (Guo et al. 2020), ENAS
 * (Pham et al. 2018) or DARTS (Liu et al. 2019).
 */
export function createOneShot(
  name: OneShotName,
  space: WeightSharingSpace,
  net: Supernet,
  seed: number,
  options: Record<string, unknown> = {},
): OneShotStrategy {
  const schema = oneShotOptions[name];
  const parsed = schema?.safeParse(options);
  if (parsed && !parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${name}: bad option '${issue.path.join('.') || Object.keys(options)[0]}': ${issue.message}`);
  }
  switch (name) {
    case 'spos':
      return new Spos(space, net, seed, options as SposOptions);
    case 'enas':
      return new Enas(space, net, seed, options as EnasOptions);
    case 'darts':
      return new Darts(space, net, seed, options as DartsOptions);
    default:
      throw new Error(`unknown weight-sharing strategy '${String(name)}' (known: ${ONE_SHOT_NAMES.join(', ')})`);
  }
}
