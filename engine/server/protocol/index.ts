/**
 * The whole protocol: every method of every feature in one table. The server dispatches by
 * it and the renderer's client types its calls with it; both validate with its schemas.
 */
import type { z } from 'zod';
import { coreMethods } from './core.js';
import { datasetsMethods } from './datasets.js';
import type { MethodSpec } from './define.js';
import { runsMethods } from './runs.js';
import { trainMethods } from './train.js';
import { searchMethods } from './search.js';

export * from './envelope.js';
export type { MethodSpec } from './define.js';

/** Every method, by name. */
export const methods = {
  ...coreMethods,
  ...trainMethods,
  ...runsMethods,
  ...datasetsMethods,
  ...searchMethods,
} satisfies Record<string, MethodSpec>;

/** A method's name. */
export type MethodName = keyof typeof methods;
/** What a caller passes (before defaults). */
export type ParamsIn<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives (after defaults). */
export type Params<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
/** What a call resolves to. */
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
/** What a streaming call emits (never for plain calls). */
export type EventOf<M extends MethodName> = (typeof methods)[M] extends { event: z.ZodType } ? z.output<NonNullable<(typeof methods)[M]['event']>> : never;

/** True when `name` is a method of the protocol. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
