/**
 * Maps the lines `layerloom search --json` prints (nas/runner/search-events.ts, validated
 * there) to the protocol's search events: trials, per-choice probabilities, the done line,
 * other progress, and plain log lines. A line that claims a protocol event but does not
 * match its schema becomes a log line saying what is wrong, so a bad line never breaks a
 * watched search.
 */
import type { z } from 'zod';
import type { searchEventSchema } from '../../engine/server/protocol/search.js';
import { decodeSearchLine } from '../runner/search-events.js';

/** A search event as the protocol carries it. */
export type SearchEvent = z.input<typeof searchEventSchema>;

/** One stdout line of the search CLI as an event. */
export function eventFromLine(line: string): SearchEvent {
  const d = decodeSearchLine(line);
  if (d.kind === 'text') return { event: 'log', line };
  if (d.kind === 'invalid') return { event: 'log', line: `unreadable "${d.event}" line from the search (${d.error}): ${line}` };
  if (d.kind === 'other') return { event: 'progress', kind: d.event, data: d.data };
  const e = d.line;
  switch (e.event) {
    case 'trial':
      return {
        event: 'trial',
        experimentId: e.experimentId,
        bestTrialId: e.bestTrialId,
        trial: {
          trialId: e.trialId,
          seq: e.seq,
          arch: e.arch,
          status: e.status,
          objective: e.objective,
          metrics: reported(e.metrics),
          parent: e.parent,
          changed: e.changed,
          costSeconds: e.costSeconds,
          error: e.error ?? null,
        },
      };
    case 'probabilities':
      return { event: 'probabilities', choices: e.choices, step: e.step, epoch: e.epoch };
    case 'done':
      return { event: 'done', status: e.status, best: e.best ? { arch: e.best.arch, trialId: e.best.trialId } : null };
    case 'supernet-epoch':
    case 'cache-hit': {
      const { event, ...data } = e;
      return { event: 'progress', kind: event, data };
    }
  }
}

/** The metrics that have a value (JSON writes a NaN metric as null: it was not measured). */
function reported(m: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((kv): kv is [string, number] => kv[1] !== null));
}
