/**
 * Strategy registry: one place that maps a strategy name (as stored in an experiment file or
 * typed on the CLI) to its constructor and options type.
 */
import type { SearchSpace } from '../space/types.js';
import type { Strategy } from './types.js';
import { RandomSearch, type RandomOptions } from './random.js';
import { RegularizedEvolution, type EvolutionOptions } from './evolution.js';
import { Reinforce, type ReinforceOptions } from './reinforce.js';

export type { Proposal, Strategy } from './types.js';
export { RandomSearch, type RandomOptions } from './random.js';
export { RegularizedEvolution, type EvolutionOptions, type Member } from './evolution.js';
export { Reinforce, type ReinforceOptions } from './reinforce.js';

/** Options per strategy name. */
export interface StrategyOptionsMap {
  random: RandomOptions;
  evolution: EvolutionOptions;
  reinforce: ReinforceOptions;
}

/** The registered strategy names. */
export type StrategyName = keyof StrategyOptionsMap;

/** Concrete class per strategy name, so callers keep e.g. `probabilities()` on REINFORCE. */
export interface StrategyClassMap {
  random: RandomSearch;
  evolution: RegularizedEvolution;
  reinforce: Reinforce;
}

/** All registered names, in a stable order (for CLI help and UI menus). */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.freeze(['random', 'evolution', 'reinforce']);

/** Type guard for names read from files or the command line. */
export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/**
 * Creates a strategy by name: random search (Bergstra & Bengio 2012), regularized evolution
 * (Real et al. 2019) or REINFORCE (Williams 1992). Same name, space, seed and options give the
 * same proposals for the same tells.
 */
export function createStrategy<N extends StrategyName>(
  name: N,
  space: SearchSpace,
  seed: number,
  options?: StrategyOptionsMap[N],
): StrategyClassMap[N];
export function createStrategy(
  name: StrategyName,
  space: SearchSpace,
  seed: number,
  options?: StrategyOptionsMap[StrategyName],
): Strategy {
  switch (name) {
    case 'random':
      return new RandomSearch(space, seed);
    case 'evolution':
      return new RegularizedEvolution(space, seed, options as EvolutionOptions | undefined);
    case 'reinforce':
      return new Reinforce(space, seed, options as ReinforceOptions | undefined);
    default:
      throw new Error(`unknown strategy '${String(name)}' (known: ${STRATEGY_NAMES.join(', ')})`);
  }
}
