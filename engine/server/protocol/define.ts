/**
 * How a protocol method is declared: a name with zod schemas for its params, its result and
 * (for streaming calls) its events. Feature files declare their methods with `method()` and
 * index.ts gathers them into one table, so each method is defined once and both ends
 * validate against the same schemas.
 */
import { z } from 'zod';

/** One method's schemas. `event` is present when the call streams events before answering. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  event?: E;
  /** One line for the docs and for error messages. */
  doc: string;
}

/** Declares a method; a helper only so inference keeps the exact schema types (and `event` when given). */
export function method<S extends MethodSpec>(spec: S): S {
  return spec;
}

/** An empty params object (methods without arguments). */
export const noParams = z.object({}).strict().optional().default({});
