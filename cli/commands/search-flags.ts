/**
 * `layerloom search` flags → what to run: the experiment config of a new search (nb201
 * table, drawn space with trained trials, drawn tabular cell, weight sharing) or the id to
 * resume, and the options around it (runs, export, table, workers). Pure apart from reading
 * and checking the space file; every bad combination is a UsageError naming the flag.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliValues } from '../options.js';
import { STRATEGY_NAMES, type ExperimentConfig, type StrategyName } from '../../nas/runner/config.js';
import { DEFAULT_SUPERNET_EPOCHS, oneShotConfig } from '../../nas/runner/one-shot-config.js';
import { isOneShotName } from '../../nas/strategies/index.js';
import { isTrainSpec } from '../../nas/runner/export-top.js';
import { parseConstraints, parseObjectives } from '../../nas/runner/objectives.js';
import { SPACES, trainingSignal } from '../../nas/runner/registry.js';
import { onlyCell } from '../../nas/evaluators/cell-table.js';
import { drawnSpace } from '../../nas/space/drawn.js';
import { threadsPerWorker } from '../../engine/train/onnx-step/threads.js';
import { intOption, UsageError } from './errors.js';

/** NAS-Bench-201's CIFAR-10 search budget, used when no budget flag is given. */
const DEFAULT_BUDGET_SECONDS = 12_000;

function numberOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a number > 0, got "${v}"`);
  return n;
}

/** Trials of a drawn-space search when no budget flag is given. */
const DEFAULT_DRAWN_TRIALS = 20;

/** Reads a drawn space file and checks it parses; errors name the file. */
function readSpaceFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    drawnSpace(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return text;
}

/** Config of a weight-sharing search (`--evaluator supernet`) over a drawn space or nb201. */
async function supernetConfigFromFlags(file: string | undefined, values: CliValues): Promise<ExperimentConfig> {
  const strategy = values.strategy;
  if (!strategy || !isOneShotName(strategy))
    throw new UsageError(`--evaluator supernet needs --strategy spos|enas|darts${strategy ? `, got "${strategy}"` : ''}`);
  if (file !== undefined && values.space !== undefined) throw new UsageError('give either a drawn space file or --space, not both');
  if (file === undefined && (values.space ?? 'nb201') !== 'nb201') throw new UsageError(`--space must be nb201, got "${values.space}"`);
  for (const flag of ['objective', 'constraint', 'export-top', 'workers', 'signal', 'report'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --evaluator supernet`);
  }
  if (file !== undefined && (values.channels !== undefined || values.cells !== undefined))
    throw new UsageError('--channels and --cells shape the nb201 skeleton; a drawn space has its own');
  const epochs = intOption('supernet-epochs', values['supernet-epochs']) ?? DEFAULT_SUPERNET_EPOCHS;
  const limit = intOption('limit', values.limit);
  const batchSize = intOption('batch', values.batch);
  const remedy = values.remedy;
  const remedies: Record<string, string[]> = { darts: ['darts-', 'dropout', 'none'], enas: ['dropout', 'none'] };
  if (remedy !== undefined && !remedies[strategy]?.includes(remedy))
    throw new UsageError('--remedy darts-|dropout|none applies to --strategy darts and enas (enas: dropout|none)');
  const learningRate = numberOption('supernet-lr', values['supernet-lr']);
  const supernet = {
    epochs,
    ...(learningRate !== undefined && { learningRate }),
    ...(values.data !== undefined && { dataset: values.data }),
    ...(values.target !== undefined && { target: values.target }),
    ...(limit !== undefined && { limit }),
    ...(batchSize !== undefined && { batchSize }),
  };
  const channels = intOption('channels', values.channels);
  const cells = intOption('cells', values.cells);
  return oneShotConfig({
    strategy,
    ...(remedy !== undefined && { options: { remedy } }),
    supernet,
    trials: intOption('budget-trials', values['budget-trials']),
    seed: intOption('seed', values.seed, 0) ?? 0,
    ...(file !== undefined ? { drawn: { name: path.basename(file), text: readSpaceFile(file) } } : { skeleton: { channels, cells } }),
  });
}

