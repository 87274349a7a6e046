/**
 * Graph constructs tf.js 4.22 cannot train, found by the conformance tests: no gradient for
 * convolutions with dilation > 1, and BatchNorm / LayerNorm training crash when `center` or
 * `scale` is off. Checked before training lands on a tf.js backend, so the user gets the node
 * and the way out (the onnxruntime backend trains all of them) instead of a crash mid-run.
 */
import type { Graph } from '../graph/validate.js';

/** One node tf.js cannot train, and why. */
export interface TfjsGap {
  node: string;
  why: string;
}

function dilated(v: unknown): boolean {
  return typeof v === 'number' ? v > 1 : Array.isArray(v) && v.some((d) => typeof d === 'number' && d > 1);
}

/** Every node of the graph that tf.js cannot train. */
export function tfjsTrainingGaps(graph: Graph): TfjsGap[] {
  const gaps: TfjsGap[] = [];
  for (const id of graph.order) {
    const n = graph.nodes.get(id)!;
    const p = n.params as { dilation?: unknown; center?: boolean; scale?: boolean };
    if (['Conv1D', 'Conv2D', 'SeparableConv2D'].includes(n.kind) && dilated(p.dilation)) {
      gaps.push({ node: id, why: `${n.kind} with dilation > 1 has no gradient in tf.js` });
    }
    if ((n.kind === 'BatchNorm' || n.kind === 'LayerNorm') && (p.center === false || p.scale === false)) {
      gaps.push({ node: id, why: `${n.kind} with center or scale off crashes tf.js training` });
    }
  }
  return gaps;
}

/** Throws naming the first gap, when there is one. */
export function assertTfjsCanTrain(graph: Graph, backendReason: string): void {
  const [gap] = tfjsTrainingGaps(graph);
  if (gap) {
    throw new Error(`node "${gap.node}": ${gap.why}; train it on --backend onnxruntime (tf.js was chosen: ${backendReason})`);
  }
}
