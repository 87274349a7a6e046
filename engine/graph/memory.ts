/**
 * How much memory training a graph needs at a batch size, checked before any is spent: a
 * Dense of 1e12 units validates (shapes are fine) but its weights alone are 4 TB, and training
 * would die in the initializer with "Invalid typed array length", naming nothing.
 *
 * The estimate counts float32 weights, their gradients, the optimizer's state (Adam keeps two
 * moments per weight, momentum/RMSprop one, plain SGD none), and the activations of a batch
 * twice (forward values kept for the backward pass, plus their gradients). It leaves out the
 * runtime's own overhead and workspace, so it is a lower bound: a graph it refuses cannot fit.
 * Pure (no Node modules): the designer's Summary shows the same numbers.
 */
import type { Shape } from '../layers/types.js';
import { GraphError } from './errors.js';
import type { ShapeMap } from './infer.js';
import type { Graph } from './validate.js';

/** Bytes of one float32 value. */
const F32 = 4;
/**
 * Elements of the largest typed array this runtime allocates (V8: 2^32); a weight above it
 * fails in the initializer whatever the machine's memory.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 32;

/** engine/train/config.ts's default batch size (not imported: this module stays free of zod schemas of training). */
const DEFAULT_BATCH = 32;

/** Optimizer state slots per weight, by optimizer name (engine/train/config.ts). */
const STATE_SLOTS: Record<string, number> = { sgd: 0, momentum: 1, nesterov: 1, rmsprop: 1, adam: 2, adamw: 2 };

/** What one node contributes. */
export interface NodeMemoryInput {
  id: string;
  /** Trainable parameters of the node. */
  params: number;
  /** Output shapes, batch dimension as null. */
  shapes: Shape[];
}

/** The estimate, in bytes. */
export interface MemoryEstimate {
  batchSize: number;
  weights: number;
  gradients: number;
  optimizerState: number;
  activations: number;
  total: number;
  /** The node that needs the most (its weights, gradients, state and activations), or null for an empty graph. */
  dominant: { node: string; bytes: number } | null;
  /** The node with the most parameters (a single weight tensor is at most this large). */
  largestWeights: { node: string; params: number } | null;
}

/** Elements of one sample of a shape (unknown dimensions count as 1). */
function sampleElements(shape: Shape): number {
  return shape.reduce<number>((n, d) => n * (d ?? 1), 1);
}

/** Estimates the training memory of nodes at `batchSize` with `optimizer` (default Adam). */
export function estimateTrainingMemory(nodes: Iterable<NodeMemoryInput>, opts: { batchSize: number; optimizer?: string }): MemoryEstimate {
  const slots = STATE_SLOTS[opts.optimizer ?? 'adam'] ?? 2;
  let params = 0;
  let activations = 0;
  let dominant: MemoryEstimate['dominant'] = null;
  let largestWeights: MemoryEstimate['largestWeights'] = null;
  for (const n of nodes) {
    const act = n.shapes.reduce((s, sh) => s + sampleElements(sh), 0) * opts.batchSize * F32 * 2;
    const bytes = n.params * F32 * (2 + slots) + act;
    params += n.params;
    activations += act;
    if (!dominant || bytes > dominant.bytes) dominant = { node: n.id, bytes };
    if (n.params > 0 && (!largestWeights || n.params > largestWeights.params)) largestWeights = { node: n.id, params: n.params };
  }
  const weights = params * F32;
  const gradients = params * F32;
  const optimizerState = params * F32 * slots;
  return {
    batchSize: opts.batchSize,
    weights,
    gradients,
    optimizerState,
    activations,
    total: weights + gradients + optimizerState + activations,
    dominant,
    largestWeights,
  };
}

/** Bytes as a person reads them: 512 B, 1.5 MB, 4.0 TB (decimal units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

/** The estimate in one line: total, then its parts. */
export function describeMemory(m: MemoryEstimate): string {
  return `about ${formatBytes(m.total)} to train at batch ${m.batchSize} (weights ${formatBytes(m.weights)}, gradients ${formatBytes(m.gradients)}, optimizer state ${formatBytes(m.optimizerState)}, activations ${formatBytes(m.activations)})`;
}

/**
 * Why the graph cannot be trained within `availableBytes`, naming the node that dominates;
 * null when it may fit.
 */
export function memoryProblem(m: MemoryEstimate, availableBytes: number): { message: string; node: string } | null {
  const big = m.largestWeights;
  if (big && big.params > MAX_TENSOR_ELEMENTS) {
    return {
      node: big.node,
      message: `node "${big.node}": ${big.params.toExponential(2)} parameters, more than the largest array the runtime can allocate (${MAX_TENSOR_ELEMENTS.toExponential(2)} elements); make the layer smaller`,
    };
  }
  if (m.total <= availableBytes || !m.dominant) return null;
  const d = m.dominant;
  const share = Math.round((100 * d.bytes) / m.total);
  return {
    node: d.node,
    message: `node "${d.node}": the graph needs ${describeMemory(m)}, more than this machine's ${formatBytes(availableBytes)} of memory; this node alone needs ${formatBytes(d.bytes)} (${share}%): make it smaller or lower the batch size`,
  };
}

/** Throws a GraphError (code `memory`, on the dominating node) when the estimate cannot fit. */
export function assertFitsMemory(m: MemoryEstimate, availableBytes: number): void {
  const p = memoryProblem(m, availableBytes);
  if (p) throw new GraphError('memory', p.message, { node: p.node });
}

/** The nodes of a validated graph with their params and shapes, for {@link estimateTrainingMemory}. */
export function memoryInputs(graph: Graph, shapes: ShapeMap, perNode: Map<string, { params: number }>): NodeMemoryInput[] {
  return graph.order.map((id) => ({ id, params: perNode.get(id)?.params ?? 0, shapes: shapes.get(id) ?? [] }));
}

/** The batch size and optimizer a document trains with (its `training` section, else the defaults). */
export function trainingOf(doc: { training?: { batchSize?: number; optimizer?: { name?: string } } }): { batchSize: number; optimizer: string } {
  return { batchSize: doc.training?.batchSize ?? DEFAULT_BATCH, optimizer: doc.training?.optimizer?.name ?? 'adam' };
}
