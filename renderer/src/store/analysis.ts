/**
 * Shape inference, validation and costs of the shown document, computed in the renderer by
 * the engine's own pure analysis. Recomputed only when the graph's structure or params
 * change: a document that differs only in positions (a drag) reuses the last analysis.
 */
import { analyzeDocument, type DocumentAnalysis } from '../../../engine/graph/analyze.js';
import type { LoomDocument } from '../../../engine/graph/schema.js';

const byDoc = new WeakMap<LoomDocument, DocumentAnalysis>();
let last: { doc: LoomDocument; analysis: DocumentAnalysis } | null = null;

/** True when the two documents have the same nodes (id, kind, params) and the same edges. */
export function sameStructure(a: LoomDocument, b: LoomDocument): boolean {
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x !== y && (x.id !== y.id || x.kind !== y.kind || x.params !== y.params)) return false;
  }
  return true;
}

/** The analysis of `doc`, reused across documents that differ only in positions or labels. */
export function analysisOf(doc: LoomDocument): DocumentAnalysis {
  const cached = byDoc.get(doc);
  if (cached) return cached;
  const analysis = last && sameStructure(last.doc, doc) ? last.analysis : analyzeDocument(doc);
  byDoc.set(doc, analysis);
  last = { doc, analysis };
  return analysis;
}
