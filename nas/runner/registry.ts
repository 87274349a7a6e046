/**
 * The built-in factories the runner resolves a stored config with: space by name (or a drawn
 * space from the stored document text), strategy by name, evaluator by spec. Tests inject
 * their own through `RunnerDeps`.
 */
import { createEvaluator } from '../evaluators/index.js';
import type { Evaluator } from '../evaluators/types.js';
import { CellTableEvaluator } from '../evaluators/cell-table.js';
import { DrawnSpace, drawnSpace } from '../space/drawn.js';
import { nb201 } from '../space/nb201.js';
import type { SearchSpace } from '../space/types.js';
import { nb201SkeletonSpace } from '../space/nb201-skeleton.js';
import type { Sample } from '../space/types.js';
import type { LoomDocument } from '../../engine/graph/schema.js';
import { createStrategy, isOneShotName } from '../strategies/index.js';
import type { Strategy } from '../strategies/types.js';
import type { ExperimentConfig, StrategyName } from './config.js';
import { parseConstraints, parseObjectives, type Objective } from './objectives.js';

/** Factories the runner builds an experiment from. */
export interface RunnerDeps {
  space(name: string): SearchSpace;
  strategy(name: StrategyName, space: SearchSpace, seed: number, options: Record<string, unknown> | undefined): Strategy;
  evaluator(config: ExperimentConfig, space: SearchSpace): Evaluator;
}

/** Spaces available by name in this version. */
export const SPACES: Record<string, SearchSpace> = { nb201 };

/** Metrics the training evaluator knows without reading them from the training loop. */
const NON_TRAINING_METRICS = new Set(['params', 'flops', 'latencyMs', 'wallMs', 'trainMs']);

/** The objectives of a config: `objectives`, else maximise `objective.metric`. */
export function configObjectives(config: ExperimentConfig): Objective[] {
  return config.objectives ? parseObjectives(config.objectives) : [{ metric: config.objective.metric, direction: 'max' }];
}

/**
 * The training metric a `train` evaluator must report for a set of objectives: the first
 * objective that training produces (not params/FLOPs/latency), else `valAccuracy`.
 */
export function trainingSignal(objectives: readonly Objective[]): string {
  return objectives.find((o) => !NON_TRAINING_METRICS.has(o.metric))?.metric ?? 'valAccuracy';
}

/**
 * The space a config describes: `nb201` with a stored skeleton is the cell space trained in
 * that skeleton; another stored document is a drawn space; else a built-in space by name.
 */
export function spaceOf(config: ExperimentConfig, byName: (name: string) => SearchSpace = defaultDeps.space): SearchSpace {
  if (config.spaceDoc === undefined) return byName(config.space);
  return config.space === 'nb201' ? nb201SkeletonSpace(config.spaceDoc) : drawnSpace(config.spaceDoc);
}

/** A space whose samples become concrete graphs (drawn spaces, the nb201 skeleton). */
export interface Materializing extends SearchSpace {
  materialize(s: Sample): LoomDocument;
}

/** Whether a space's samples materialize into graphs that can be trained. */
export function canMaterialize(space: SearchSpace): space is Materializing {
  return typeof (space as Partial<Materializing>).materialize === 'function';
}

/**
 * Evaluator options for a `train` spec: the stored budget, the objectives' signal, latency
 * when an objective needs it, the constraints, and `materialize` through the drawn space.
 */
export function trainEvaluatorOptions(config: ExperimentConfig, space: SearchSpace) {
  if (!canMaterialize(space)) throw new Error(`evaluator "train" needs a drawn search space (a .loom.json file), not "${space.name}"`);
  const objectives = configObjectives(config);
  const t = config.evaluator.train ?? {};
  return {
    ...t,
    latency: t.latency || objectives.some((o) => o.metric === 'latencyMs'),
    constraints: parseConstraints(config.constraints ?? []),
    materialize: (key: string) => space.materialize(space.fromKey(key)),
  };
}

/** The built-in registry. */
export const defaultDeps: RunnerDeps = {
  space(name) {
    const s = SPACES[name];
    if (!s) throw new Error(`unknown search space "${name}"; available: ${Object.keys(SPACES).join(', ')}`);
    return s;
  },
  strategy(name, space, seed, options) {
    if (isOneShotName(name)) throw new Error(`strategy "${name}" trains a supernet: it needs the evaluator "supernet"`);
    return createStrategy(name, space, seed, options as Parameters<typeof createStrategy>[3]);
  },
  evaluator(config, space) {
    const isTrain = config.evaluator.spec === 'train' || config.evaluator.spec.startsWith('train:');
    if (!isTrain && config.constraints?.length) throw new Error(`constraints need the train evaluator, not "${config.evaluator.spec}"`);
    const train = isTrain ? trainEvaluatorOptions(config, space) : undefined;
    // Only a time budget needs a table's timing fields; a trial budget works without them.
    const requireCost = config.budget.seconds !== undefined;
    // A drawn space searched against a table: its one Cell's string is the table key.
    if (config.evaluator.spec.startsWith('tabular:') && space instanceof DrawnSpace) {
      return new CellTableEvaluator(space, config.evaluator.spec.slice('tabular:'.length), {
        signal: config.objective.metric,
        report: config.report,
        cost: config.evaluator.cost,
        requireCost,
      });
    }
    return createEvaluator(config.evaluator.spec, { signal: config.objective.metric, report: config.report, cost: config.evaluator.cost, requireCost, train });
  },
};
