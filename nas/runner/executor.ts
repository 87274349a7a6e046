/**
 * Where a search's trials run. Every driver asks a {@link TrialExecutor} to evaluate a trial
 * and tells the strategy what comes back, so the strategies never see whether a trial ran in
 * this process, in a local worker process (pool.ts) or on a machine behind a BullMQ queue
 * (queue/queue-executor.ts). The experiment's SQLite database stays the only source of truth:
 * executors hand results back, the driver records them.
 */
import type { Evaluation, Evaluator } from '../evaluators/types.js';
import type { ExperimentConfig } from './config.js';
import { WorkerPool, withWorkerThreads } from './pool.js';

/** One trial to evaluate. */
export interface TrialRequest {
  trialId: number;
  /** The candidate's canonical key in the experiment's space. */
  key: string;
}

/** What came back for a trial. */
export interface TrialOutcome {
  evaluation: Evaluation;
  /** Which worker ran it (`host:pid` for queue workers), when known. */
  worker?: string;
  /** The attempt that produced it (1 = first run), when the executor retries lost trials. */
  attempt?: number;
}

/** Runs trials somewhere and resolves with their evaluations. */
export interface TrialExecutor {
  /** Trials the driver keeps in flight at once. */
  readonly slots: number;
  /** Where trials run, for messages (`this process`, `2 local worker processes`, a redacted queue URL). */
  readonly where: string;
  run(trial: TrialRequest): Promise<TrialOutcome>;
  /** The driver has stored this trial's result: whatever the executor keeps for it may go. */
  recorded?(trialId: number): void;
  /** Frees workers and connections; trials still in flight are abandoned (they stay pending in the store). */
  close(): Promise<void>;
}

/** Evaluates trials in this process, one call at a time per trial (tests, sequential drains). */
export class InProcessExecutor implements TrialExecutor {
  readonly where = 'this process';

  constructor(
    private readonly evaluator: Evaluator,
    readonly slots: number,
  ) {}

  async run(trial: TrialRequest): Promise<TrialOutcome> {
    return { evaluation: await this.evaluator.evaluate(trial.key) };
  }

  async close(): Promise<void> {}
}

/** Evaluates trials in local worker processes ({@link WorkerPool}); a trial lost with its worker is retried once. */
export class LocalProcessExecutor implements TrialExecutor {
  private readonly pool: WorkerPool;
  readonly where: string;

  constructor(
    config: ExperimentConfig,
    readonly slots: number,
  ) {
    this.pool = new WorkerPool(withWorkerThreads(config, slots), slots);
    this.where = `${slots} local worker process${slots === 1 ? '' : 'es'}`;
  }

  async run(trial: TrialRequest): Promise<TrialOutcome> {
    return { evaluation: await this.pool.evaluate(trial.key) };
  }

  async close(): Promise<void> {
    this.pool.close();
  }
}
