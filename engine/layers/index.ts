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

/** All registered layer kinds, by kind name. */
export const layers: LayerRegistry = Object.fromEntries(
  [Input, Output, Dense, Conv2D].map((d) => [d.kind, d]),
);

/** Looks up a layer kind; undefined when unknown. */
export function getLayer(kind: string): LayerDef<any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.prototype.hasOwnProperty.call(layers, kind) ? layers[kind] : undefined;
}

export type { LayerDef, Shape, Cost, PortSpec } from './types.js';
