/**
 * Gradients of activations. Where the derivative is a function of the output (Sigmoid,
 * Tanh, Softmax, Elu on its negative side) the rules reuse the forward output instead of
 * recomputing from the input.
 */
import { attr } from '../../../onnx/values.js';
import { attrFloat, attrInt } from '../shapes.js';
import type { GradRegistry } from '../types.js';
import { add, mul, op, reduceSum, scalar, sub, normAxis } from './util.js';

const FLOAT = { to: attr.i(1) };

/** Activation gradient rules. */
export const activationRules: GradRegistry = {
  Relu: (g, n, [dy]) => {
    const mask = op(g, 'Cast', [op(g, 'Greater', [n.outputs[0], scalar(g, 0)])], FLOAT);
    return [mul(g, dy!, mask)];
  },
  LeakyRelu: (g, n, [dy]) => {
    const alpha = attrFloat(n, 'alpha', 0.01);
    const pos = op(g, 'Greater', [n.inputs[0], scalar(g, 0)]);
    return [op(g, 'Where', [pos, dy!, mul(g, dy!, scalar(g, alpha))])];
  },
  Elu: (g, n, [dy]) => {
    // x ≤ 0: y = α(eˣ − 1), so dy/dx = αeˣ = y + α.
    const alpha = attrFloat(n, 'alpha', 1);
    const pos = op(g, 'Greater', [n.inputs[0], scalar(g, 0)]);
    return [op(g, 'Where', [pos, dy!, mul(g, dy!, add(g, n.outputs[0], scalar(g, alpha)))])];
  },
  Selu: (g, n, [dy]) => {
    // x ≤ 0: y = γα(eˣ − 1), so dy/dx = y + γα.
    const alpha = attrFloat(n, 'alpha', 1.67326319217681884765625);
    const gamma = attrFloat(n, 'gamma', 1.05070102214813232421875);
    const pos = op(g, 'Greater', [n.inputs[0], scalar(g, 0)]);
    const neg = mul(g, dy!, add(g, n.outputs[0], scalar(g, alpha * gamma)));
    return [op(g, 'Where', [pos, mul(g, dy!, scalar(g, gamma)), neg])];
  },
  Sigmoid: (g, n, [dy]) => {
    const y = n.outputs[0];
    return [mul(g, dy!, mul(g, y, sub(g, scalar(g, 1), y)))];
  },
  Tanh: (g, n, [dy]) => {
    const y = n.outputs[0];
    return [mul(g, dy!, sub(g, scalar(g, 1), mul(g, y, y)))];
  },
  Softmax: (g, n, [dy]) => {
    // Opset ≥ 13 Softmax normalises along one axis: dx = y·(dy − Σ_axis dy·y).
    if (g.b.opset < 13) throw new Error(`Softmax "${n.outputs[0]}": gradients need opset ≥ 13 semantics`);
    const y = n.outputs[0];
    const axis = normAxis(attrInt(n, 'axis', -1), g.shape(y).length);
    const dot = reduceSum(g, mul(g, dy!, y), [axis], true);
    return [mul(g, y, sub(g, dy!, dot))];
  },
  LogSoftmax: (g, n, [dy]) => {
    // dx = dy − softmax·Σ_axis dy, with softmax = exp(y).
    const y = n.outputs[0];
    const axis = normAxis(attrInt(n, 'axis', -1), g.shape(y).length);
    const total = reduceSum(g, dy!, [axis], true);
    return [sub(g, dy!, mul(g, op(g, 'Exp', [y]), total))];
  },
  Erf: (g, n, [dy]) => {
    // d erf(x)/dx = 2/√π · exp(−x²).
    const x = n.inputs[0];
    const e = op(g, 'Exp', [op(g, 'Neg', [mul(g, x, x)])]);
    return [mul(g, dy!, mul(g, e, scalar(g, 2 / Math.sqrt(Math.PI))))];
  },
};
