/** Benchmark: shape inference over a 1,000-node Dense chain (goal: under 20 ms). */
import { inferShapes } from '../engine/graph/infer.js';
import { validateDocument } from '../engine/graph/validate.js';
import { parseDocument } from '../engine/graph/load.js';

/** Builds the chain document and returns the median inference time in ms over `reps`. */
export function benchShapeInference(nodes = 1000, reps = 25): { medianMs: number; validateMs: number } {
  const doc = {
    version: 1,
    nodes: [
      { id: 'in', kind: 'Input', params: { shape: [32] } },
      ...Array.from({ length: nodes - 2 }, (_, i) => ({ id: `d${i}`, kind: 'Dense', params: { units: 32, activation: 'relu' } })),
      { id: 'out', kind: 'Output', params: {} },
    ],
    edges: [] as { source: string; target: string }[],
  };
  for (let i = 1; i < doc.nodes.length; i++) doc.edges.push({ source: doc.nodes[i - 1].id, target: doc.nodes[i].id });
  const t0 = performance.now();
  const graph = validateDocument(parseDocument(doc));
  const validateMs = performance.now() - t0;
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    inferShapes(graph);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], validateMs };
}
