/**
 * The files a search from a client would read: its dataset (the settings' `data`, else the
 * document's `training.dataset`) and a tabular evaluator's table. Both go through the
 * engine's client-path rules (engine/server/client-paths.ts) before the search starts.
 */
import type { ClientPaths } from '../../engine/server/client-paths.js';
import { checkDatasetSpec, documentDataset } from '../../engine/server/dataset-paths.js';

/** Refuses a search whose dataset or table lies outside what clients may read. */
export function checkSearchPaths(paths: ClientPaths, text: string, settings: { evaluator: string; data?: string }, opts: { table: boolean }): void {
  if (settings.data !== undefined) checkDatasetSpec(paths, settings.data, 'settings.data');
  else {
    const d = documentDataset(text);
    if (d) checkDatasetSpec(paths, d, 'training.dataset');
  }
  if (opts.table && settings.evaluator.startsWith('tabular:')) {
    paths.readable(settings.evaluator.slice('tabular:'.length), {
      field: 'settings.evaluator',
      kind: 'file',
      pattern: /\.json$/i,
      expected: 'a NAS-Bench-201-format .json table',
    });
  }
}
