/**
 * The parallel experiment driver: up to `executor.slots` proposals in flight at once, each
 * evaluated by a {@link TrialExecutor} (local worker processes, so a trial that crashes its
 * process is retried once and then recorded as failed; or a BullMQ queue served by other
 * machines).
 *
 * Proposals are asked one at a time as slots free (`strategy.ask(1)`), and each is persisted
 * (pending_trials row + the strategy state after the ask, one transaction) before it is
 * dispatched. Results are told in completion order; each finished trial, the removal of its
 * pending row and the strategy state after the tell are written in one transaction, as in the
 * sequential runner. A killed or cancelled run therefore leaves exactly its in-flight
 * proposals in the store, and a resume re-runs those (same trial ids and samples; the
 * restored strategy state still has them pending) before asking for more: no trial is lost
 * or duplicated.
 *
 * Parallel runs are not bit-reproducible across runs: the completion order decides the `seq`
 * of trials and the order in which the strategy is told, and so what evolution or REINFORCE
 * propose next. Use `workers: 1` (the sequential driver) for reproducible searches.
 *
 * Budgets: a trial budget counts in-flight trials against it (none is started that could
 * exceed it; skipped trials free their slot). A time budget ends the search at the first
 * result whose cost does not fit; that result and the others still in flight are dropped.
 * Aborting stops at once: in-flight trials stay pending and run again on resume (a queue
 * executor reattaches to their jobs instead: finished ones are not run again).
 *
 * With the train evaluator a proposal whose architecture is already stored, or in flight, is
 * not trained again (trial-cache.ts): it is told that result and not charged to the budget.
 */
import type { PendingTrial } from '../../engine/store/experiments.js';
import type { Evaluation } from '../evaluators/types.js';
import type { Proposal } from '../strategies/types.js';
import { MAX_CONSECUTIVE_SKIPS, recordCacheHit, recordEvaluation } from './drive.js';
import type { TrialExecutor } from './executor.js';
import type { DriveOptions, Live, RunnerTiming } from './types.js';

interface Done {
  p: Proposal;
  key: string;
  ev: Evaluation;
  wallMs: number;
  worker?: string;
  /** Waited on another in-flight proposal of the same architecture instead of running. */
  follower: boolean;
}

/** Resolves with the first settled in-flight trial, or null when `signal` aborts first. */
function nextDone(inflight: Map<number, Promise<Done>>, signal: AbortSignal | undefined): Promise<Done | null> {
  const first = Promise.race(inflight.values());
  if (!signal) return first;
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    first.then(
      (d) => (signal.removeEventListener('abort', onAbort), resolve(d)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e as Error)),
    );
  });
}

/**
 * Runs `live` with up to `executor.slots` trials in flight, first re-dispatching `pending`
 * (the proposals in flight when it last stopped).
 */
export async function driveParallel(
  live: Live,
  opts: DriveOptions,
  timing: RunnerTiming,
  executor: TrialExecutor,
  pending: PendingTrial[],
): Promise<'completed' | 'cancelled'> {
  const { id, config, store, strategy, space } = live;
  const slots = executor.slots;
  const inflight = new Map<number, Promise<Done>>();
  // The in-flight run of each architecture, so a repeat waits for it instead of training again.
  const running = new Map<string, Promise<Done>>();
  let skips = 0;
  /** Dispatches a persisted proposal; false when a stored result answered it at once. */
  const start = (p: Proposal): boolean => {
    const key = space.key(p.sample);
    const hit = live.cache?.get(key);
    if (hit) {
      recordCacheHit(live, opts, timing, p, key, hit, true);
      return false;
    }
    const leader = live.cache ? running.get(key) : undefined;
    const t0 = performance.now();
    const done = leader
      ? leader.then((d) => ({ ...d, p, wallMs: performance.now() - t0, follower: true }))
      : executor
          .run({ trialId: p.id, key })
          .then((o) => ({ p, key, ev: o.evaluation, wallMs: performance.now() - t0, follower: false, ...(o.worker !== undefined && { worker: o.worker }) }));
    done.catch(() => undefined); // rejections surface through nextDone; abandoned ones are dropped
    inflight.set(p.id, done);
    if (!leader) running.set(key, done);
    return true;
  };
  for (const r of pending) {
    if (!start({ id: r.trialId, sample: r.sample, ...(r.parent !== null && { parent: r.parent }), ...(r.changed !== null && { changed: r.changed }) })) skips++;
  }
  let exhausted = false;
  const budgetLeft = () => config.budget.trials === undefined || live.counted + inflight.size < config.budget.trials;
  for (;;) {
    const canAsk = !exhausted && skips < MAX_CONSECUTIVE_SKIPS && budgetLeft();
    if (!canAsk && inflight.size === 0) return 'completed';
    if (opts.signal?.aborted) return 'cancelled';
    while (!exhausted && skips < MAX_CONSECUTIVE_SKIPS && inflight.size < slots && budgetLeft()) {
      const t = performance.now();
      const [p] = strategy.ask(1);
      timing.strategyMs += performance.now() - t;
      if (!p) {
        exhausted = true; // the strategy has nothing left to propose
        break;
      }
      const key = space.key(p.sample);
      const hit = live.cache?.get(key);
      if (hit) {
        recordCacheHit(live, opts, timing, p, key, hit, false);
        skips++; // not charged: the skip limit ends a search that only repeats
        continue;
      }
      const state = strategy.state();
      const ts = performance.now();
      store.addPending(id, [{ trialId: p.id, sample: p.sample, parent: p.parent ?? null, changed: p.changed ?? null }], state);
      timing.storeMs += performance.now() - ts;
      start(p);
    }
    if (inflight.size === 0) return 'completed';
    const done = await nextDone(inflight, opts.signal);
    if (!done) return 'cancelled';
    inflight.delete(done.p.id);
    if (running.get(done.key) && !done.follower) running.delete(done.key);
    const hit = done.follower ? live.cache?.get(done.key) : undefined;
    if (hit) {
      recordCacheHit(live, opts, timing, done.p, done.key, hit, true);
      skips++;
      continue;
    }
    timing.evaluateMs += done.wallMs;
    const status = recordEvaluation(live, opts, timing, done.p, done.key, done.ev, done.wallMs, done.worker);
    if (!done.follower) executor.recorded?.(done.p.id);
    if (status === 'over-budget') return 'completed';
    if (status === 'skipped') skips++;
    else skips = 0;
  }
}
