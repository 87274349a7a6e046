/**
 * Gradients of elementwise Max and Min of two inputs (the supernet's channel masks: a channel
 * exists if any addend has it, or all factors). Ties go to the first input, as tf.js's
 * `maximum`/`minimum` gradients do (dA = dY·[a ≥ b], dB = dY·[a < b]; `≤`/`>` for Min).
 */
import type { IrNode } from '../../../onnx/values.js';
import type { GradContext, GradRegistry } from '../types.js';
import { mul, op, unbroadcast } from './util.js';

/** Float 0/1 of a comparison (ONNX TensorProto FLOAT = 1). */
function indicator(g: GradContext, cmp: string, a: string, b: string): string {
  return op(g, 'Cast', [op(g, cmp, [a, b])], { to: { i: 1 } });
}

function extremum(first: 'GreaterOrEqual' | 'LessOrEqual', second: 'Less' | 'Greater') {
  return (g: GradContext, n: IrNode, [dy]: (string | undefined)[]) => {
    if (n.inputs.length !== 2) throw new Error(`${n.op} "${n.outputs[0]}": only two inputs are differentiable`);
    const [a, b] = n.inputs;
    const out = g.shape(n.outputs[0]);
    return [unbroadcast(g, mul(g, dy!, indicator(g, first, a, b)), out, a), unbroadcast(g, mul(g, dy!, indicator(g, second, a, b)), out, b)];
  };
}

/** Max and Min of two inputs. */
export const minMaxRules: GradRegistry = {
  Max: extremum('GreaterOrEqual', 'Less'),
  Min: extremum('LessOrEqual', 'Greater'),
};
