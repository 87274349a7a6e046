/**
 * The layer registry: every kind the engine knows. Adding a kind = writing its file and one
 * line here; the conformance test (engine/layers/conformance.test.ts) picks it up.
 * Pure: importing this pulls in zod only, never tf.js.
 */
import type { LayerDef, LayerRegistry } from './types.js';
import { Input } from './input.js';
import { Output } from './output.js';
import { Dense } from './dense.js';
import { Conv2D } from './conv2d.js';
import { Conv1D } from './conv1d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { MaxPool1D } from './max-pool1d.js';
import { MaxPool2D } from './max-pool2d.js';
import { AvgPool1D } from './avg-pool1d.js';
import { AvgPool2D } from './avg-pool2d.js';
import { GlobalAvgPool } from './global-avg-pool.js';
import { GlobalMaxPool } from './global-max-pool.js';
import { Flatten } from './flatten.js';
import { Reshape } from './reshape.js';
import { Dropout } from './dropout.js';
import { BatchNorm } from './batch-norm.js';
import { LayerNorm } from './layer-norm.js';
import { Activation } from './activation.js';
import { Add } from './add.js';
import { Concatenate } from './concatenate.js';
import { Multiply } from './multiply.js';
import { Embedding } from './embedding.js';
import { SimpleRNN } from './simple-rnn.js';
import { LSTM } from './lstm.js';
import { GRU } from './gru.js';
import { UpSampling2D } from './up-sampling2d.js';
import { ZeroPadding2D } from './zero-padding2d.js';

/** All registered layer kinds, by kind name. */
export const layers: LayerRegistry = Object.fromEntries(
  [
    Input,
    Output,
    Dense,
    Conv2D,
    Conv1D,
    Conv2DTranspose,
    DepthwiseConv2D,
    SeparableConv2D,
    MaxPool1D,
    MaxPool2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAvgPool,
    GlobalMaxPool,
    Flatten,
    Reshape,
    Dropout,
    BatchNorm,
    LayerNorm,
    Activation,
    Add,
    Concatenate,
    Multiply,
    Embedding,
    SimpleRNN,
    LSTM,
    GRU,
    UpSampling2D,
    ZeroPadding2D,
  ].map((d) => [d.kind, d]),
);

/** Looks up a layer kind; undefined when unknown. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getLayer(kind: string): LayerDef<any> | undefined {
  return Object.prototype.hasOwnProperty.call(layers, kind) ? layers[kind] : undefined;
}

export type { LayerDef, Shape, Cost, PortSpec } from './types.js';
