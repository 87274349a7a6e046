/**
 * Shape inference, validation and costs of the shown document, computed in the renderer by
 * the engine's own pure analysis. Recomputed only when the graph's structure or params
 * change: a document that differs only in positions (a drag) reuses the last analysis.
 * A document with searchable parts is analysed as a drawn space (space-analysis.ts) through
 * one reference candidate; concrete documents take the direct path.
 */
import { analyzeDocument } from '../../../engine/graph/analyze.js';
import type { LoomDocument } from '../../../engine/graph/schema.js';
import { hasSearchableParts } from '../../../nas/space/drawn-parse.js';
import type { Sample } from '../../../nas/space/types.js';
import { analyzeSpace, type CanvasAnalysis } from './space-analysis.js';

export type { CanvasAnalysis } from './space-analysis.js';

interface Entry {
  doc: LoomDocument;
  candidate: Sample | null;
  analysis: CanvasAnalysis;
}

const byDoc = new WeakMap<LoomDocument, Entry>();
let last: Entry | null = null;

/** True when the two documents have the same nodes (id, kind, params, container) and the same edges. */
export function sameStructure(a: LoomDocument, b: LoomDocument): boolean {
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x !== y && (x.id !== y.id || x.kind !== y.kind || x.params !== y.params || x.group !== y.group || x.alternative !== y.alternative)) return false;
  }
  return true;
}

function analyze(doc: LoomDocument, candidate: Sample | null): CanvasAnalysis {
  if (!hasSearchableParts(doc)) return { ...analyzeDocument(doc), space: null };
  return analyzeSpace(doc, candidate);
}

/**
 * The analysis of `doc`, reused across documents that differ only in positions or labels.
 * `candidate` picks the reference candidate of a drawn space (null: the default one).
 */
export function analysisOf(doc: LoomDocument, candidate: Sample | null = null): CanvasAnalysis {
  const cached = byDoc.get(doc);
  if (cached && cached.candidate === candidate) return cached.analysis;
  const analysis = last && last.candidate === candidate && sameStructure(last.doc, doc) ? last.analysis : analyze(doc, candidate);
  const entry = { doc, candidate, analysis };
  byDoc.set(doc, entry);
  last = entry;
  return analysis;
}
