/**
 * `layerloom search --space nb201 --strategy S --evaluator tabular:PATH …`,
 * `layerloom search SPACE.loom.json --strategy S --evaluator train …` (a drawn space, trials
 * trained for real; `--export-top K -o DIR` exports the best),
 * `layerloom search [SPACE.loom.json | --space nb201] --strategy spos|enas|darts --evaluator
 * supernet …` (weight sharing: one supernet trained, candidates scored inside it) and
 * `layerloom search resume EXPERIMENT_ID`: architecture search through nas/runner.
 * (cli/ is the composition root above engine/ and nas/: the product's front door.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliValues } from '../options.js';
import { openDb } from '../../engine/store/db.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { meanStd, STRATEGY_NAMES, type ExperimentConfig, type StrategyName } from '../../nas/runner/config.js';
import { resumeExperiment, runExperiment, type CacheHitEvent, type ExperimentResult, type TrialEvent } from '../../nas/runner/experiment.js';
import { DEFAULT_SUPERNET_EPOCHS, nb201Lookup, oneShotConfig } from '../../nas/runner/one-shot-config.js';
import type { SupernetEvent } from '../../nas/runner/one-shot.js';
import { isOneShotName } from '../../nas/strategies/index.js';
import { exportTopTrials, isTrainSpec, type ExportedTrial } from '../../nas/runner/export-top.js';
import { parseConstraints, parseObjectives } from '../../nas/runner/objectives.js';
import { SPACES, trainingSignal } from '../../nas/runner/registry.js';
import { onlyCell } from '../../nas/evaluators/cell-table.js';
import { drawnSpace } from '../../nas/space/drawn.js';
import { intOption, UsageError } from './errors.js';
import { threadsPerWorker } from '../../engine/train/onnx-step/threads.js';

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
  if (!strategy || !isOneShotName(strategy)) throw new UsageError(`--evaluator supernet needs --strategy spos|enas|darts${strategy ? `, got "${strategy}"` : ''}`);
  if (file !== undefined && values.space !== undefined) throw new UsageError('give either a drawn space file or --space, not both');
  if (file === undefined && (values.space ?? 'nb201') !== 'nb201') throw new UsageError(`--space must be nb201, got "${values.space}"`);
  for (const flag of ['objective', 'constraint', 'export-top', 'workers', 'signal', 'report'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --evaluator supernet`);
  }
  if (file !== undefined && (values.channels !== undefined || values.cells !== undefined)) throw new UsageError('--channels and --cells shape the nb201 skeleton; a drawn space has its own');
  const epochs = intOption('supernet-epochs', values['supernet-epochs']) ?? DEFAULT_SUPERNET_EPOCHS;
  const limit = intOption('limit', values.limit);
  const batchSize = intOption('batch', values.batch);
  const remedy = values.remedy;
  const remedies: Record<string, string[]> = { darts: ['darts-', 'dropout', 'none'], enas: ['dropout', 'none'] };
  if (remedy !== undefined && !remedies[strategy]?.includes(remedy)) throw new UsageError('--remedy darts-|dropout|none applies to --strategy darts and enas (enas: dropout|none)');
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
    budget: trials === undefined && seconds === undefined ? { trials: DEFAULT_DRAWN_TRIALS } : { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
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
    budget: trials === undefined && seconds === undefined ? { trials: DEFAULT_DRAWN_TRIALS } : { ...(trials !== undefined && { trials }), ...(seconds !== undefined && { seconds }) },
    seed: intOption('seed', values.seed, 0) ?? 0,
    ...(workers !== undefined && workers > 1 && { workers }),
  };
}

/** Builds the config of the first run from the flags (later runs differ only in seed). */
function configFromFlags(values: CliValues): ExperimentConfig {
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

/** Runs the search command; resolves to the exit code. */
export async function searchCommand(args: string[], values: CliValues): Promise<number> {
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
        : configFromFlags(values);
  const table = values['nb201-table'];
  if (table !== undefined && config && config.space !== 'nb201') throw new UsageError('--nb201-table looks up cells of the nb201 space');
  if (exportTop !== undefined && config && !isTrainSpec(config.evaluator.spec)) throw new UsageError('--export-top: tabular results have no weights');
  const runs = resumeId ? 1 : (intOption('runs', values.runs) ?? 1);
  if (resumeId && values.runs !== undefined) throw new UsageError('--runs does not apply to search resume');
  // On a queue --workers is the number of trials in flight, 1 included (the config drops 1).
  const workersFlag = resumeId || values.queue !== undefined || process.env.LAYERLOOM_QUEUE ? intOption('workers', values.workers) : undefined;
  if (values['experiment-id'] !== undefined && (resumeId || runs > 1 || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(values['experiment-id']))) {
    throw new UsageError('--experiment-id takes letters, digits, - and _, and applies to one new search (not resume, not --runs)');
  }
  const json = values.json;
  const emit = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

  // First Ctrl+C stops the search (sequential: after the current trial; parallel: at once,
  // with in-flight trials kept for `search resume`); a second exits.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    if (!json) process.stderr.write('\nstopping; the experiment can be resumed with `layerloom search resume` (Ctrl+C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  const db = openDb(values['data-dir'] ?? defaultDataDir());
  try {
    const results: ExperimentResult[] = [];
    for (let r = 0; r < runs && !controller.signal.aborted; r++) {
      const onTrial = (t: TrialEvent) => {
        if (!json) return;
        emit({
          event: 'trial',
          experimentId: t.experimentId,
          run: r,
          trialId: t.trialId,
          seq: t.seq,
          arch: t.key,
          status: t.status,
          ...(t.error !== null && { error: t.error }),
          objective: t.objective,
          parent: t.parent,
          changed: t.changed,
          costSeconds: t.costSeconds,
          simulatedSeconds: t.simulatedSeconds,
          bestTrialId: t.bestTrialId,
          metrics: t.metrics,
          ...(t.worker !== undefined && { worker: t.worker }),
        });
      };
      const onSupernet = (e: SupernetEvent) => {
        if (json) return emit(e);
        if (e.event !== 'supernet-epoch') return;
        const m = Object.entries(e.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
        process.stdout.write(`supernet epoch ${e.epoch}/${e.epochs} (${e.strategy}, ${e.seconds.toFixed(1)} s): ${m}${e.derived ? `  now ${e.derived}` : ''}\n`);
      };
      const onCacheHit = (e: CacheHitEvent) => {
        if (json) emit({ event: 'cache-hit', ...e, arch: e.key });
      };
      const common = { db, signal: controller.signal, onTrial, onSupernet, onCacheHit, ...(workersFlag !== undefined && { workers: workersFlag }), ...(queue !== undefined && { queue }) };
      const res = resumeId
        ? await resumeExperiment({ ...common, id: resumeId })
        : await runExperiment({ ...common, config: { ...config!, seed: config!.seed + r }, ...(r === 0 && values['experiment-id'] && { id: values['experiment-id'] }) });
      results.push(res);
      if (!json) printRun(res);
    }
    const done = results.filter((x) => x.best);
    const best = done.reduce<ExperimentResult | undefined>((b, x) => (!b || x.best!.objective > b.best!.objective ? x : b), undefined);
    const report = results[0]?.config.report ?? 'test';
    const { mean, std } = meanStd(done.map((x) => x.best!.report));
    const cancelled = results.some((x) => x.status === 'cancelled');
    let exported: ExportedTrial[] | undefined;
    if (exportTop !== undefined && !cancelled && best) {
      exported = await exportTopTrials({ db, experimentId: best.id, k: exportTop, dir: values.out! });
      if (!json) for (const e of exported) process.stdout.write(`exported #${e.rank} trial ${e.trialId} (${e.arch}) -> ${e.file}\n`);
    }
    const pareto = best?.pareto;
    const found = best?.found;
    if (found && values.out) {
      fs.mkdirSync(values.out, { recursive: true });
      fs.copyFileSync(found.graph, path.join(values.out, 'found.loom.json'));
      fs.cpSync(found.weights, path.join(values.out, 'found'), { recursive: true });
      found.graph = path.join(values.out, 'found.loom.json');
      found.weights = path.join(values.out, 'found');
    }
    const lookup = found && table !== undefined && best.config.space === 'nb201' ? nb201Lookup(table, found.arch) : undefined;
    if (json) {
      emit({
        event: 'done',
        status: cancelled ? 'cancelled' : 'completed',
        best: best
          ? {
              arch: best.best!.key,
              trialId: best.best!.trialId,
              experimentId: best.id,
              metrics: best.best!.metrics,
              ...(found && { graph: found.graph, weights: found.weights }),
              ...(lookup && { nb201: lookup }),
            }
          : null,
        ...(pareto && { pareto }),
        ...(exported && { exported: exported.map(({ rank, trialId, arch, file }) => ({ rank, trialId, arch, file })) }),
        summary: { field: report, mean, std, runs: done.length },
        experiments: results.map((x) => ({ id: x.id, seed: x.config.seed, status: x.status, trials: x.trials, simulatedSeconds: x.simulatedSeconds, cacheHits: x.cacheHits ?? 0 })),
      });
    } else if (results.length > 1) {
      process.stdout.write(`${report} of the best-by-${results[0].config.objective.metric} architecture over ${done.length} runs: ${mean.toFixed(2)} ± ${std.toFixed(2)}\n`);
    }
    if (found && !json) {
      process.stdout.write(`found ${found.arch}\n  graph ${found.graph}\n  weights ${found.weights} (layerloom export ${found.graph} --weights ${found.weights} -o found.onnx)\n`);
      if (lookup) process.stdout.write(`  NAS-Bench-201 CIFAR-10 of this cell: valid ${lookup.valid}, test ${lookup.test}\n`);
    }
    if (cancelled && !json) process.stdout.write(`stopped; continue with: layerloom search resume ${results.at(-1)!.id}\n`);
    return cancelled ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    db.close();
  }
}

function printRun(res: ExperimentResult): void {
  const { config: c, best } = res;
  // Tabular queries cost simulated seconds; the train evaluator's cost is real training time,
  // the supernet evaluator's the time scoring candidates with shared weights.
  const costLabel = c.evaluator.spec.startsWith('tabular:') ? 's simulated' : c.evaluator.spec === 'supernet' ? 's of scoring' : 's of training';
  const hits = res.cacheHits ? `, ${res.cacheHits} repeated architecture${res.cacheHits === 1 ? '' : 's'} answered from stored results` : '';
  const head = `experiment ${res.id} (${c.strategy.name}, seed ${c.seed}): ${res.status}, ${res.trials} trials${hits}, ${Math.round(res.simulatedSeconds)} ${costLabel}`;
  if (!best) return void process.stdout.write(`${head}; no successful trial\n`);
  process.stdout.write(
    `${head}\n  best ${c.objective.metric} ${best.objective.toFixed(2)} -> ${c.report} ${best.report.toFixed(2)}  trial ${best.trialId}  ${best.key}\n`,
  );
}
