/**
 * Architecture search from the designer: the live summary of a drawn space, launching,
 * watching, stopping and resuming experiments, reading past ones from SQLite, and turning a
 * trial back into a concrete graph (with what differs from the design) or an ONNX file.
 */
import { z } from 'zod';
import { method, noParams } from './define.js';
import { clientTargetSchema } from './runs.js';

const decisionValue = z.union([z.string(), z.number(), z.boolean()]);
/** A point of a space: decision name -> chosen option. */
export const sampleSchema = z.record(z.string(), decisionValue);

/** A candidate at an extreme of the space. */
const extremeSchema = z.object({ sample: sampleSchema, params: z.number(), flops: z.number() });

/** One decision of a drawn space and the part of the drawing it belongs to. */
export const decisionInfoSchema = z.object({
  name: z.string(),
  options: z.array(decisionValue),
  /** `param`: a searchable param of `node`; `edge`: an optional edge; `choice`/`repeat`/`cell`: a container node. */
  kind: z.enum(['param', 'edge', 'choice', 'repeat', 'cell']),
  node: z.string().optional(),
  edge: z.string().optional(),
  param: z.string().optional(),
});

export const spaceSummarySchema = z.object({
  /** False for a concrete graph (no searchable part). */
  searchable: z.boolean(),
  /** Number of candidates. */
  size: z.number(),
  decisions: z.array(decisionInfoSchema),
  extremes: z
    .object({ minParams: extremeSchema, maxParams: extremeSchema, minFlops: extremeSchema, maxFlops: extremeSchema, exhaustive: z.boolean() })
    .nullable(),
  /** The pre-launch shape check: how many candidates were checked, and the failing ones. */
  check: z.object({
    checked: z.number(),
    failures: z.array(z.object({ sample: sampleSchema, message: z.string(), decisions: z.array(z.string()) })),
  }),
  /** Set when the space itself is malformed (the check could not run). */
  error: z.object({ message: z.string(), where: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
});

export const strategyNameSchema = z.enum(['random', 'evolution', 'reinforce', 'local', 'bayesopt', 'asha', 'spos', 'enas', 'darts']);

/** A trial queue's Redis URL. */
export const queueUrlSchema = z
  .string()
  .max(2048)
  .regex(/^rediss?:\/\/[^\s]+$/, 'redis://HOST:PORT or rediss://HOST:PORT (TLS)');

/** What the search panel launches. */
export const searchSettingsSchema = z.object({
  strategy: strategyNameSchema,
  /** `train` (each trial trained), `supernet` (weight sharing) or `tabular:PATH`. */
  evaluator: z.string().regex(/^(train|supernet|tabular:.+)$/, 'train, supernet or tabular:PATH'),
  data: z.string().optional(),
  epochs: z.number().int().min(1).max(1000).optional(),
  limit: z.number().int().min(1).optional(),
  batch: z.number().int().min(1).optional(),
  backend: z.enum(['auto', 'onnxruntime', 'webgpu', 'wasm', 'cpu', 'tensorflow']).optional(),
  budgetTrials: z.number().int().min(1).max(100_000).optional(),
  budgetSeconds: z.number().positive().optional(),
  workers: z.number().int().min(1).max(64).optional(),
  seed: z.number().int().min(0).optional(),
  /** e.g. ['valAccuracy', 'params:min']; the first is optimised. */
  objectives: z.array(z.string().min(1)).optional(),
  /** e.g. ['params<=100000']. */
  constraints: z.array(z.string().min(1)).optional(),
  supernetEpochs: z.number().int().min(1).max(1000).optional(),
  /**
   * Run trials on `layerloom worker` processes behind this Redis queue
   * (`redis://[:PASSWORD@]HOST:PORT[/DB]`, `rediss://` for TLS) instead of on this machine.
   */
  queue: queueUrlSchema.optional(),
});

/** A finished trial as the UI lists it. */
export const trialInfoSchema = z.object({
  trialId: z.number(),
  seq: z.number(),
  arch: z.string(),
  sample: sampleSchema.optional(),
  status: z.string(),
  objective: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
  parent: z.number().nullable(),
  changed: z.string().nullable(),
  costSeconds: z.number(),
  wallMs: z.number().optional(),
  error: z.string().nullable().optional(),
});

/** Events of a watched experiment (the CLI's --json lines, validated). */
export const searchEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('trial'), experimentId: z.string(), trial: trialInfoSchema, bestTrialId: z.number().nullable() }),
  /** Per-choice probabilities of DARTS (α softmax) / ENAS (controller policy), over time. */
  z.object({
    event: z.literal('probabilities'),
    step: z.number().optional(),
    epoch: z.number().optional(),
    choices: z.record(z.string(), z.record(z.string(), z.number())),
  }),
  /** Any other progress line of the search (e.g. supernet epochs), passed on as data. */
  z.object({ event: z.literal('progress'), kind: z.string(), data: z.record(z.string(), z.unknown()) }),
  z.object({ event: z.literal('log'), line: z.string() }),
  z.object({
    event: z.literal('done'),
    status: z.string(),
    best: z.object({ arch: z.string(), trialId: z.number() }).nullable().optional(),
    error: z.string().optional(),
  }),
]);

