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
 * With a tabular evaluator, workers are simulated instead (simulated-workers.ts): in-process,
 * results told in simulated-time order, deterministic.
 *
 * Multi-fidelity strategies (ASHA) put a `fidelity` on proposals: those below 1 are evaluated
 * with `evaluator.evaluateAt`, told to the strategy, stored, charged, and never the best.
 */
import type { Db } from '../../engine/store/db.js';
import { ExperimentStore, newExperimentId, type ExperimentStatus, type TrialRecord, type TrialStatus } from '../../engine/store/experiments.js';
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import { isEmptyCellMessage } from '../space/drawn-cell.js';
import { DrawnSpace } from '../space/drawn.js';
import type { Sample, SearchSpace } from '../space/types.js';
import type { Proposal, Strategy } from '../strategies/types.js';
import { parseExperimentConfig, type ExperimentConfig } from './config.js';
import { paretoFront, primary, type Objective } from './objectives.js';
import { isOneShot, oneShotFound, resumeOneShot, runOneShot, type FoundArchitecture, type SupernetEvent } from './one-shot.js';
import { driveParallel } from './parallel.js';
import { driveSimulated } from './simulated-workers.js';
import { configObjectives, defaultDeps, spaceOf, type RunnerDeps } from './registry.js';

/** Consecutive skipped trials after which a search gives up (the constraints exclude too much). */
export const MAX_CONSECUTIVE_SKIPS = 1000;

/** One finished trial, as reported to `onTrial` (and printed by `layerloom search --json`). */
export interface TrialEvent {
  experimentId: string;
  trialId: number;
  seq: number;
  key: string;
  sample: Sample;
  parent: number | null;
  changed: string | null;
  status: TrialStatus;
  /** The primary objective (oriented so larger is better; null unless ok). */
  objective: number | null;
  /** Why the trial failed or was skipped. */
  error: string | null;
  metrics: Record<string, number>;
  costSeconds: number;
  /** Simulated seconds spent so far, this trial included. */
  simulatedSeconds: number;
  bestTrialId: number | null;
}

/** The best trial by objective, with its reported field. */
export interface BestTrial {
  trialId: number;
  key: string;
  objective: number;
  report: number;
  metrics: Record<string, number>;
}

/** Where the runner's time went, in milliseconds, over the trials of this call. */
export interface RunnerTiming {
  trials: number;
  evaluateMs: number;
  strategyMs: number;
  storeMs: number;
  totalMs: number;
}

/** Outcome of `runExperiment` / `resumeExperiment`. */
export interface ExperimentResult {
  id: string;
  status: ExperimentStatus;
  config: ExperimentConfig;
  /** Finished trials in total (all calls). */
  trials: number;
  simulatedSeconds: number;
  best: BestTrial | null;
  /** Non-dominated ok trials, when the experiment has more than one objective. */
  pareto?: ParetoPoint[];
  /** Weight-sharing searches: the found architecture's graph and supernet weights. */
  found?: FoundArchitecture;
  timing: RunnerTiming;
}

/** One trial on the Pareto front. */
export interface ParetoPoint {
  trialId: number;
  arch: string;
  metrics: Record<string, number>;
}

/** Options shared by run and resume. */
export interface DriveOptions {
  db: Db;
  /** Aborting ends the experiment as 'cancelled' (resumable) between trials. */
  signal?: AbortSignal;
  onTrial?: (t: TrialEvent) => void;
  /** Injected space / strategy / evaluator factories (tests); default: the built-in registry. */
  deps?: Partial<RunnerDeps>;
  /**
   * Trials evaluated at once (overrides `config.workers`). Above 1, each runs in a worker
   * process (pool.ts) unless `deps.evaluator` is injected, which then runs in-process.
   */
  workers?: number;
  /** Weight-sharing searches: supernet epochs and per-decision probabilities (one-shot.ts). */
  onSupernet?: (e: SupernetEvent) => void;
}

