/**
 * Gradient clipping of the ONNX training step, matching engine/train/clip.ts: by value
 * (element-wise clamp), then by global norm (all gradients scaled by
 * maxNorm / max(‖g‖, maxNorm)), in that order, as Keras and the tf.js loop do.
 */
import type { OnnxBuilder } from '../../onnx/builder.js';
import { op, scalar, sumAll } from './emit.js';

/** Clamps every element of every gradient into [−maxValue, maxValue]. */
export function emitClipByValue(b: OnnxBuilder, grads: string[], maxValue: number): string[] {
  const lo = scalar(b, -maxValue);
  const hi = scalar(b, maxValue);
  return grads.map((g) => op(b, 'Clip', [g, lo, hi]));
}

/** √(Σ‖g‖²) over all gradients, as a float scalar (0 for none). */
export function emitGlobalNorm(b: OnnxBuilder, grads: string[]): string {
  if (grads.length === 0) return scalar(b, 0);
  const parts = grads.map((g) => sumAll(b, op(b, 'Mul', [g, g])));
  return op(b, 'Sqrt', [parts.length === 1 ? parts[0] : op(b, 'Sum', parts)]);
}

/**
 * Scales all gradients by maxNorm / max(norm, maxNorm): unchanged when the global norm is
 * within maxNorm, else rescaled to exactly maxNorm with the direction kept. The scale is a
 * graph value, so no host round trip is needed.
 */
export function emitClipByGlobalNorm(b: OnnxBuilder, grads: string[], maxNorm: number): { grads: string[]; norm: string } {
  const norm = emitGlobalNorm(b, grads);
  const max = scalar(b, maxNorm);
  const scale = op(b, 'Div', [max, op(b, 'Max', [norm, max])]);
  return { grads: grads.map((g) => op(b, 'Mul', [g, scale])), norm };
}

/** Applies the configured clipping (value first, then global norm); the input list when neither is set. */
export function emitClipping(b: OnnxBuilder, grads: string[], opts: { clipNorm?: number; clipValue?: number }): string[] {
  let g = grads;
  if (opts.clipValue !== undefined) g = emitClipByValue(b, g, opts.clipValue);
  if (opts.clipNorm !== undefined && g.length > 0) g = emitClipByGlobalNorm(b, g, opts.clipNorm).grads;
  return g;
}
