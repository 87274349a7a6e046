/**
 * The document's `training` section as the training panel edits it: read with defaults,
 * written back through one undoable, coalescing Command (so it is saved with the file), and
 * the dataset spec split into its kind and its files / options for the picker.
 */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import { trainingConfigSchema, type TrainingConfig } from '../../../../engine/train/config.js';
import type { Command } from '../../store/document-store.js';

/** The document's training settings, defaults filled in. */
export function trainingOf(doc: LoomDocument): TrainingConfig {
  return trainingConfigSchema.parse(doc.training ?? {});
}

/** The Command that stores `training` in the document (typing in one field is one undo step). */
export function setTrainingCommand(training: TrainingConfig): Command {
  return {
    name: 'set-training',
    label: 'Change training settings',
    coalesceKey: 'training',
    apply: (doc) => (JSON.stringify(doc.training) === JSON.stringify(training) ? doc : { ...doc, training }),
  };
}

/**
 * The settings with `patch` applied, when the result is valid; otherwise the first problem
 * as `field: message` (nothing is stored then, the field shows the message).
 */
export function patchTraining(
  current: TrainingConfig,
  patch: Partial<TrainingConfig>,
): { ok: true; training: TrainingConfig } | { ok: false; field: string; message: string } {
  const merged = Object.fromEntries(Object.entries({ ...current, ...patch }).filter(([, v]) => v !== undefined));
  const r = trainingConfigSchema.safeParse(merged);
  if (r.success) return { ok: true, training: r.data };
  const issue = r.error.issues[0];
  return { ok: false, field: issue.path.join('.'), message: issue.message };
}

/** The document's (first) Output node, whose params hold the loss. */
export function outputNode(doc: LoomDocument): LoomNode | undefined {
  return doc.nodes.find((n) => n.kind === 'Output');
}

/** Dataset kinds with a file list or options after the colon. */
export const FILE_KINDS = ['idx', 'csv', 'npy', 'images'] as const;

/** A dataset spec as the picker shows it: `csv:/data/x.csv` → `{ kind: 'csv', body: '/data/x.csv' }`. */
export function splitSpec(spec: string | undefined): { kind: string; body: string } {
  if (!spec) return { kind: '', body: '' };
  const colon = spec.indexOf(':');
  return colon < 0 ? { kind: spec, body: '' } : { kind: spec.slice(0, colon), body: spec.slice(colon + 1) };
}

/** The spec of a kind and its files / options (`idx` with `a, b` → `idx:a,b`). */
export function joinSpec(kind: string, body: string): string {
  const files = body
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
  return files ? `${kind}:${files}` : kind;
}

/** True when the kind needs user files before it can load. */
export function needsFiles(kind: string): boolean {
  return (FILE_KINDS as readonly string[]).includes(kind);
}

/** The project a run is filed under: the file's base name, else the document's name. */
export function projectOf(fileName: string | null, docName: string | undefined): string {
  const base = fileName
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.loom\.json$/, '');
  return base || docName || 'untitled';
}
