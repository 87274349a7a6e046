/**
 * Runs an architecture-search experiment: ask/tell between a strategy and an evaluator until
 * the budget is spent, persisting every finished trial and the strategy state after it in one
 * SQLite transaction, so a killed process resumes without losing or duplicating trials.
 *
 * Budget rule (NAS-Bench-201, Dong & Yang 2020, and its reference R-EA / REINFORCE / RS code):
 * each query is charged its simulated cost; a query whose cost would take the total past the
 * time budget is discarded and the search ends (total + cost > budget stops; equal is allowed).
 * A trial budget simply stops after that many finished trials; `skipped` trials (constraint
 * violators, never trained) are recorded but not counted, and are told to the strategy as null.
 *
 * With a drawn space the space is shape-checked before the experiment is created, and a
 * space with broken candidates is refused. Strategies are told `primary(objectives, metrics)`;
 * with several objectives the result carries the Pareto front of the ok trials.
 *
 * Resume re-asks, it does not replay pending proposals: the store only ever holds the strategy
 * state *after* the last told trial, and that state includes the strategy's Rng and id
 * counter, so `ask(1)` after `restore` proposes exactly what the killed process had asked but
 * not told (same id, same sample) and the evaluator (deterministic for tables) runs it again.
 * The trial sequence therefore equals an uninterrupted run with the same seed, and nothing
 * extra is written per ask.
 *
 * Weight-sharing experiments (evaluator `supernet`) train a supernet first and are driven by
 * one-shot.ts, which ends in the same sequential loop for choosing among candidates.
 *
 * With `workers` > 1 (config or option) the parallel driver in parallel.ts keeps that many
 * proposals in flight in worker processes and persists each proposal as it is asked, so a
 * resume re-runs exactly those; see there. `workers` unset or 1 is this sequential path.
 * With `queue` (a Redis URL) the same driver sends trials to a BullMQ queue (queue/).
 * With a tabular evaluator, workers are simulated instead (simulated-workers.ts): in-process,
 * results told in simulated-time order, deterministic.
 *
 * Multi-fidelity strategies (ASHA) put a `fidelity` on proposals: those below 1 are evaluated
 * with `evaluator.evaluateAt`, told to the strategy, stored, charged, and never the best.
 */
import { ExperimentStore, newExperimentId, type ExperimentStatus, type TrialRecord } from '../../engine/store/experiments.js';
import { isEmptyCellMessage } from '../space/drawn-cell.js';
import { parseExperimentConfig, type ExperimentConfig } from './config.js';
import { paretoFront, type Objective } from './objectives.js';
import { assertShapesOk, driveSequential, zeroTiming } from './drive.js';
import { isOneShot, oneShotFound, resumeOneShot, runOneShot } from './one-shot.js';
import { driveParallel } from './parallel.js';
import { InProcessExecutor, LocalProcessExecutor, type TrialExecutor } from './executor.js';
import { reusesResults, TrialCache } from './trial-cache.js';
import { parseQueueUrl, redactUrl } from './queue/url.js';

/** Trials kept in flight on a queue when `workers` is not given. */
export const DEFAULT_QUEUE_SLOTS = 4;
import { driveSimulated } from './simulated-workers.js';
import { configObjectives, defaultDeps, spaceOf, type RunnerDeps } from './registry.js';
import type { BestTrial, DriveOptions, ExperimentResult, Live, ParetoPoint } from './types.js';

export { assertShapesOk, driveSequential, evaluateProposal, MAX_CONSECUTIVE_SKIPS, recordEvaluation, zeroTiming } from './drive.js';
export type * from './types.js';

