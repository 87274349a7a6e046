/**
 * Tensor shape and dense weight types shared by the layer registry and the ONNX builder (a
 * leaf module, so neither imports the other for them).
 */

/** A tensor shape including the batch dimension first; `null` = unknown (batch, time). */
export type Shape = (number | null)[];

/** A weight tensor taken from a built tf.js layer. */
export interface WeightTensor {
  data: Float32Array;
  shape: number[];
}
