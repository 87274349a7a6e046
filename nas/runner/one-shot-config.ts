/**
 * Experiment configs of weight-sharing searches, as the CLI (and later the server) builds
 * them: the nb201 cell space in a skeleton fitted to the dataset, or a drawn space, with the
 * supernet's training budget. Also the NB201 table look-up of a found cell.
 */
import fs from 'node:fs';
import { loadDataset } from '../../engine/data/registry.js';
import type { OneShotName } from '../strategies/one-shot.js';
import { nb201SkeletonDoc } from '../space/nb201-skeleton.js';
import { SUPERNET_METRIC } from '../evaluators/supernet.js';
import type { ExperimentConfig, SupernetConfig } from './config.js';

/** Default supernet epochs. */
export const DEFAULT_SUPERNET_EPOCHS = 10;

/** Default selection trials per strategy (DARTS scores its one discretized cell). */
export const DEFAULT_SELECTION_TRIALS: Record<OneShotName, number> = { spos: 50, enas: 10, darts: 1 };

/** What a weight-sharing search is asked for. */
export interface OneShotRequest {
  strategy: OneShotName;
  options?: Record<string, unknown>;
  supernet: SupernetConfig;
  /** Selection trials (default per strategy). */
  trials?: number;
  seed: number;
  /** A drawn space: its display name and `.loom.json` text. Unset: the nb201 cell space. */
  drawn?: { name: string; text: string };
  /** nb201 skeleton: channels and cells per stage. */
  skeleton?: { channels?: number; cells?: number };
}

/** Builds the config; nb201 loads the dataset once to fit the skeleton's input and classes. */
export async function oneShotConfig(r: OneShotRequest): Promise<ExperimentConfig> {
  let space: Pick<ExperimentConfig, 'space' | 'spaceDoc'>;
  if (r.drawn) {
    space = { space: r.drawn.name, spaceDoc: r.drawn.text };
  } else {
    const spec = r.supernet.dataset;
    if (!spec) throw new Error('the nb201 cell space needs --data to size its skeleton');
    const ds = await loadDataset(spec, { target: r.supernet.target, seed: r.seed });
    if (ds.task !== 'classification' || !ds.numClasses) throw new Error(`weight-sharing search needs a classification dataset; "${spec}" is ${ds.task}`);
    const doc = nb201SkeletonDoc({
      inputShape: ds.inputShape,
      classes: ds.numClasses,
      channels: r.skeleton?.channels,
      cells: r.skeleton?.cells,
      dataset: spec,
    });
    space = { space: 'nb201', spaceDoc: JSON.stringify(doc) };
  }
  return {
    ...space,
    strategy: { name: r.strategy, ...(r.options && Object.keys(r.options).length > 0 && { options: r.options }) },
    evaluator: { spec: 'supernet', supernet: r.supernet },
    objective: { metric: SUPERNET_METRIC },
    report: SUPERNET_METRIC,
    budget: { trials: r.trials ?? DEFAULT_SELECTION_TRIALS[r.strategy] },
    seed: r.seed,
  };
}

/** A cell's row of a NAS-Bench-201-format table (undefined when the cell is not in it). */
export function nb201Lookup(tablePath: string, cell: string): Record<string, number> | undefined {
  const table = JSON.parse(fs.readFileSync(tablePath, 'utf8')) as { archs?: Record<string, Record<string, number>> };
  if (!table.archs) throw new Error(`${tablePath}: not a NAS-Bench-201-format table (no "archs")`);
  return table.archs[cell];
}
