/**
 * Explanations for the designer's inspector: what a param means, and why a node's output
 * shape is what it is ("26 = (28 − 3)/1 + 1, valid padding"). Each kind's file holds its own
 * `paramDocs` and `explainShape`; the helpers here word the rules several kinds share. Pure.
 */
import { fmtShape, pair } from './common.js';
import type { LayerDef, Shape } from './types.js';

/** Descriptions of params that mean the same in every kind that has them. */
export const sharedParamDocs: Record<string, string> = {
  filters: 'Number of output channels: one learned filter per channel.',
  kernelSize: 'Size of the sliding window (one number, or [height, width]).',
  strides: 'Step between window positions; 2 halves the size.',
  padding: "'valid': no padding, the window stays inside (size shrinks); 'same': zero-padded so size = ⌈input / stride⌉.",
  dilation: 'Spacing between kernel taps; widens the receptive field without more weights.',
  activation: 'Function applied to the output (linear = none).',
  useBias: 'Add a learned bias per output unit or channel.',
  l1: 'L1 penalty on the kernel weights (added to the loss; 0 = off).',
  l2: 'L2 penalty (weight decay) on the kernel weights (0 = off).',
  poolSize: 'Size of the pooling window (one number, or [height, width]).',
  units: 'Number of output features.',
  returnSequences: 'Output every time step [batch, time, units] instead of only the last [batch, units].',
  goBackwards: 'Read the sequence from its end to its start.',
  dropout: 'Fraction of each step’s inputs dropped while training.',
  recurrentDropout: 'Fraction of the recurrent state dropped while training.',
  recurrentActivation: 'Function of the gates (usually sigmoid).',
  depthMultiplier: 'Output channels per input channel of the depthwise step.',
  epsilon: 'Small constant added to the variance so the division never blows up.',
  center: 'Learn a shift (beta) after normalizing.',
  scale: 'Learn a scale (gamma) after normalizing.',
  axis: 'The axis it works along (negative counts from the end; -1 = channels / features).',
};

/** What a param of `def` does: its kind's own description, else the shared one. */
export function paramDoc(def: Pick<LayerDef, 'paramDocs'>, name: string): string | undefined {
  return def.paramDocs[name] ?? sharedParamDocs[name];
}

const dim = (d: number | null) => (d === null ? '?' : String(d));

/** One axis of a conv / pool window: `26 = (28 − 3)/1 + 1` (valid) or `14 = ⌈28 / 2⌉` (same). */
export function windowAxis(size: number | null, kernel: number, stride: number, padding: 'valid' | 'same', out: number | null, dilation = 1): string {
  if (size === null) return `${dim(out)} (input size unknown)`;
  if (padding === 'same') return stride === 1 ? `${out} = ${size}` : `${out} = ⌈${size} / ${stride}⌉`;
  const eff = dilation > 1 ? `${(kernel - 1) * dilation + 1}` : `${kernel}`;
  const frac = stride === 1 ? `(${size} − ${eff})` : `⌊(${size} − ${eff}) / ${stride}⌋`;
  return `${out} = ${frac}${stride === 1 ? '/1' : ''} + 1`;
}

/** Both axes of a 2-D window, merged when they read the same, with the padding named. */
export function window2dText(
  input: Shape,
  out: Shape,
  kernel: number | number[],
  strides: number | number[],
  padding: 'valid' | 'same',
  dilation: number | number[] = 1,
  what = 'kernel',
): string {
  const [kh, kw] = pair(kernel as number | [number, number]);
  const [sh, sw] = pair(strides as number | [number, number]);
  const [dh, dw] = pair(dilation as number | [number, number]);
  const h = windowAxis(input[1], kh, sh, padding, out[1], dh);
  const w = windowAxis(input[2], kw, sw, padding, out[2], dw);
  const dil = dh > 1 || dw > 1 ? `, dilation ${dh === dw ? dh : `${dh}×${dw}`} (effective ${what} ${(kh - 1) * dh + 1}×${(kw - 1) * dw + 1})` : '';
  const axes = h === w ? `height and width: ${h}` : `height ${h}; width ${w}`;
  return `${axes} (${what} ${kh}×${kw}, stride ${sh === sw ? sh : `${sh}×${sw}`}, ${padding} padding${dil})`;
}

/** "same shape as its input" wording for shape-preserving kinds. */
export function sameAsInput(input: Shape, why: string): string {
  return `${fmtShape(input)}, the shape of its input: ${why}`;
}

/** `5·5·64 = 1600`: the product of the non-batch axes of a shape. */
export function productText(shape: Shape): string {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null)) return `${dims.map(dim).join('·')} (unknown)`;
  const n = (dims as number[]).reduce((a, b) => a * b, 1);
  return dims.length > 1 ? `${dims.join('·')} = ${n}` : String(n);
}
