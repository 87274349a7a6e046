/**
 * The protocol of `layerloom search --json`: one JSON object per stdout line, each a
 * {@link SearchLine}. Defined once here, validated where written (cli/commands/search-*.ts,
 * through {@link encodeSearchLine}) and where read (nas/server/cli-events.ts, through
 * {@link decodeSearchLine}); README's table of events is checked against these schemas by
 * a test (nas/runner/search-events.test.ts). Schemas describe the line as it is on the wire:
 * JSON has no NaN, so numbers that can be NaN (a failed trial's metrics) may be null.
 */
import { z } from 'zod';

const num = z.number().nullable();
const metrics = z.record(z.string(), num);
const strategy = z.enum(['spos', 'enas', 'darts']);

/** A candidate was evaluated and stored. */
export const trialLineSchema = z.object({
  event: z.literal('trial'),
  experimentId: z.string(),
  /** Which of `--runs` this trial belongs to (0-based). */
  run: z.number().int(),
  trialId: z.number().int(),
  seq: z.number().int(),
  /** The candidate's key. */
  arch: z.string(),
  status: z.enum(['ok', 'failed', 'skipped']),
  error: z.string().optional(),
  objective: num,
  metrics,
  parent: z.number().int().nullable(),
  changed: z.string().nullable(),
  costSeconds: z.number(),
  simulatedSeconds: z.number(),
  bestTrialId: z.number().int().nullable(),
  /** The queue worker that ran it (searches with --queue). */
  worker: z.string().optional(),
});

/** A repeated architecture was answered from its stored result (train evaluator; no trial row, no budget). */
export const cacheHitLineSchema = z.object({
  event: z.literal('cache-hit'),
  experimentId: z.string(),
  trialId: z.number().int(),
  key: z.string(),
  arch: z.string(),
  /** The stored trial whose result was reused. */
  cachedFrom: z.number().int(),
  status: z.enum(['ok', 'failed', 'skipped']),
  objective: num,
});

/** A supernet epoch was checkpointed (weight sharing). */
export const supernetEpochLineSchema = z.object({
  event: z.literal('supernet-epoch'),
  experimentId: z.string(),
  strategy,
  epoch: z.number().int(),
  epochs: z.number().int(),
  metrics,
  /** What DARTS/ENAS would return now, else null. */
  derived: z.string().nullable(),
  seconds: z.number(),
});

/** Where one decision sits on the canvas (nas/supernet/targets.ts). */
const decisionTarget = z.object({
  node: z.string(),
  param: z.string().optional(),
  edge: z.string().optional(),
  source: z.string().optional(),
  cellEdge: z.string().optional(),
});

/** Per-decision probabilities of a weight-sharing search. */
export const probabilitiesLineSchema = z.object({
  event: z.literal('probabilities'),
  experimentId: z.string(),
  strategy,
  epoch: z.number().int(),
  /** Training steps so far. */
  step: z.number().int(),
  /** Decision -> option -> probability. */
  choices: z.record(z.string(), z.record(z.string(), z.number())),
  targets: z.record(z.string(), z.array(decisionTarget)),
});

/** The search ended. */
export const doneLineSchema = z.object({
  event: z.literal('done'),
  status: z.enum(['completed', 'cancelled']),
  best: z
    .object({
      arch: z.string(),
      trialId: z.number().int(),
      experimentId: z.string(),
      metrics,
      graph: z.string().optional(),
      weights: z.string().optional(),
      nb201: metrics.optional(),
    })
    .nullable(),
  pareto: z.array(z.object({ trialId: z.number().int(), arch: z.string(), metrics })).optional(),
  exported: z.array(z.object({ rank: z.number().int(), trialId: z.number().int(), arch: z.string(), file: z.string() })).optional(),
  summary: z.object({ field: z.string(), mean: num, std: num, runs: z.number().int() }),
  experiments: z.array(
    z.object({
      id: z.string(),
      seed: z.number(),
      status: z.string(),
      trials: z.number().int(),
      simulatedSeconds: z.number(),
      cacheHits: z.number().int().optional(),
    }),
  ),
});

/** Every line `search --json` prints. */
export const searchLineSchema = z.discriminatedUnion('event', [
  trialLineSchema,
  cacheHitLineSchema,
  supernetEpochLineSchema,
  probabilitiesLineSchema,
  doneLineSchema,
]);

/** One line of `search --json`, as written (before JSON turns NaN into null). */
export type SearchLine = z.input<typeof searchLineSchema>;
/** The events of the protocol, by name. */
export const SEARCH_LINE_EVENTS = ['trial', 'cache-hit', 'supernet-epoch', 'probabilities', 'done'] as const;

/**
 * The text of one line (no newline), checked against the schema as it will be read: a line
 * that does not match is a bug in the writer and throws, naming the event and the field.
 */
export function encodeSearchLine(line: SearchLine | Record<string, unknown>): string {
  const text = JSON.stringify(line);
  const r = searchLineSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`search --json: bad "${String((line as { event?: unknown }).event)}" line: ${describeIssue(r.error)}`);
  return text;
}

/** What a stdout line of the search CLI is: a protocol line, a line of another shape, or plain text. */
export type DecodedLine =
  | { kind: 'event'; line: z.output<typeof searchLineSchema> }
  | { kind: 'invalid'; event: string; error: string }
  /** A JSON object with an `event` this protocol does not define (passed on as progress). */
  | { kind: 'other'; event: string; data: Record<string, unknown> }
  | { kind: 'text' };

/** Parses and validates one stdout line of the search CLI. */
export function decodeSearchLine(text: string): DecodedLine {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return { kind: 'text' };
  }
  if (typeof o !== 'object' || o === null || typeof (o as { event?: unknown }).event !== 'string') return { kind: 'text' };
  const { event, ...data } = o as { event: string } & Record<string, unknown>;
  if (!(SEARCH_LINE_EVENTS as readonly string[]).includes(event)) return { kind: 'other', event, data };
  const r = searchLineSchema.safeParse(o);
  if (r.success) return { kind: 'event', line: r.data };
  return { kind: 'invalid', event, error: describeIssue(r.error) };
}

function describeIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}` : e.message;
}
