/**
 * Layout helpers for merge and normalisation kinds: mapping a tf.js axis to the physical
 * ONNX axis of a value, and elementwise merges that agree on one layout. Pure (no protobuf
 * import), so layer files stay importable by the renderer.
 */
import type { OnnxBuilder } from './builder.js';
import type { Layout, OnnxValue } from './values.js';

/**
 * The physical ONNX axis holding tf.js axis `axis` (already resolved, 0 = batch) of `v`.
 * Channels-first moves the last tf.js axis to 1 and shifts the spatial axes right by one.
 */
export function physicalAxis(v: OnnxValue, axis: number): number {
  const rank = v.shape.length;
  if (v.layout === 'last' || rank < 3 || axis === 0) return axis;
  return axis === rank - 1 ? 1 : axis + 1;
}

/**
 * One layout for all inputs of a merge: channels-first when any rank ≥3 input already is
 * (a conv branch stays channels-first, and only the other branches get a Transpose), else
 * channels-last.
 */
export function commonLayout(inputs: OnnxValue[]): Layout {
  return inputs.some((v) => v.layout === 'first' && v.shape.length >= 3) ? 'first' : 'last';
}

/**
 * Folds `inputs` with a binary elementwise op (Add, Mul) after bringing them to one layout;
 * mixing layouts would silently broadcast or fail on mismatched physical shapes.
 */
export function emitElementwise(ctx: OnnxBuilder, op: string, inputs: OnnxValue[], shape: OnnxValue['shape']): OnnxValue {
  const layout = commonLayout(inputs);
  const vs = inputs.map((v) => ctx.asLayout(v, layout));
  let acc = vs[0].name;
  for (const v of vs.slice(1)) acc = ctx.node(op, [acc, v.name])[0];
  return { name: acc, shape, layout: vs[0].layout };
}
