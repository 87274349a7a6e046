/**
 * The parallel experiment driver: up to `workers` proposals in flight at once, each evaluated
 * in its own worker process ({@link WorkerPool}), so a trial that crashes its process is
 * recorded as failed and the search goes on.
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
 * Aborting stops at once: in-flight trials stay pending and run again on resume.
 */
import type { PendingTrial } from '../../engine/store/experiments.js';
import type { Evaluation } from '../evaluators/types.js';
import type { Proposal } from '../strategies/types.js';
import { MAX_CONSECUTIVE_SKIPS, recordEvaluation } from './drive.js';
import type { DriveOptions, Live, RunnerTiming } from './types.js';
import { WorkerPool, withWorkerThreads } from './pool.js';

interface Done {
  p: Proposal;
  key: string;
  ev: Evaluation;
  wallMs: number;
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
 * Runs `live` with up to `workers` trials in flight, first re-dispatching `pending` (the
 * proposals in flight when it last stopped). Worker processes are used unless an evaluator
 * is injected through `opts.deps` (tests), or `workers` is 1 (a resume that only drains
 * pending proposals sequentially), which evaluate in this process.
 */
export async function driveParallel(live: Live, opts: DriveOptions, timing: RunnerTiming, workers: number, pending: PendingTrial[]): Promise<'completed' | 'cancelled'> {
  const { id, config, store, strategy, space } = live;
  const pool = workers > 1 && !opts.deps?.evaluator ? new WorkerPool(withWorkerThreads(config, workers), workers) : undefined;
  const evaluate = pool ? (key: string) => pool.evaluate(key) : async (key: string) => live.evaluator.evaluate(key);
  const inflight = new Map<number, Promise<Done>>();
  const start = (p: Proposal) => {
    const key = space.key(p.sample);
    const t0 = performance.now();
    const done = evaluate(key).then((ev) => ({ p, key, ev, wallMs: performance.now() - t0 }));
    done.catch(() => undefined); // rejections surface through nextDone; abandoned ones are dropped
    inflight.set(p.id, done);
  };
  try {
    for (const r of pending) start({ id: r.trialId, sample: r.sample, ...(r.parent !== null && { parent: r.parent }), ...(r.changed !== null && { changed: r.changed }) });
    let skips = 0;
    let exhausted = false;
    const budgetLeft = () => config.budget.trials === undefined || live.counted + inflight.size < config.budget.trials;
    for (;;) {
      const canAsk = !exhausted && skips < MAX_CONSECUTIVE_SKIPS && budgetLeft();
      if (!canAsk && inflight.size === 0) return 'completed';
      if (opts.signal?.aborted) return 'cancelled';
      while (!exhausted && skips < MAX_CONSECUTIVE_SKIPS && inflight.size < workers && budgetLeft()) {
        const t = performance.now();
        const [p] = strategy.ask(1);
        const state = p ? strategy.state() : undefined;
        timing.strategyMs += performance.now() - t;
        if (!p) {
          exhausted = true; // the strategy has nothing left to propose
          break;
        }
        const ts = performance.now();
        store.addPending(id, [{ trialId: p.id, sample: p.sample, parent: p.parent ?? null, changed: p.changed ?? null }], state);
        timing.storeMs += performance.now() - ts;
        start(p);
      }
      if (inflight.size === 0) return 'completed';
      const done = await nextDone(inflight, opts.signal);
      if (!done) return 'cancelled';
      inflight.delete(done.p.id);
      timing.evaluateMs += done.wallMs;
      const status = recordEvaluation(live, opts, timing, done.p, done.key, done.ev, done.wallMs);
      if (status === 'over-budget') return 'completed';
      if (status === 'skipped') skips++;
      else skips = 0;
    }
  } finally {
    pool?.close();
  }
}
