/**
 * The runner's shared types: trial events, results, options and the live experiment the
 * drivers (drive.ts sequential, parallel.ts, one-shot.ts) update. A leaf module, so the
 * drivers and experiment.ts, which picks among them, do not import each other for types.
 */
import type { Db } from '../../engine/store/db.js';
import type { ExperimentStatus, ExperimentStore, TrialStatus } from '../../engine/store/experiments.js';
import type { Evaluator } from '../evaluators/types.js';
import type { Sample, SearchSpace } from '../space/types.js';
import type { OneShotName } from '../strategies/one-shot.js';
import type { Strategy } from '../strategies/types.js';
import type { DecisionTarget } from '../supernet/targets.js';
import type { ExperimentConfig } from './config.js';
import type { Objective } from './objectives.js';
import type { RunnerDeps } from './registry.js';
import type { TrialCache } from './trial-cache.js';

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
  /** The worker that ran it (queue trials: `host:pid`), when known. */
  worker?: string;
}

/**
 * A proposal whose architecture the experiment already evaluated (train evaluator): told the
 * stored result, not trained again, not charged to the budget, not stored as a trial.
 */
export interface CacheHitEvent {
  experimentId: string;
  /** The strategy's id of the repeated proposal. */
  trialId: number;
  key: string;
  /** The stored trial whose result was reused. */
  cachedFrom: number;
  status: TrialStatus;
  objective: number | null;
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
  /** Repeated proposals answered from stored results in this call (train evaluator). */
  cacheHits?: number;
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
  /**
   * Run trials on the BullMQ queue at this Redis URL (`redis://[:PASSWORD@]HOST:PORT[/DB]`,
   * `rediss://` for TLS) instead of local worker processes; `layerloom worker --queue` processes
   * them. `workers` is then the number of trials kept in flight (default 4).
   */
  queue?: string;
  /** A repeated proposal answered from a stored result (train evaluator; see trial-cache.ts). */
  onCacheHit?: (e: CacheHitEvent) => void;
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
  /** Stored results by key, when the experiment reuses them (train evaluator). */
  cache?: TrialCache;
  /** Cache hits in this call. */
  cacheHits?: number;
}

/** The found architecture of a weight-sharing search and its files. */
export interface FoundArchitecture {
  /** Its key (the cell string on `nb201`). */
  arch: string;
  /** The concrete `.loom.json`. */
  graph: string;
  /** Folder of its supernet weights (`last.ckpt`), for `export --weights`. */
  weights: string;
}

/** Progress events of a weight-sharing search. */
export type SupernetEvent =
  | {
      event: 'supernet-epoch';
      experimentId: string;
      strategy: OneShotName;
      epoch: number;
      epochs: number;
      metrics: Record<string, number>;
      /** What the strategy would return now (DARTS, ENAS), else null. */
      derived: string | null;
      seconds: number;
    }
  | {
      event: 'probabilities';
      experimentId: string;
      strategy: OneShotName;
      epoch: number;
      /** Training steps of the search so far. */
      step: number;
      /** Decision -> option (as text) -> probability. */
      choices: Record<string, Record<string, number>>;
      /** Decision -> where it sits on the canvas. */
      targets: Record<string, DecisionTarget[]>;
    };