/** A running experiment: its parts and the counters the drivers update. */
export interface Live {
  id: string;
  config: ExperimentConfig;
  store: ExperimentStore;
  space: SearchSpace;
  strategy: Strategy;
  evaluator: Evaluator;
  trials: number;
  /** Trials counted against `budget.trials` (all but skipped). */
  counted: number;
  simulated: number;
  best: BestTrial | null;
  objectives: Objective[];
}

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

/**
 * Throws a one-line error when candidates of a drawn space fail shape inference, naming the
 * first failures by their decision values (`stem.kernelSize=5,…: node "x": …`). Failures whose
 * message `ignore` accepts are not counted (weight-sharing search skips empty cells itself).
 */
export function assertShapesOk(space: SearchSpace, seed: number, ignore: (message: string) => boolean = () => false): void {
  if (!(space instanceof DrawnSpace)) return;
  const check = space.shapeCheck(seed);
  const failures = check.failures.filter((f) => !ignore(f.message));
  if (failures.length === 0) return;
  const shown = failures.slice(0, 3).map((f) => `[${space.key(f.sample) || '(no decisions)'}] ${f.message.replace(/\s+/g, ' ')}`);
  const more = failures.length > 3 ? `; and ${failures.length - 3} more` : '';
  throw new Error(`search space ${space.name}: ${failures.length} of ${check.checked} checked candidates fail the shape check: ${shown.join('; ')}${more}`);
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
    id: rec.id, config, store, trials: rec.trialsDone, counted: rec.trialsDone - skipped,
    simulated: rec.simulatedSeconds, best: bestRec ? bestFromRecord(bestRec, config.report) : null,
  };
  if (rec.status === 'completed') {
    const pareto = paretoOf(store, rec.id, configObjectives(config));
    const found = isOneShot(config) && live.best ? oneShotFound(opts.db, rec.id, live.best.key) : undefined;
    return { id: rec.id, status: 'completed', config, trials: live.trials, simulatedSeconds: live.simulated, best: live.best, ...(pareto && { pareto }), ...(found && { found }), timing: zeroTiming() };
  }
  if (isOneShot(config)) return resumeOneShot({ ...opts, id: rec.id }, config, live);
  const parts = build(config, opts.deps);
  parts.strategy.restore(rec.strategyState);
  store.claim(rec.id);
  return drive({ ...live, ...parts }, opts);
}

/** Timing counters at zero. */
export function zeroTiming(): RunnerTiming {
  return { trials: 0, evaluateMs: 0, strategyMs: 0, storeMs: 0, totalMs: 0 };
}

async function drive(live: Live, opts: DriveOptions): Promise<ExperimentResult> {
  const { id, config, store } = live;
  const timing = zeroTiming();
  const tStart = performance.now();
  const result = (status: ExperimentStatus): ExperimentResult => {
    timing.totalMs = performance.now() - tStart;
    const pareto = status === 'completed' ? paretoOf(store, id, live.objectives) : undefined;
    return { id, status, config, trials: live.trials, simulatedSeconds: live.simulated, best: live.best, ...(pareto && { pareto }), timing };
  };
  try {
    const workers = opts.workers ?? config.workers ?? 1;
    const pending = store.pending(id);
    // Table lookups with several workers are simulated in simulated-time order, in process.
    const simulate = config.evaluator.spec.startsWith('tabular:') && (workers > 1 || pending.length > 0);
    if (!simulate && workers > 1 && live.strategy.fidelityOf) {
      throw new Error(`strategy "${config.strategy.name}" evaluates at several fidelities, which worker processes do not support: use one worker (--workers 1) or a tabular evaluator`);
    }
    const end = simulate
      ? await driveSimulated(live, opts, timing, workers, pending)
      : workers > 1 || pending.length > 0
        ? await driveParallel(live, opts, timing, workers, pending)
        : await driveSequential(live, opts, timing);
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
  }
}

