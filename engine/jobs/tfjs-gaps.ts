/**
 * Graph constructs tf.js 4.22 cannot train, found by the conformance tests: no gradient for
 * convolutions with dilation > 1, and BatchNorm / LayerNorm training crash when `center` or
 * `scale` is off. Checked before training lands on a tf.js backend, so the user gets the node
 * and the way out (the onnxruntime backend trains all of them) instead of a crash mid-run.
 */
import type { Graph } from '../graph/validate.js';
import { getLayer } from '../layers/index.js';

/** One node tf.js cannot train, and why. */
export interface TfjsGap {
  node: string;
  why: string;
}

/** Every node of the graph that tf.js cannot train (each kind's `tfjsTrainingGap` says why). */
export function tfjsTrainingGaps(graph: Graph): TfjsGap[] {
  const gaps: TfjsGap[] = [];
  for (const id of graph.order) {
    const n = graph.nodes.get(id)!;
    const why = getLayer(n.kind)?.tfjsTrainingGap?.(n.params);
    if (why) gaps.push({ node: id, why });
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
