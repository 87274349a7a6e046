/** Test inputs for the React Flow caches (to-flow.ts). */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { analysisOf } from '../../store/analysis.js';
import type { NodeInputs } from './to-flow.js';

const none: ReadonlySet<string> = new Set();

/** The node cache's inputs for `doc`: its analysis, nothing selected, dragged, measured or heated, plus `extra`. */
export function flowInputs(doc: LoomDocument, extra: Partial<NodeInputs> = {}): NodeInputs {
  return { doc, analysis: analysisOf(doc), selected: none, drag: new Map(), measured: new Map(), heat: {}, highlight: none, readOnly: false, ...extra };
}
