/**
 * The contract every layer kind implements. One kind = one file in engine/layers/ exporting
 * one `LayerDef`; engine/layers/index.ts lists them. Nothing here imports tf.js at module
 * level: `toTfjs` receives the tf namespace, so the renderer can import the registry.
 */
import type { z } from 'zod';
import type * as tfNs from '@tensorflow/tfjs';
import type { OnnxValue } from '../onnx/values.js';
import type { OnnxBuilder } from '../onnx/builder.js';

export type { Shape, WeightTensor } from '../util/tensor-types.js';
import type { Shape, WeightTensor } from '../util/tensor-types.js';

/** The tf.js namespace, passed into `toTfjs`. */
export type Tf = typeof tfNs;

/** Palette grouping. */
export type LayerCategory =
  'io' | 'core' | 'convolution' | 'pooling' | 'normalization' | 'regularization' | 'activation' | 'merge' | 'recurrent' | 'reshape' | 'embedding';

/** A named input or output port of a node. */
export interface PortSpec {
  name: string;
  /** A multi port takes any number (≥ `min`) of edges, in document edge order. */
  multi?: boolean;
  /** Minimum number of edges on a multi port (e.g. 2 for Add). */
  min?: number;
}

/** Parameter count and forward FLOPs (multiply-adds counted as 2) for one sample. */
export interface Cost {
  params: number;
  flops: number;
}

/**
 * A weight that tf.js applies an L1/L2 penalty to. Layers with kernels accept
 * `{ l1, l2 }` regularizer params and pass them through here.
 */
export interface RegularizerParams {
  l1: number;
  l2: number;
}

/**
 * One layer kind.
 * @typeParam P - the parsed params type (output of the zod schema, defaults applied).
 */
export interface LayerDef<P = Record<string, unknown>> {
  /** Stable identifier used in `.loom.json` files, e.g. `"Conv2D"`. */
  kind: string;
  category: LayerCategory;
  /** Human label for the palette. */
  label: string;
  /** One line shown in the palette and inspector. */
  doc: string;
  /**
   * What each param does, shown when hovering it in the inspector. Params that mean the same
   * in every kind (padding, strides, activation…) may be left to explain.ts's shared list;
   * the conformance test checks every param has one or the other.
   */
  paramDocs: Record<string, string>;
  /**
   * Why the output shape is what it is, for the inspector (e.g. "height and width:
   * 26 = (28 − 3)/1 + 1 (kernel 3×3, stride 1, valid padding)"). Called only with the inputs
   * and outputs a successful `inferShape` gave. Pure.
   */
  explainShape(params: P, inputs: Shape[], outputs: Shape[]): string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** zod object schema with defaults; the inspector form is generated from it. */
  params: z.ZodType<P>;
  /**
   * Output shapes from input shapes (one entry per input edge, in port order). Pure.
   * Throws `ShapeError` saying what was expected and what came.
   */
  inferShape(params: P, inputs: Shape[]): Shape[];
  /** Trainable + non-trainable parameter count and FLOPs per sample. */
  cost(params: P, inputs: Shape[]): Cost;
  /**
   * Builds the tf.js layer named `name` (the node id). Input and Output nodes are handled by
   * the compiler and may return null here.
   */
  toTfjs(tf: Tf, params: P, name: string, inputs: Shape[]): tfNs.layers.Layer | null;
  /**
   * Emits this layer as ONNX nodes through `ctx` and returns its output values. `weights`
   * are the built tf.js layer's weights in `getWeights()` order. Input and Output are
   * handled by the exporter.
   */
  toOnnx?(ctx: OnnxBuilder, params: P, inputs: OnnxValue[], weights: WeightTensor[], name: string): OnnxValue[];
  /**
   * How output channels follow input channels, for the channel masks of weight sharing
   * (nas/supernet): `'same'` when output channel c depends on input channel c only (norms,
   * activations, pooling, padding), so a mask of absent channels carries through; a function
   * giving m when output channel c·m + k depends on input channel c only (a depthwise conv's
   * depth multiplier). Absent: every output channel mixes input channels.
   */
  channelwise?: 'same' | ((params: P) => number);
  /**
   * Weight sharing (nas/supernet/ops.ts): applies this kind with shared weights cut to a
   * path whose input holds only some of the channels its largest candidate has, or whose own
   * width is a searched choice. Kinds without it run their built tf.js layer and need their
   * input at its full width. Must compute what the kind's tf.js layer computes (same kernels),
   * so an extracted sub-network matches the supernet.
   */
  sliced?(ctx: SlicedContext, params: P): SlicedOutput;
  /**
   * Example configurations for the conformance test: params (partial, defaults fill the rest)
   * and input shapes with concrete sizes except the batch dimension.
   */
  examples: {
    params: Record<string, unknown>;
    inputs: Shape[];
    /**
     * When set, the inputs are integer ids in [0, intRange) (int32), e.g. for Embedding;
     * otherwise they are float32 values.
     */
    intRange?: number;
  }[];
  /**
   * Trait of merges (Add, Concatenate) that are the identity on one input: when a search
   * leaves such a node a single input edge, materializing replaces it by that input instead
   * of failing validation (nas/space/drawn-materialize.ts).
   */
  collapsesWithOneInput?: boolean;
  /**
   * Max abs difference `export --verify` accepts between the ONNX model and tf.js when a
   * graph holds this kind (the largest over the graph's kinds; 1e-4 when no kind says).
   * Recurrent kinds accumulate float error over time steps and ask for more.
   */
  exportTolerance?: number;
  /**
   * Why tf.js 4.22 cannot train this configuration, or null when it can (engine/jobs/
   * tfjs-gaps.ts asks before training lands on a tf.js backend, so the user gets the node and
   * the way out instead of a crash mid-run). Absent: tf.js trains every configuration.
   */
  tfjsTrainingGap?(params: P): string | null;
}

