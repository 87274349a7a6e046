/**
 * Graph + trained tf.js weights -> ONNX ModelProto bytes. Each layer kind emits its own
 * nodes (`toOnnx` in its file); this driver walks the graph in topological order, feeds each
 * layer its inputs and tf.js weights, and declares inputs/outputs under the Input/Output
 * node ids with a symbolic batch dimension. The exported model takes the same NHWC input
 * the user trained with.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { graphHash } from '../graph/hash.js';
import type { Graph } from '../graph/validate.js';
import type { WeightTensor } from '../layers/types.js';
import { OnnxBuilder, type OnnxValue } from './builder.js';

/** Opsets the exporter writes. */
export const SUPPORTED_OPSETS = [13, 14, 15, 16, 17, 18, 19, 20, 21] as const;
/** Opset written when none is asked for. */
export const DEFAULT_OPSET = 17;

/** A graph that cannot be exported; names the node and why. */
export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    message: string,
    readonly node?: string,
  ) {
    super(message);
  }
}

/** Provenance written into the model's metadata_props. */
export interface ExportMetadata {
  runId?: string;
  dataset?: string;
  metrics?: Record<string, number>;
  searchId?: string;
  decisions?: Record<string, unknown>;
  layerloomVersion: string;
}

/** Options for exportOnnx. */
export interface ExportOptions {
  opset?: number;
  metadata: ExportMetadata;
}

export function weightsOf(model: tfNs.LayersModel, id: string): WeightTensor[] {
  const layer = model.layers.find((l) => l.name === id);
  if (!layer) return [];
  return layer.getWeights().map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape.slice() }));
}

/** Checks that every node can be exported, before anything is emitted. */
export function checkExportable(graph: Graph): void {
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    if (node.kind === 'Input' || node.kind === 'Output') continue;
    if (!node.def.toOnnx) throw new ExportError(`node "${id}": ${node.kind} has no ONNX mapping`, id);
  }
}

/** Builds the metadata_props map. */
export function metadataProps(graph: Graph, meta: ExportMetadata): Record<string, string> {
  const props: Record<string, string> = {
    'layerloom.version': meta.layerloomVersion,
    'layerloom.graph_hash': graphHash(graph.doc),
  };
  if (graph.doc.name) props['layerloom.graph_name'] = graph.doc.name;
  if (meta.runId) props['layerloom.run_id'] = meta.runId;
  if (meta.dataset) props['layerloom.dataset'] = meta.dataset;
  if (meta.metrics) props['layerloom.metrics'] = JSON.stringify(meta.metrics);
  if (meta.searchId) props['layerloom.search_id'] = meta.searchId;
  if (meta.decisions) props['layerloom.decisions'] = JSON.stringify(meta.decisions);
  return props;
}

/**
 * Emits every node's forward computation into `ctx`: Input nodes become graph inputs,
 * layers emit through their `toOnnx`. Returns each node's output value (an Output node's is
 * its input's). Shared by export (inference mode) and the training-step compiler.
 */
export function emitForward(ctx: OnnxBuilder, graph: Graph, model: tfNs.LayersModel): Map<string, OnnxValue> {
  checkExportable(graph);
  const values = new Map<string, OnnxValue>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    const ins = (graph.inputsOf.get(id) ?? []).map((r) => values.get(r.source)!);
    if (node.kind === 'Input') {
      const p = node.params as { shape: (number | null)[]; dtype: 'float32' | 'int32' };
      values.set(id, ctx.addInput(id, [null, ...p.shape], p.dtype));
      continue;
    }
    if (node.kind === 'Output') {
      values.set(id, ins[0]);
      continue;
    }
    try {
      ctx.beginNode(id);
      const [out] = node.def.toOnnx!(ctx, node.params, ins, weightsOf(model, id), id);
      values.set(id, out);
    } catch (e) {
      if (e instanceof ExportError) throw e;
      throw new ExportError(`node "${id}" (${node.kind}): ${(e as Error).message}`, id);
    }
  }
  return values;
}

/** Exports a graph with the weights of its compiled tf.js model. Throws ExportError. */
export function exportOnnx(graph: Graph, model: tfNs.LayersModel, options: ExportOptions): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!(SUPPORTED_OPSETS as readonly number[]).includes(opset)) {
    throw new ExportError(`opset ${opset} is not supported; choose one of ${SUPPORTED_OPSETS.join(', ')}`);
  }
  const ctx = new OnnxBuilder(opset);
  const values = emitForward(ctx, graph, model);
  for (const id of graph.order) {
    if (graph.nodes.get(id)!.kind === 'Output') ctx.addOutput(id, values.get(id)!);
  }
  return ctx.toBytes({
    opset,
    producerVersion: options.metadata.layerloomVersion,
    metadata: metadataProps(graph, options.metadata),
    graphName: graph.doc.name ?? 'layerloom',
  });
}