function build(config: ExperimentConfig, deps: Partial<RunnerDeps> | undefined): Pick<Live, 'space' | 'strategy' | 'evaluator' | 'objectives'> {
  const d = { ...defaultDeps, ...deps };
  const objectives = configObjectives(config);
  const space = spaceOf(config, d.space);
  const evaluator = d.evaluator(config, space);
  // A multi-fidelity strategy's rungs are the evaluator's levels when it only has some (a table).
  const fixedRungs = config.strategy.name === 'asha' && evaluator.fidelities && config.strategy.options?.rungs === undefined;
  const options = fixedRungs ? { ...config.strategy.options, rungs: [...evaluator.fidelities!] } : config.strategy.options;
  const strategy = d.strategy(config.strategy.name, space, config.seed, options);
  return { space, strategy, evaluator, objectives };
}

/** The Pareto front of the stored ok trials, or undefined with a single objective. */
function paretoOf(store: ExperimentStore, id: string, objectives: Objective[]): ParetoPoint[] | undefined {
  if (objectives.length < 2) return undefined;
  const ok = store.trials(id).filter((t) => t.status === 'ok');
  return paretoFront(ok, objectives).map((t) => ({ trialId: t.trialId, arch: t.key, metrics: t.metrics }));
}

function bestFromRecord(t: TrialRecord, report: string): BestTrial {
  return { trialId: t.trialId, key: t.key, objective: t.objective!, report: t.metrics[report], metrics: t.metrics };
}

/** Starts a new experiment and runs it until its budget is spent (or `signal` aborts). */
export async function runExperiment(opts: DriveOptions & { config: ExperimentConfig; id?: string }): Promise<ExperimentResult> {
  const config = parseExperimentConfig(opts.config);
  if (isOneShot(config)) return runOneShot({ ...opts, config });
  const parts = build(config, opts.deps);
  // A table scores cells with no input-to-output path too (NB201 lists them), so a tabular
  // search only refuses what else is broken.
  assertShapesOk(parts.space, config.seed, config.evaluator.spec.startsWith('tabular:') ? isEmptyCellMessage : undefined);
  const store = new ExperimentStore(opts.db);
  const id = opts.id ?? newExperimentId();
  if (opts.queue !== undefined) {
    parseQueueUrl(opts.queue); // a bad URL fails here, before the experiment exists
    config.queue = redactUrl(opts.queue);
  }
  store.create(id, config, parts.strategy.state());
  return drive({ id, config, store, ...parts, trials: 0, counted: 0, simulated: 0, best: null }, opts);
}

/**
 * Continues a stopped experiment (interrupted, cancelled or failed) from its last finished
 * trial; a completed one returns its result unchanged.
 */
export async function resumeExperiment(opts: DriveOptions & { id: string }): Promise<ExperimentResult> {
  const store = new ExperimentStore(opts.db);
  const rec = store.get(opts.id);
  if (!rec) throw new Error(`no experiment ${opts.id}`);
  const config = parseExperimentConfig(rec.config, `experiment ${opts.id}`);
  const bestRec = rec.bestTrial === null ? undefined : store.trial(rec.id, rec.bestTrial);
  const skipped = rec.trialsDone === 0 ? 0 : store.trials(rec.id).filter((t) => t.status === 'skipped').length;
  const live = {
    id: rec.id,
    config,
    store,
    trials: rec.trialsDone,
    counted: rec.trialsDone - skipped,
    simulated: rec.simulatedSeconds,
    best: bestRec ? bestFromRecord(bestRec, config.report) : null,
  };
  if (rec.status === 'completed') {
    const pareto = paretoOf(store, rec.id, configObjectives(config));
    const found = isOneShot(config) && live.best ? oneShotFound(opts.db, rec.id, live.best.key) : undefined;
    return {
      id: rec.id,
      status: 'completed',
      config,
      trials: live.trials,
      simulatedSeconds: live.simulated,
      best: live.best,
      ...(pareto && { pareto }),
      ...(found && { found }),
      timing: zeroTiming(),
    };
  }
  if (isOneShot(config)) return resumeOneShot({ ...opts, id: rec.id }, config, live);
  const parts = build(config, opts.deps);
  parts.strategy.restore(rec.strategyState);
  const queue = resumeQueue(rec.id, config, opts.queue);
  store.claim(rec.id);
  return drive({ ...live, ...parts }, { ...opts, ...(queue !== undefined && { queue }) });
}

