/** Reading `.loom.json` text into the designer, and the file names it proposes. */
import { parseDocument, parseJson } from '../../../../engine/graph/load.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { projectNameSchema } from '../../../../engine/server/protocol/core.js';
import { withEdgeIds } from '../../store/commands/ids.js';

/** A parsed document (edge ids filled in), or the engine's message saying what is wrong. */
export function readDocument(text: string): { ok: true; doc: LoomDocument } | { ok: false; message: string } {
  try {
    return { ok: true, doc: withEdgeIds(parseDocument(parseJson(text))) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** The last segment of a path (Electron) or the name itself (web mode). */
export function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

/** `name` with `.loom.json` appended unless it already ends so. */
export function withLoomSuffix(name: string): string {
  const n = name.trim();
  if (n.endsWith('.loom.json')) return n;
  return `${n.replace(/\.json$/, '').replace(/\.loom$/, '')}.loom.json`;
}

/** Why `name` cannot be a project file name in web mode, or null. */
export function projectNameProblem(name: string): string | null {
  const r = projectNameSchema.safeParse(name);
  return r.success ? null : r.error.issues[0].message;
}

/** The name Save As proposes: the current file's, else the document's name. */
export function suggestedFileName(doc: LoomDocument, fileName: string | null): string {
  if (fileName) return baseName(fileName);
  const slug = (doc.name ?? '')
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return withLoomSuffix(slug || 'untitled');
}
