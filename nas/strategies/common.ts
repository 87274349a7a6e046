/**
 * Pieces every strategy shares: objective checks, the schema pieces of saved states, and
 * restoring a saved state with errors that say which strategy and field were wrong.
 */
import { z } from 'zod';
import type { Rng } from '../../engine/util/rng.js';
import type { SearchSpace, Sample } from '../space/types.js';

/** JSON shape of a sample (decision name -> option). */
export const sampleSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Fields every saved strategy state has. */
export const baseStateShape = {
  version: z.literal(1),
  space: z.string(),
  rng: z.number().int().nonnegative(),
  nextId: z.number().int().nonnegative(),
};

/**
 * Parses a saved state, and checks it was saved by this strategy on this space: resuming an
 * evolution run from a REINFORCE state, or an nb201 run from a toy state, is a caller bug that
 * would otherwise surface much later as a confusing sample error.
 */
export function parseState<T extends z.ZodType<{ strategy: string; space: string }>>(
  schema: T,
  state: unknown,
  strategy: string,
  space: SearchSpace,
): z.infer<T> {
  const kind = (state as { strategy?: unknown } | null)?.strategy;
  if (kind !== strategy) throw new Error(`${strategy}.restore: state is for strategy '${String(kind)}'`);
  const r = schema.safeParse(state);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${strategy}.restore: bad state at '${issue.path.join('.')}': ${issue.message}`);
  }
  if (r.data.space !== space.name) {
    throw new Error(`${strategy}.restore: state is for space '${r.data.space}', this strategy searches '${space.name}'`);
  }
  return r.data;
}

/** Checks a restored sample against the space (throws if it is not a point of it). */
export function checkSample(space: SearchSpace, s: Sample): Sample {
  space.key(s);
  return { ...s };
}

/**
 * Validates a told objective. Null means the trial failed; NaN or infinities are treated as
 * bugs in the evaluator rather than failures, because silently learning from them would
 * corrupt REINFORCE's baseline or an evolution population.
 */
export function checkObjective(strategy: string, id: number, objective: number | null): void {
  if (objective !== null && !Number.isFinite(objective)) {
    throw new Error(`${strategy}.tell(${id}): objective must be a finite number or null, got ${objective}`);
  }
}

/** Removes and returns the pending entry for `id`; throws for unknown or already-told ids. */
export function takePending<T>(strategy: string, pending: Map<number, T>, id: number): T {
  const entry = pending.get(id);
  if (entry === undefined) throw new Error(`${strategy}.tell(${id}): no pending proposal with this id`);
  pending.delete(id);
  return entry;
}

/** Validates the `n` of `ask(n)`. */
export function checkAskCount(strategy: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${strategy}.ask: n must be a non-negative integer, got ${n}`);
}

/** Inverse-CDF draw of an option index from a categorical distribution. */
export function drawCategorical(rng: Rng, p: readonly number[]): number {
  const u = rng.next();
  let acc = 0;
  for (let k = 0; k < p.length - 1; k++) {
    acc += p[k];
    if (u < acc) return k;
  }
  return p.length - 1;
}