/** Asks, evaluates and records one trial at a time until the budget is spent (or aborted). */
export async function driveSequential(live: Live, opts: DriveOptions, timing: RunnerTiming): Promise<'completed' | 'cancelled'> {
  const { config, strategy, space, evaluator } = live;
  let skips = 0;
  for (;;) {
    if (config.budget.trials !== undefined && live.counted >= config.budget.trials) break;
    if (skips >= MAX_CONSECUTIVE_SKIPS) break;
    if (opts.signal?.aborted) return 'cancelled';
    const t = performance.now();
    const [p] = strategy.ask(1);
    timing.strategyMs += performance.now() - t;
    if (!p) break; // the strategy has nothing left to propose (e.g. an exhausted small space)
    const key = space.key(p.sample);

    const t0 = performance.now();
    const ev: Evaluation = await evaluateProposal(evaluator, p, key);
    const wallMs = performance.now() - t0;
    timing.evaluateMs += wallMs;
    const status = recordEvaluation(live, opts, timing, p, key, ev, wallMs);
    if (status === 'over-budget') break;
    if (status === 'skipped') skips++;
    else skips = 0;
  }
  return 'completed';
}

/**
 * Evaluates a proposal at its fidelity (multi-fidelity strategies), else at full budget;
 * throws when the evaluator cannot evaluate below full fidelity.
 */
export function evaluateProposal(evaluator: Evaluator, p: Proposal, key: string): Evaluation | Promise<Evaluation> {
  if (p.fidelity === undefined || p.fidelity >= 1) return evaluator.evaluate(key);
  if (!evaluator.evaluateAt) throw new Error(`evaluator ${evaluator.spec} cannot evaluate at fidelity ${p.fidelity} (trial ${p.id}): it only evaluates at full budget`);
  return evaluator.evaluateAt(key, p.fidelity);
}

/**
 * Tells the strategy one finished evaluation and stores the trial with the strategy state in
 * one transaction, then reports it to `onTrial`. Returns the trial's status, or 'over-budget'
 * (nothing told or stored) when its cost does not fit the time budget: the search ends there.
 */
export function recordEvaluation(live: Live, opts: DriveOptions, timing: RunnerTiming, p: Proposal, key: string, ev: Evaluation, wallMs: number): TrialStatus | 'over-budget' {
  const { id, config, store, strategy } = live;
  if (config.budget.seconds !== undefined && live.simulated + ev.costSeconds > config.budget.seconds) return 'over-budget';

  // A non-finite signal (e.g. a diverged training run) is a failed trial, told as null.
  const told = (ev as { status?: TrialStatus }).status;
  const error = (ev as { error?: string }).error ?? null;
  const metrics: Record<string, number> = { ...ev.metrics };
  if (Number.isFinite(ev.signal) || told === undefined) metrics[config.objective.metric] = ev.signal;
  // A low-fidelity evaluation has no reported field: it is never the search's answer.
  const lowFidelity = p.fidelity !== undefined && p.fidelity < 1;
  if (Number.isFinite(ev.report) || (told === undefined && !lowFidelity)) metrics[config.report] = ev.report;
  const value = primary(live.objectives, metrics);
  const status: TrialStatus = told === 'skipped' ? 'skipped' : told !== 'failed' && Number.isFinite(ev.signal) && Number.isFinite(value) ? 'ok' : 'failed';
  const ok = status === 'ok';
  const objective = ok ? value : null;
  let t = performance.now();
  strategy.tell(p.id, objective);
  const state = strategy.state();
  timing.strategyMs += performance.now() - t;

  if (ok && !lowFidelity && (live.best === null || value > live.best.objective)) {
    live.best = { trialId: p.id, key, objective: value, report: ev.report, metrics };
  }
  live.simulated += ev.costSeconds;
  const trial = {
    trialId: p.id,
    seq: live.trials,
    sample: p.sample,
    key,
    status,
    objective,
    metrics,
    parent: p.parent ?? null,
    changed: p.changed ?? null,
    costSeconds: ev.costSeconds,
    wallMs,
    error,
  };
  t = performance.now();
  store.recordTrial(id, { trial, strategyState: state, simulatedSeconds: live.simulated, bestTrial: live.best?.trialId ?? null });
  timing.storeMs += performance.now() - t;
  live.trials++;
  if (status !== 'skipped') live.counted++;
  timing.trials++;
  opts.onTrial?.({ experimentId: id, ...trial, simulatedSeconds: live.simulated, bestTrialId: live.best?.trialId ?? null });
  return status;
}