function strategyOf(values: CliValues): StrategyName {
  const strategy = values.strategy;
  if (!strategy) throw new UsageError(`search needs --strategy ${STRATEGY_NAMES.join('|')}`);
  if (isOneShotName(strategy)) throw new UsageError(`--strategy ${strategy} trains a supernet: add --evaluator supernet`);
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}, got "${strategy}"`);
  }
  return strategy as StrategyName;
}

/** Config of a search over a drawn space (`search FILE.loom.json --evaluator train …`). */
function drawnConfigFromFlags(file: string, values: CliValues): ExperimentConfig {
  if (values.space !== undefined) throw new UsageError('give either a drawn space file or --space, not both');
  const strategy = strategyOf(values);
  const spec = values.evaluator ?? 'train';
  if (spec.startsWith('tabular:')) return drawnTabularConfig(file, values, strategy, spec);
  if (!isTrainSpec(spec)) throw new UsageError(`a drawn search space needs --evaluator train, supernet or tabular:PATH, got "${spec}"`);
  const text = readSpaceFile(file);
  let objectives, constraints;
  try {
    objectives = parseObjectives(values.objective ?? 'valAccuracy');
    constraints = parseConstraints(values.constraint ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const signal = trainingSignal(objectives);
  const trials = intOption('budget-trials', values['budget-trials']);
  const seconds = numberOption('budget-seconds', values['budget-seconds']);
  const epochs = intOption('epochs', values.epochs);
  const limit = intOption('limit', values.limit);
  const batchSize = intOption('batch', values.batch);
  // ASHA asks for epochs per trial, which worker processes do not take: one worker by default.
  const workers = intOption('workers', values.workers) ?? (strategy === 'asha' ? 1 : os.availableParallelism());
  const threads = intOption('threads', values.threads);
  if (threads !== undefined) {
    try {
      threadsPerWorker(workers, threads);
    } catch (e) {
      throw new UsageError(`--threads: ${(e as Error).message}`);
    }
  }
  const train = {
    ...(values.data !== undefined && { dataset: values.data }),
    ...(values.target !== undefined && { target: values.target }),
    ...(epochs !== undefined && { epochs }),
    ...(limit !== undefined && { limit }),
    ...(batchSize !== undefined && { batchSize }),
    ...(values.backend !== undefined && { backend: values.backend as 'auto' }),
    ...(threads !== undefined && { threads }),
  };
  return {
    space: path.basename(file),
    spaceDoc: text,
    strategy: { name: strategy },
    evaluator: { spec, train },
    objective: { metric: signal },
    objectives: objectives.map((o) => `${o.metric}:${o.direction}`),
    ...(constraints.length > 0 && { constraints: constraints.map((c) => c.text) }),
    report: values.report ?? signal,
    budget:
      trials === undefined && seconds === undefined
        ? { trials: DEFAULT_DRAWN_TRIALS }
        : { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
    seed: intOption('seed', values.seed, 0) ?? 0,
    // Training trials run in worker processes, one per core unless --workers says otherwise.
    ...(workers > 1 && { workers }),
  };
}

/**
 * A drawn space whose only decisions are one Cell's edges, searched against a
 * NAS-Bench-201-format table (the cell string is the key): simulated cost as with `--space
 * nb201`, the table's fields as signal and report.
 */
function drawnTabularConfig(file: string, values: CliValues, strategy: ExperimentConfig['strategy']['name'], spec: string): ExperimentConfig {
  if (values.constraint?.length) throw new UsageError('--constraint needs the train evaluator (tabular entries are not built)');
  const text = readSpaceFile(file);
  try {
    onlyCell(drawnSpace(text));
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  const trials = intOption('budget-trials', values['budget-trials']);
  const seconds = numberOption('budget-seconds', values['budget-seconds']);
  // Simulated asynchronous workers (nas/runner/simulated-workers.ts), as with --space nb201.
  const workers = intOption('workers', values.workers);
  return {
    space: path.basename(file),
    spaceDoc: text,
    strategy: { name: strategy },
    evaluator: { spec },
    objective: { metric: values.signal ?? 'valid' },
    report: values.report ?? 'test',
    budget:
      trials === undefined && seconds === undefined
        ? { trials: DEFAULT_DRAWN_TRIALS }
        : { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
    seed: intOption('seed', values.seed, 0) ?? 0,
    ...(workers !== undefined && workers > 1 && { workers }),
  };
}

/** Builds the config of the first run from the flags (later runs differ only in seed). */
function nb201ConfigFromFlags(values: CliValues): ExperimentConfig {
  if (values.objective !== undefined || values.constraint !== undefined) {
    throw new UsageError('--objective and --constraint apply to drawn search spaces (search FILE.loom.json); use --signal with --space nb201');
  }
  const space = values.space ?? 'nb201';
  if (!(space in SPACES)) throw new UsageError(`--space must be nb201 (the only space in this version), got "${space}"`);
  const strategy = strategyOf(values);
  if (!values.evaluator) throw new UsageError('search needs --evaluator tabular:PATH');
  if (isTrainSpec(values.evaluator)) throw new UsageError('--evaluator train needs a drawn search space: layerloom search SPACE.loom.json --evaluator train');
  const trials = intOption('budget-trials', values['budget-trials']);
  // Table look-ups are too cheap to ship across processes: --workers N simulates N workers.
  const workers = intOption('workers', values.workers);
  let seconds = numberOption('budget-seconds', values['budget-seconds']);
  if (trials === undefined && seconds === undefined) seconds = DEFAULT_BUDGET_SECONDS;
  return {
    space,
    strategy: { name: strategy },
    evaluator: { spec: values.evaluator },
    objective: { metric: values.signal ?? 'valid' },
    report: values.report ?? 'test',
    budget: { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
    seed: intOption('seed', values.seed, 0) ?? 0,
    ...(workers !== undefined && workers > 1 && { workers }),
  };
}

/** What a `layerloom search` invocation asks for. */
export interface SearchPlan {
  /** `search resume ID`: the experiment to continue (no config then). */
  resumeId?: string;
  /** The first run's config of a new search (later runs differ only in seed). */
  config?: ExperimentConfig;
  runs: number;
  exportTop?: number;
  /** `--nb201-table`: look the found cell up in this table. */
  table?: string;
  /** `--workers` of a resume, or of a queue search (trials in flight, 1 included). */
  workersFlag?: number;
  /** The trial queue's URL (`--queue` or LAYERLOOM_QUEUE). */
  queue?: string;
  experimentId?: string;
  json: boolean;
  out?: string;
}

/** Reads the flags of `layerloom search`; throws UsageError for a bad combination. */
export async function searchPlanFromFlags(args: string[], values: CliValues): Promise<SearchPlan> {
  const resumeId = args[0] === 'resume' ? args[1] : undefined;
  if (args[0] === 'resume' && (args.length !== 2 || !resumeId)) throw new UsageError('usage: layerloom search resume EXPERIMENT_ID');
  if (!resumeId && args.length > 1) throw new UsageError(`search takes one space file, got ${args.length}: ${args.join(' ')}`);
  const exportTop = intOption('export-top', values['export-top']);
  if (exportTop !== undefined && !values.out) throw new UsageError('--export-top K needs -o DIR');
  const supernet = values.evaluator === 'supernet';
  // LAYERLOOM_QUEUE keeps a password out of the command line (the designer passes it so).
  const queue = values.queue ?? (process.env.LAYERLOOM_QUEUE || undefined);
  if (values.queue !== undefined && supernet) throw new UsageError('--queue does not apply to --evaluator supernet (its supernet trains in one process)');
  for (const flag of ['supernet-epochs', 'supernet-lr', 'channels', 'cells', 'remedy'] as const) {
    if (!supernet && !resumeId && values[flag] !== undefined) throw new UsageError(`--${flag} applies to --evaluator supernet`);
  }
  const config = resumeId
    ? undefined
    : supernet
      ? await supernetConfigFromFlags(args[0], values)
      : args.length === 1
        ? drawnConfigFromFlags(args[0], values)
        : nb201ConfigFromFlags(values);
  const table = values['nb201-table'];
  if (table !== undefined && config && config.space !== 'nb201') throw new UsageError('--nb201-table looks up cells of the nb201 space');
  if (exportTop !== undefined && config && !isTrainSpec(config.evaluator.spec)) throw new UsageError('--export-top: tabular results have no weights');
  const runs = resumeId ? 1 : (intOption('runs', values.runs) ?? 1);
  if (resumeId && values.runs !== undefined) throw new UsageError('--runs does not apply to search resume');
  // On a queue --workers is the number of trials in flight, 1 included (the config drops 1).
  const workersFlag = resumeId || queue !== undefined ? intOption('workers', values.workers) : undefined;
  const experimentId = values['experiment-id'];
  if (experimentId !== undefined && (resumeId || runs > 1 || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(experimentId))) {
    throw new UsageError('--experiment-id takes letters, digits, - and _, and applies to one new search (not resume, not --runs)');
  }
  return {
    ...(resumeId !== undefined && { resumeId }),
    ...(config !== undefined && { config }),
    runs,
    ...(exportTop !== undefined && { exportTop }),
    ...(table !== undefined && { table }),
    ...(workersFlag !== undefined && { workersFlag }),
    ...(queue !== undefined && { queue }),
    ...(experimentId !== undefined && { experimentId }),
    json: values.json === true,
    ...(values.out !== undefined && { out: values.out }),
  };
}
