/**
 * Results an experiment already has, by architecture key, so a search with the `train`
 * evaluator never trains the same architecture twice: evolution's mutations and REINFORCE's
 * samples often land on an architecture already trained, and re-training it only spends budget
 * on noise. A repeated proposal is told the stored objective, recorded as a cache hit (an event,
 * no trial row) and not charged to the budget.
 *
 * Tabular benchmarks (NAS-Bench-201) keep their published protocol, where every query is charged
 * even when repeated, so their figures stay comparable with the papers: no cache there. Nor for
 * the supernet evaluator, whose scores change as its weights do. A trial that failed because its
 * worker was lost says nothing about the architecture and is not reused.
 */
import type { TrialRecord, TrialStatus } from '../../engine/store/experiments.js';
import type { ExperimentConfig } from './config.js';
import { LOST_TRIAL_PREFIX } from './pool.js';

/** A stored result a repeated proposal reuses. */
export interface CachedResult {
  trialId: number;
  status: TrialStatus;
  objective: number | null;
}

/** Whether an experiment reuses results of architectures it already evaluated. */
export function reusesResults(config: ExperimentConfig): boolean {
  return config.evaluator.spec === 'train' || config.evaluator.spec.startsWith('train:');
}

/** Finished trials by key. */
export class TrialCache {
  private readonly byKey = new Map<string, CachedResult>();

  constructor(trials: readonly Pick<TrialRecord, 'trialId' | 'key' | 'status' | 'objective' | 'error'>[] = []) {
    for (const t of trials) this.add(t);
  }

  /** Remembers a finished trial (the first result of a key wins; lost trials are ignored). */
  add(t: Pick<TrialRecord, 'trialId' | 'key' | 'status' | 'objective' | 'error'>): void {
    if (t.error?.startsWith(LOST_TRIAL_PREFIX) || this.byKey.has(t.key)) return;
    this.byKey.set(t.key, { trialId: t.trialId, status: t.status, objective: t.objective });
  }

  get(key: string): CachedResult | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}