async function drive(live: Live, opts: DriveOptions): Promise<ExperimentResult> {
  const { id, config, store } = live;
  const timing = zeroTiming();
  const tStart = performance.now();
  const result = (status: ExperimentStatus): ExperimentResult => {
    timing.totalMs = performance.now() - tStart;
    const pareto = status === 'completed' ? paretoOf(store, id, live.objectives) : undefined;
    return {
      id,
      status,
      config,
      trials: live.trials,
      simulatedSeconds: live.simulated,
      best: live.best,
      ...(pareto && { pareto }),
      timing,
      cacheHits: live.cacheHits ?? 0,
    };
  };
  if (reusesResults(config)) live.cache = new TrialCache(store.trials(id));
  live.cacheHits = 0;
  let executor: TrialExecutor | undefined;
  try {
    const pending = store.pending(id);
    const workers = opts.workers ?? config.workers ?? 1;
    // Table lookups with several workers are simulated in simulated-time order, in process.
    const simulate = opts.queue === undefined && config.evaluator.spec.startsWith('tabular:') && (workers > 1 || pending.length > 0);
    if (!simulate && (workers > 1 || opts.queue !== undefined) && live.strategy.fidelityOf) {
      throw new Error(
        `strategy "${config.strategy.name}" evaluates at several fidelities, which worker processes and queue workers do not support: use one local worker (--workers 1) or a tabular evaluator`,
      );
    }
    let end: 'completed' | 'cancelled';
    if (simulate) end = await driveSimulated(live, opts, timing, workers, pending);
    else {
      executor = await chooseExecutor(live, opts, pending.length > 0);
      end = executor ? await driveParallel(live, opts, timing, executor, pending) : await driveSequential(live, opts, timing);
    }
    if (end === 'cancelled') {
      store.finish(id, 'cancelled');
      return result('cancelled');
    }
    store.clearPending(id);
    store.finish(id, 'completed');
    return result('completed');
  } catch (e) {
    store.finish(id, 'failed', (e as Error).message);
    throw e;
  } finally {
    await executor?.close();
  }
}

/**
 * The queue a resume sends trials to: the one given, else the one the experiment ran on when
 * its stored (redacted) URL has no password. A password is never stored, so it must be given again.
 */
function resumeQueue(id: string, config: ExperimentConfig, given: string | undefined): string | undefined {
  if (given !== undefined || config.queue === undefined) return given;
  if (!config.queue.includes(':***@')) return config.queue;
  throw new Error(
    `experiment ${id} ran its trials on the queue at ${config.queue}; give its URL again with --queue or LAYERLOOM_QUEUE (passwords are not stored)`,
  );
}

/**
 * Where the trials run: the BullMQ queue when `opts.queue` is set; local worker processes
 * with more than one worker; in this process when an evaluator is injected (tests) or when a
 * sequential run drains proposals left pending; none (the sequential driver) otherwise.
 */
async function chooseExecutor(live: Live, opts: DriveOptions, hasPending: boolean): Promise<TrialExecutor | undefined> {
  const workers = opts.workers ?? live.config.workers ?? 1;
  if (opts.queue !== undefined) {
    const { QueueExecutor } = await import('./queue/queue-executor.js');
    return QueueExecutor.connect({
      url: opts.queue,
      experimentId: live.id,
      config: live.config,
      space: live.space,
      slots: opts.workers ?? live.config.workers ?? DEFAULT_QUEUE_SLOTS,
    });
  }
  if (workers > 1 && !opts.deps?.evaluator) return new LocalProcessExecutor(live.config, workers);
  if (workers > 1 || hasPending) return new InProcessExecutor(live.evaluator, workers);
  return undefined;
}
