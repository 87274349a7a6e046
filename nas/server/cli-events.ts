/**
 * Maps the lines `layerloom search --json` prints to the protocol's search events: trials,
 * per-choice probabilities, the done line, other progress, and plain log lines.
 */
import type { z } from 'zod';
import type { searchEventSchema } from '../../engine/server/protocol/search.js';

/** A search event as the protocol carries it. */
export type SearchEvent = z.input<typeof searchEventSchema>;

/** One stdout line of the search CLI as an event. */
export function eventFromLine(line: string): SearchEvent {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { event: 'log', line };
  }
  if (typeof o !== 'object' || o === null || typeof o.event !== 'string') return { event: 'log', line };
  const { event, ...rest } = o;
  switch (event) {
    case 'trial':
      return {
        event: 'trial',
        experimentId: String(rest.experimentId),
        bestTrialId: (rest.bestTrialId as number | null) ?? null,
        trial: {
          trialId: rest.trialId as number,
          seq: rest.seq as number,
          arch: String(rest.arch ?? ''),
          status: String(rest.status),
          objective: (rest.objective as number | null) ?? null,
          metrics: (rest.metrics as Record<string, number>) ?? {},
          parent: (rest.parent as number | null) ?? null,
          changed: (rest.changed as string | null) ?? null,
          costSeconds: Number(rest.costSeconds ?? 0),
          error: (rest.error as string | undefined) ?? null,
        },
      };
    case 'probabilities':
      return { event: 'probabilities', ...(rest as { choices: Record<string, Record<string, number>>; step?: number; epoch?: number }) };
    case 'done': {
      const best = rest.best as { arch: string; trialId: number } | null | undefined;
      return { event: 'done', status: String(rest.status), best: best ? { arch: best.arch, trialId: best.trialId } : null };
    }
    default:
      return { event: 'progress', kind: event, data: rest };
  }
}
