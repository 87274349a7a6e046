/**
 * Graph -> tf.LayersModel through the functional API. Layer names are node ids, so weights,
 * checkpoints and per-node statistics map back to the canvas. Weight initialisation is
 * seeded, so the same graph and seed give the same starting weights.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { GraphError } from '../graph/errors.js';
import { inferShapes, type ShapeMap } from '../graph/infer.js';
import type { Graph } from '../graph/validate.js';
import type { Tf } from '../layers/types.js';
import { deepGraphError, isStackOverflow } from '../util/deep-stack.js';
import { withSeededMathRandom } from '../util/rng.js';

/** What an Output node asks of training. */
export interface OutputSpec {
  nodeId: string;
  loss: string;
  metrics: string[];
  fromLogits: boolean;
}

/** A compiled graph. */
export interface CompiledModel {
  model: tfNs.LayersModel;
  /** Input node ids, in the model's input order. */
  inputIds: string[];
  /** Output specs, in the model's output order. */
  outputs: OutputSpec[];
  shapes: ShapeMap;
}

/** Options for compileGraph. */
export interface CompileOptions {
  /** Seed for weight initialisation (default 42). */
  seed?: number;
}

/**
 * Builds a tf.LayersModel from a validated graph. Runs shape inference first, so a graph
 * that compiles has had every node's shape checked. Throws GraphError for graph problems.
 */
export function compileGraph(tf: Tf, graph: Graph, options: CompileOptions = {}): CompiledModel {
  const shapes = inferShapes(graph);
  return withSeededMathRandom(options.seed ?? 42, () => {
    const tensors = new Map<string, tfNs.SymbolicTensor>();
    const inputIds: string[] = [];
    const inputs: tfNs.SymbolicTensor[] = [];
    const outputs: OutputSpec[] = [];
    const outputTensors: tfNs.SymbolicTensor[] = [];
    for (const id of graph.order) {
      const node = graph.nodes.get(id)!;
      const refs = graph.inputsOf.get(id) ?? [];
      const ins = refs.map((r) => tensors.get(r.source)!);
      if (node.kind === 'Input') {
        const p = node.params as { shape: (number | null)[]; dtype: 'float32' | 'int32' };
        const t = tf.input({ shape: p.shape, name: id, dtype: p.dtype });
        tensors.set(id, t);
        inputIds.push(id);
        inputs.push(t);
        continue;
      }
      if (node.kind === 'Output') {
        const p = node.params as { loss: string; metrics: string[]; fromLogits: boolean };
        outputs.push({ nodeId: id, loss: p.loss, metrics: p.metrics, fromLogits: p.fromLogits });
        outputTensors.push(ins[0]);
        continue;
      }
      const inShapes = refs.map((r) => shapes.get(r.source)![0]);
      const layer = node.def.toTfjs(tf, node.params, id, inShapes);
      if (!layer) {
        throw new GraphError('schema', `node "${id}": kind ${node.kind} has no tf.js layer`, { node: id });
      }
      const multi = node.def.inputs.some((p) => p.multi);
      const out = layer.apply(multi ? ins : ins[0]) as tfNs.SymbolicTensor;
      tensors.set(id, out);
    }
    let model: tfNs.LayersModel;
    try {
      model = tf.model({ inputs, outputs: outputTensors, name: graph.doc.name?.replace(/[^A-Za-z0-9_]/g, '_') || 'layerloom' });
    } catch (e) {
      // tf.js builds its graph map recursively: a very deep graph overflows the stack.
      if (isStackOverflow(e)) throw deepGraphError(graph.order.length, graph.order.at(-1) ?? '?');
      throw e;
    }
    return { model, inputIds, outputs, shapes };
  });
}
