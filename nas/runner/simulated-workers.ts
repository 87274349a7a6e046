/**
 * Simulated asynchronous workers for tabular searches (`--workers N` with `tabular:PATH`), as
 * Syne Tune's simulator backend does (Salinas et al., "Syne Tune: A Library for Large Scale
 * Hyperparameter Tuning and Reproducible Research", AutoML 2022): N workers each hold one
 * trial; a trial started at simulated time t finishes at t + its simulated cost; results are
 * told to the strategy in finishing order, and the freed worker gets the next proposal at
 * that moment. A table lookup takes microseconds, so the whole schedule runs in-process and
 * is deterministic for a seed, unlike real worker processes.
 *
 * The time budget stays the total simulated compute (the sum of the costs of told trials,
 * the same rule as one worker), so 1, 4 and 16 workers spend the same budget and differ only
 * in how stale the strategy's information is when it proposes: the degradation the benchmark
 * measures. The simulated wall clock is reported per trial (`metrics.finishedAt`).
 *
 * Each proposal is persisted as pending before it starts (as the real parallel driver does),
 * so a killed run resumes without losing or duplicating trials; resumed in-flight trials
 * restart at the resume's simulated time zero.
 */
import type { PendingTrial } from '../../engine/store/experiments.js';
import type { Evaluation } from '../evaluators/types.js';
import type { Proposal } from '../strategies/types.js';
import { evaluateProposal, MAX_CONSECUTIVE_SKIPS, recordEvaluation } from './drive.js';
import type { DriveOptions, Live, RunnerTiming } from './types.js';

interface Running {
  p: Proposal;
  key: string;
  ev: Evaluation;
  wallMs: number;
  finish: number;
  /** Start order, to break ties between equal finishing times deterministically. */
  order: number;
}

/** Runs `live` with `workers` simulated workers; `pending` are the trials in flight when it stopped. */
export async function driveSimulated(
  live: Live,
  opts: DriveOptions,
  timing: RunnerTiming,
  workers: number,
  pending: PendingTrial[],
): Promise<'completed' | 'cancelled'> {
  const { id, config, store, strategy, space, evaluator } = live;
  const running: Running[] = [];
  let clock = 0;
  let order = 0;
  const start = async (p: Proposal) => {
    const key = space.key(p.sample);
    const t0 = performance.now();
    const ev = await evaluateProposal(evaluator, p, key);
    const wallMs = performance.now() - t0;
    timing.evaluateMs += wallMs;
    running.push({ p, key, ev, wallMs, finish: clock + ev.costSeconds, order: order++ });
  };
  for (const r of pending) {
    const fidelity = strategy.fidelityOf?.(r.trialId);
    await start({
      id: r.trialId,
      sample: r.sample,
      ...(r.parent !== null && { parent: r.parent }),
      ...(r.changed !== null && { changed: r.changed }),
      ...(fidelity !== undefined && { fidelity }),
    });
  }
  let skips = 0;
  let exhausted = false;
  const budgetLeft = () => config.budget.trials === undefined || live.counted + running.length < config.budget.trials;
  for (;;) {
    if (opts.signal?.aborted) return 'cancelled';
    while (!exhausted && skips < MAX_CONSECUTIVE_SKIPS && running.length < Math.max(workers, 1) && budgetLeft()) {
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
      await start(p);
    }
    if (running.length === 0) return 'completed';
    let next = 0;
    for (let i = 1; i < running.length; i++) {
      const a = running[i];
      const b = running[next];
      if (a.finish < b.finish || (a.finish === b.finish && a.order < b.order)) next = i;
    }
    const done = running.splice(next, 1)[0];
    clock = done.finish;
    const ev = { ...done.ev, metrics: { ...done.ev.metrics, finishedAt: clock } };
    const status = recordEvaluation(live, opts, timing, done.p, done.key, ev, done.wallMs);
    if (status === 'over-budget') return 'completed';
    if (status === 'skipped') skips++;
    else skips = 0;
  }
}
