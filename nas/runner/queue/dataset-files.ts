/**
 * The files a dataset spec reads (`csv:PATH`, `idx:A,B[,C,D]`, `npy:X,Y`, `images:DIR`;
 * built-in datasets read none), so a queue worker can say which file it lacks before training.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Paths a spec names, resolved against `dir` (the worker's `--data-dir`). */
export function datasetFiles(spec: string, dir: string): string[] {
  const colon = spec.indexOf(':');
  if (colon < 0) return [];
  const kind = spec.slice(0, colon).trim();
  const body = spec.slice(colon + 1);
  const names = kind === 'idx' || kind === 'npy' ? body.split(',') : kind === 'csv' || kind === 'images' ? [body] : [];
  return names
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => path.resolve(dir, n));
}

/** The first file of `spec` missing under `dir`, or undefined. */
export function missingDatasetFile(spec: string, dir: string): string | undefined {
  return datasetFiles(spec, dir).find((f) => !fs.existsSync(f));
}
