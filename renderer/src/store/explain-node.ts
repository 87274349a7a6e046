/**
 * Why the selected node's output shape is what it is, in words (the inspector's line under
 * "shape"), from its kind's `explainShape` with the shapes the analysis found on its input
 * edges. Pure.
 */
import type { LoomDocument } from '../../../engine/graph/schema.js';
import { getLayer } from '../../../engine/layers/index.js';
import type { Shape } from '../../../engine/layers/types.js';

/** What the explanation needs from an analysis (the document's or a drawn space's). */
export interface ShapesKnown {
  nodes: Map<string, { shapes?: Shape[] }>;
  edgeShapes: Map<number, Shape>;
}

/** The explanation, or null when the shapes are not known (an error upstream, a searchable param). */
export function explainNode(doc: LoomDocument, analysis: ShapesKnown, nodeId: string): string | null {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const def = node && getLayer(node.kind);
  const outputs = analysis.nodes.get(nodeId)?.shapes;
  if (!node || !def || !outputs) return null;
  const parsed = def.params.safeParse(node.params);
  if (!parsed.success) return null;
  // Inputs in port order, then document edge order (as shape inference reads them).
  const ports = def.inputs.map((p) => p.name);
  const inputs: Shape[] = [];
  for (const port of ports) {
    doc.edges.forEach((e, i) => {
      if (e.target !== nodeId || (e.targetPort ?? 'in') !== port) return;
      const s = analysis.edgeShapes.get(i);
      if (s) inputs.push(s);
    });
  }
  try {
    return def.explainShape(parsed.data, inputs, outputs);
  } catch {
    return null; // the shapes shown came from another candidate than these params
  }
}
