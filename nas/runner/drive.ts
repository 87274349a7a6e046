/**
 * The sequential driver and what every driver shares: the shape check before a drawn space
 * is searched, and recording one finished evaluation (tell + one SQLite transaction).
 */
import type { TrialStatus } from '../../engine/store/experiments.js';
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import { DrawnSpace } from '../space/drawn.js';
import type { SearchSpace } from '../space/types.js';
import type { Proposal } from '../strategies/types.js';
import { primary } from './objectives.js';
import type { CachedResult } from './trial-cache.js';
import type { DriveOptions, Live, RunnerTiming } from './types.js';

/** Consecutive skipped trials after which a search gives up (the constraints exclude too much). */
export const MAX_CONSECUTIVE_SKIPS = 1000;

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

/** Timing counters at zero. */
export function zeroTiming(): RunnerTiming {
  return { trials: 0, evaluateMs: 0, strategyMs: 0, storeMs: 0, totalMs: 0 };
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
    const hit = live.cache?.get(key);
    if (hit) {
      // Not charged to the budget: the consecutive-skip limit ends a search that only repeats.
      recordCacheHit(live, opts, timing, p, key, hit, false);
      skips++;
      continue;
    }

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
  if (!evaluator.evaluateAt)
    throw new Error(`evaluator ${evaluator.spec} cannot evaluate at fidelity ${p.fidelity} (trial ${p.id}): it only evaluates at full budget`);
  return evaluator.evaluateAt(key, p.fidelity);
}

/**
 * Tells the strategy one finished evaluation and stores the trial with the strategy state in
 * one transaction, then reports it to `onTrial`. Returns the trial's status, or 'over-budget'
 * (nothing told or stored) when its cost does not fit the time budget: the search ends there.
 */
export function recordEvaluation(
  live: Live,
  opts: DriveOptions,
  timing: RunnerTiming,
  p: Proposal,
  key: string,
  ev: Evaluation,
  wallMs: number,
  worker?: string,
): TrialStatus | 'over-budget' {
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
  live.cache?.add(trial);
  live.trials++;
  if (status !== 'skipped') live.counted++;
  timing.trials++;
  opts.onTrial?.({
    experimentId: id,
    ...trial,
    simulatedSeconds: live.simulated,
    bestTrialId: live.best?.trialId ?? null,
    ...(worker !== undefined && { worker }),
  });
  return status;
}

/**
 * Tells the strategy a stored result for a repeated proposal and stores the strategy state
 * after it (dropping the proposal's pending row when it had one), without a trial row: the
 * budget is not charged. Reported through `onCacheHit`.
 */
export function recordCacheHit(live: Live, opts: DriveOptions, timing: RunnerTiming, p: Proposal, key: string, hit: CachedResult, pending: boolean): void {
  const { id, store, strategy } = live;
  let t = performance.now();
  strategy.tell(p.id, hit.status === 'ok' ? hit.objective : null);
  const state = strategy.state();
  timing.strategyMs += performance.now() - t;
  t = performance.now();
  if (pending) store.dropPending(id, p.id, state);
  else store.saveStrategyState(id, state);
  timing.storeMs += performance.now() - t;
  live.cacheHits = (live.cacheHits ?? 0) + 1;
  opts.onCacheHit?.({ experimentId: id, trialId: p.id, key, cachedFrom: hit.trialId, status: hit.status, objective: hit.objective });
}
