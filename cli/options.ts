/**
 * Every flag the `layerloom` CLI accepts (node:util parseArgs), and the parsed values type
 * the commands share. Kept apart from main.ts so commands import it without a cycle.
 */
import type { parseArgs } from 'node:util';

/** The flag table (one table: a flag means the same thing in every command). */
export const options = {
  data: { type: 'string' },
  target: { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  run: { type: 'string' },
  weights: { type: 'string' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  opset: { type: 'string' },
  verify: { type: 'boolean', default: false },
  space: { type: 'string' },
  strategy: { type: 'string' },
  evaluator: { type: 'string' },
  signal: { type: 'string' },
  report: { type: 'string' },
  'budget-trials': { type: 'string' },
  'budget-seconds': { type: 'string' },
  objective: { type: 'string', multiple: true },
  constraint: { type: 'string', multiple: true },
  'export-top': { type: 'string' },
  runs: { type: 'string' },
  workers: { type: 'string' },
  threads: { type: 'string' },
  'supernet-epochs': { type: 'string' },
  'supernet-lr': { type: 'string' },
  channels: { type: 'string' },
  cells: { type: 'string' },
  remedy: { type: 'string' },
  'nb201-table': { type: 'string' },
  'experiment-id': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  open: { type: 'boolean', default: false },
  'allow-origin': { type: 'string', multiple: true },
  'allow-dir': { type: 'string', multiple: true },
  'projects-dir': { type: 'string' },
  calibrate: { type: 'string' },
  method: { type: 'string' },
  dynamic: { type: 'boolean', default: false },
  batches: { type: 'string' },
  overwrite: { type: 'boolean', default: false },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  'stall-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parsed CLI values shared by the commands. */
export type CliValues = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];
