/**
 * Loading a run's data the way every trainer does: a dataset's shipped test split is the
 * validation set, otherwise a seeded stratified split of `validationSplit`. Shared by the
 * training job, the search's training evaluator and the supernet search, so all of them
 * see the same samples for a seed.
 */
import { loadDataset } from './registry.js';
import { splitValidation } from './split.js';
import type { Dataset } from './types.js';

/** Training and validation sets of one dataset spec. */
export interface TrainVal {
  train: Dataset;
  val: Dataset;
}

/** Loads `spec` and splits it; see the module comment. */
export async function loadTrainVal(spec: string, o: { target?: string; seed: number; validationSplit: number }): Promise<TrainVal> {
  const ds = await loadDataset(spec, { target: o.target, seed: o.seed });
  if (ds.test) return { train: { ...ds, test: undefined }, val: { ...ds.test, name: `${ds.name}:test` } };
  return splitValidation(ds, o.validationSplit, o.seed);
}
