/**
 * The files a dataset spec from a client would read (`csv:PATH`, `idx:A,B`, `npy:X,Y`,
 * `images:DIR`), each checked by {@link ClientPaths.readable} before a loader opens it: only
 * dataset formats, only inside the grants. Built-in and synthetic sets read no user file.
 */
import type { ClientPaths } from './client-paths.js';

/** Names each format's files may have (the loaders sniff gzip by content, so `.gz` may follow). */
const FILE_PATTERNS: Record<'csv' | 'idx' | 'npy', { pattern: RegExp; expected: string }> = {
  csv: { pattern: /\.(csv|tsv|txt)(\.gz)?$/i, expected: 'a .csv (or .tsv, .txt, optionally .gz) file' },
  // MNIST's own names (`train-images-idx3-ubyte`, `t10k-labels.idx1-ubyte`) or `*.idx`.
  idx: { pattern: /(idx[0-9]-ubyte|\.idx[0-9]?)(\.gz)?$/i, expected: 'an IDX file (train-images-idx3-ubyte, *.idx, optionally .gz)' },
  npy: { pattern: /\.npy(\.gz)?$/i, expected: 'a .npy file' },
};

/**
 * Throws a `bad-params` CallError on `field` when `spec` names a file a client may not read;
 * returns quietly for built-in sets and for malformed specs (the loader reports those).
 */
export function checkDatasetSpec(paths: ClientPaths, spec: string, field: string): void {
  const colon = spec.indexOf(':');
  if (colon < 0) return;
  const kind = spec.slice(0, colon).trim();
  const body = spec.slice(colon + 1);
  if (kind === 'images') {
    if (body.trim() !== '') paths.readable(body.trim(), { field, kind: 'folder', expected: 'a folder' });
    return;
  }
  if (kind !== 'csv' && kind !== 'idx' && kind !== 'npy') return;
  const files = kind === 'csv' ? [body.trim()] : body.split(',').map((s) => s.trim());
  for (const f of files) {
    if (f !== '') paths.readable(f, { field, kind: 'file', ...FILE_PATTERNS[kind] });
  }
}

/** The `training.dataset` of a document's text, if it has one (malformed text: none; its loader reports it). */
export function documentDataset(text: string): string | undefined {
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as { training?: { dataset?: unknown } } | null;
    const d = doc?.training?.dataset;
    return typeof d === 'string' ? d : undefined;
  } catch {
    return undefined;
  }
}
