/**
 * Contracts of the onnxruntime training-step compiler: a training step (forward, loss,
 * backward, optimizer update) is one ONNX graph. The backward pass is reverse-mode
 * differentiation over the forward IR the layers emit; each ONNX op's gradient emission is
 * written once, as a `GradRule`.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import type { IrConstant, IrNode } from '../../onnx/values.js';
import type { Shape } from '../../layers/types.js';

/** What a gradient rule may ask about the forward graph. */
export interface GradContext {
  /** The builder to emit backward nodes into (same graph as the forward pass). */
  b: OnnxBuilder;
  /**
   * Static shape of a forward value, batch first; `null` for dimensions only known at run
   * time (the batch, a variable time axis). Use a `Shape` node when a null matters.
   */
  shape(name: string): Shape;
  /** The value of a constant initializer, or undefined when `name` is not one. */
  constant(name: string): IrConstant | undefined;
  /**
   * The execution provider the step is compiled for. Rules pick formulations the provider
   * has kernels for (WebGPU's MaxPool has no Indices output).
   */
  provider: StepProvider;
}

/** Where a compiled step runs. */
export type StepProvider = 'cpu' | 'webgpu';

/**
 * Gradient emission for one forward node. Receives d(loss)/d(output_k) for each output
 * (undefined when that output does not reach the loss) and returns d(loss)/d(input_j) for
 * each input (undefined for inputs that take no gradient: shapes, indices, constants).
 * Rules may append outputs to the forward `node` (e.g. MaxPool's Indices) since nodes stay
 * plain data until serialisation.
 */
export type GradRule = (g: GradContext, node: IrNode, dOut: (string | undefined)[]) => (string | undefined)[];

/** Rules by ONNX op type. */
export type GradRegistry = Record<string, GradRule>;