/** An experiment in the list. */
export const experimentInfoSchema = z.object({
  id: z.string(),
  status: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trialsDone: z.number(),
  bestTrial: z.number().nullable(),
  strategy: z.string(),
  evaluator: z.string(),
  project: z.string().nullable(),
  /** True while this engine runs it. */
  live: z.boolean(),
  error: z.string().nullable(),
});

export const searchMethods = {
  'space.summary': method({
    doc: 'Size, decisions, extremes and pre-launch shape check of a drawn space.',
    params: z.object({ text: z.string() }),
    result: spaceSummarySchema,
  }),
  'search.estimate': method({
    doc: 'Measured cost estimate before launch: seconds per epoch of the largest candidate × epochs × trials (or supernet epochs).',
    params: z.object({ text: z.string(), settings: searchSettingsSchema }),
    result: z.object({ seconds: z.number(), secondsPerEpoch: z.number().nullable(), detail: z.string() }),
  }),
  'search.start': method({
    doc: 'Starts an experiment on the document (in its own process); returns its id at once.',
    params: z.object({ text: z.string(), project: z.string().optional(), settings: searchSettingsSchema }),
    result: z.object({ experimentId: z.string() }),
  }),
  'search.watch': method({
    doc: 'Streams an experiment: what it has emitted so far, then live events until it ends. Cancelling only unsubscribes.',
    params: z.object({ experimentId: z.string() }),
    result: z.object({ status: z.string() }),
    event: searchEventSchema,
  }),
  'search.stop': method({
    doc: 'Stops a running experiment; it stays resumable.',
    params: z.object({ experimentId: z.string() }),
    result: z.object({ stopped: z.boolean() }),
  }),
  'search.resume': method({
    doc: 'Resumes a stopped or interrupted experiment.',
    params: z.object({ experimentId: z.string(), workers: z.number().int().min(1).max(64).optional(), queue: queueUrlSchema.optional() }),
    result: z.object({ experimentId: z.string() }),
  }),
  'search.list': method({
    doc: 'Experiments in SQLite, newest first.',
    params: noParams,
    result: z.array(experimentInfoSchema),
  }),
  'search.get': method({
    doc: 'One experiment with its trials and the document it searched.',
    params: z.object({ experimentId: z.string() }),
    result: z.object({ experiment: experimentInfoSchema, trials: z.array(trialInfoSchema), spaceText: z.string().nullable(), config: z.unknown() }),
  }),
  'search.trialGraph': method({
    doc: "A trial's architecture as a concrete graph, with the nodes and edges that differ from the design (or from its parent).",
    params: z.object({ experimentId: z.string(), trialId: z.number().int(), against: z.enum(['design', 'parent']).default('design') }),
    result: z.object({ text: z.string(), changedNodes: z.array(z.string()), changedEdges: z.array(z.string()), sample: sampleSchema }),
  }),
  'search.exportTrial': method({
    doc: "Exports a trial's architecture to ONNX, retraining it first with the experiment's evaluator settings.",
    params: z.object({ experimentId: z.string(), trialId: z.number().int(), ...clientTargetSchema }),
    result: z.object({ path: z.string(), metrics: z.record(z.string(), z.number()) }),
  }),
};
