/**
 * BatchNorm in training mode, written with plain ops (ReduceMean, Sub, Mul, Sqrt, Div, Add)
 * so the training step differentiates through it with the generic gradient rules. Matches
 * tf.js: batch mean and biased variance over every axis but channels, and moving averages
 * updated as moving − (moving − batch)·(1 − momentum). The nodes are registered as a gradient
 * region, so the training step's backward is the closed form rather than the pieces' rules.
 */
import type { OnnxBuilder } from './builder.js';
import { emitReduce } from './ops-spatial.js';
import type { OnnxValue } from './values.js';

/**
 * Op name of the virtual node standing for a training-mode BatchNorm in the autodiff: inputs
 * [x, γ, β (broadcastable), x − mean, σ = √(var + ε)], output y.
 */
export const BATCH_NORM_TRAINING_REGION = 'LoomBatchNormTraining';

/** Names of a BatchNorm's inputs and settings. */
export interface BatchNormTrainingArgs {
  gamma: string;
  beta: string;
  /** Moving-statistics state inputs; their updates are registered with ctx.updateState. */
  mean: string;
  variance: string;
  c: number;
  epsilon: number;
  momentum: number;
  name: string;
}

/** Normalises channels-first `v` with its batch statistics and updates the moving state. */
export function emitBatchNormTraining(ctx: OnnxBuilder, v: OnnxValue, a: BatchNormTrainingArgs): OnnxValue {
  const rank = v.shape.length;
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, k) => k + 2)];
  // Per-channel parameters broadcast as [C, 1, 1] over [N, C, H, W] ([C] for rank 2).
  const bshape = [a.c, ...new Array<number>(rank - 2).fill(1)];
  const asB = (t: string) => (rank > 2 ? ctx.node('Reshape', [t, ctx.int64s(`${a.name}_bshape`, bshape)])[0] : t);
  const gamma = asB(a.gamma);
  const beta = asB(a.beta);
  const first = ctx.irNodes.length;
  const mean = emitReduce(ctx, 'ReduceMean', v.name, axes, true);
  const [d] = ctx.node('Sub', [v.name, mean]);
  const [sq] = ctx.node('Mul', [d, d]);
  const variance = emitReduce(ctx, 'ReduceMean', sq, axes, true);
  const [plus] = ctx.node('Add', [variance, ctx.floats(`${a.name}_eps`, [a.epsilon], [])]);
  const [std] = ctx.node('Sqrt', [plus]);
  // γ/σ per channel first, so the full-size work is one Mul and one Add.
  const [scale] = ctx.node('Div', [gamma, std]);
  const [scaled] = ctx.node('Mul', [d, scale]);
  const [out] = ctx.node('Add', [scaled, beta]);
  // The training step differentiates these nodes with one closed-form rule (grads/norm.ts).
  ctx.gradRegions.push({
    node: { op: BATCH_NORM_TRAINING_REGION, inputs: [v.name, gamma, beta, d, std], outputs: [out], attrs: {}, domain: '' },
    members: ctx.irNodes.slice(first),
  });

  const flat = (t: string) => ctx.node('Reshape', [t, ctx.int64s(`${a.name}_c`, [a.c])])[0];
  const decay = ctx.floats(`${a.name}_decay`, [1 - a.momentum], []);
  const update = (moving: string, batch: string) => {
    const [diff] = ctx.node('Sub', [moving, flat(batch)]);
    const [delta] = ctx.node('Mul', [diff, decay]);
    return ctx.node('Sub', [moving, delta])[0];
  };
  ctx.updateState(a.mean, update(a.mean, mean));
  ctx.updateState(a.variance, update(a.variance, variance));
  return { ...v, name: out };
}