/** Registry type: kind name -> definition. */
export type LayerRegistry = Record<string, LayerDef<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Which rows of a shared weight a path uses (see {@link SlicedContext.take}). */
export interface WeightCut {
  /** This axis holds one row per input channel: keep the input's channels. */
  rows?: number;
  /** This axis holds one row per depthwise output channel (input channel c, multiplier k at c·m + k). */
  depthRows?: { axis: number; multiplier: number };
  /** Then keep the first `n` entries along `axis` (a searched width). */
  prefix?: { axis: number; n: number };
}

/** What a kind's {@link LayerDef.sliced} hook computes with. */
export interface SlicedContext {
  tf: Tf;
  /** The input (tf.js layout): `channels` of the channels of its site's largest candidate. */
  x: tfNs.Tensor;
  channels: number;
  /** BatchNorm normalises with the batch's statistics (else its moving averages). */
  batchStats: boolean;
  /**
   * A shared weight by its tf.js short name (`kernel`, `gamma`, `moving_mean`, …), cut to the
   * path; undefined when the built layer has no such weight. What is taken is what extraction
   * copies into the sub-network.
   */
  take(name: string, cut: WeightCut): tfNs.Tensor | undefined;
  /** Whether tf.js fuses this activation into conv/matMul kernels (as its layers do). */
  fusable(activation: string): boolean;
  /** Applies a named activation the way tf.js layers do. */
  activate(t: tfNs.Tensor, activation: string): tfNs.Tensor;
  /** BatchNorm: moves the path's rows of the moving averages towards these batch statistics. */
  updateMoving(mean: tfNs.Tensor, variance: tfNs.Tensor, momentum: number): void;
}

/** A {@link LayerDef.sliced} result: the output and where its channels sit. */
export interface SlicedOutput {
  t: tfNs.Tensor;
  /**
   * `input`: channel c is the input's channel c (norms); `depthwise`: channel c·m + k comes
   * from input channel c; `own`: the layer's own output channels, from the first.
   */
  channels: 'input' | 'own' | { depthwise: number };
}
