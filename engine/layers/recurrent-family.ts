/**
 * The recurrent family (SimpleRNN, LSTM, GRU): one factory for what the kinds share — the
 * [batch, time, features] shape rule, the cost by gate count, the tf.js arguments every
 * recurrent layer takes, the ONNX emission and the export tolerance — so each kind file
 * states only what is its own (gates, extra params, the tf.js constructor and its extras).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { z } from 'zod';
import { rnnCost, rnnFields, rnnInfer, tfRegularizer } from './common.js';
import type { LayerBase } from './common.js';
import { emitRecurrent } from '../onnx/ops-recurrent.js';
import type { LayerDef, Tf } from './types.js';

type RnnFieldsSchema = z.ZodObject<typeof rnnFields>;
/** Params every recurrent kind has (units, activation, bias, sequences, dropout, regularizers). */
export type RnnParams = z.output<RnnFieldsSchema>;

/** The tf.js arguments every recurrent layer gets from its params. */
export interface RnnTfjsArgs {
  name: string;
  units: number;
  activation: RnnParams['activation'];
  useBias: boolean;
  returnSequences: boolean;
  goBackwards: boolean;
  dropout: number;
  recurrentDropout: number;
  kernelRegularizer: ReturnType<typeof tfRegularizer>;
}

/** What a recurrent kind states itself. */
export interface RecurrentSpec<P extends RnnParams> {
  kind: 'SimpleRNN' | 'LSTM' | 'GRU';
  doc: string;
  /** Weight blocks per step (1 SimpleRNN, 3 GRU, 4 LSTM), for the cost. */
  gates: number;
  params: z.ZodType<P>;
  /** Builds the tf.js layer from the shared arguments plus the kind's own. */
  build(tf: Tf, p: P, shared: RnnTfjsArgs): tfNs.layers.Layer;
  examples: LayerDef<P>['examples'];
}

/** A recurrent layer kind over [batch, time, features]. */
export function recurrentKind<P extends RnnParams>(spec: RecurrentSpec<P>): LayerBase<P> {
  const { kind } = spec;
  return {
    kind,
    category: 'recurrent',
    label: kind,
    doc: spec.doc,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    params: spec.params,
    inferShape: (p, inputs) => rnnInfer(kind, p, inputs),
    cost: (p, inputs) => rnnCost(spec.gates, p, inputs),
    toTfjs: (tf, p, name) =>
      spec.build(tf, p, {
        name,
        units: p.units,
        activation: p.activation,
        useBias: p.useBias,
        returnSequences: p.returnSequences,
        goBackwards: p.goBackwards,
        dropout: p.dropout,
        recurrentDropout: p.recurrentDropout,
        kernelRegularizer: tfRegularizer(tf, p),
      }),
    // Dropout and recurrentDropout are training-only, so inference export ignores them.
    toOnnx: (ctx, p, [x], weights, name) => [emitRecurrent(ctx, kind, p, x, weights, name)],
    // Float error accumulates over the time steps.
    exportTolerance: 1e-3,
    examples: spec.examples,
  };
}
