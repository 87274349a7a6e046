/**
 * A pool of worker processes that evaluate search trials in isolation (worker.ts). Each
 * worker builds the experiment's evaluator once from the stored config and then evaluates one
 * key at a time. A worker that dies mid-trial (process.exit, a signal, an out-of-memory kill)
 * is replaced by a fresh process and its trial is run once more there (a machine hiccup or an
 * out-of-memory kill by a neighbour should not cost the architecture its score); a trial whose
 * worker dies on that second attempt too becomes a `failed` evaluation naming the exit code or
 * signal and both attempts. Workers are killed by `close()` and when the parent
 * process exits; a worker whose parent is gone exits on its own (IPC disconnect).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appPaths } from '../../engine/app-paths.js';
import { threadsPerWorker } from '../../engine/train/onnx-step/threads.js';
import type { Evaluation } from '../evaluators/types.js';
import type { ExperimentConfig } from './config.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

// The launcher that fits the running layout (tsx over sources, or compiled JS in dist/).
const LAUNCHER = appPaths.workerLauncher;

/** Characters of a dead worker's stderr quoted in the trial's error. */
const STDERR_TAIL = 400;

/** A failed evaluation, as the train evaluator reports candidate failures. */
export function failedEvaluation(error: string): Evaluation & { status: 'failed'; error: string } {
  return { status: 'failed', error, signal: NaN, report: NaN, metrics: {}, costSeconds: 0 };
}

/** Attempts a trial gets when its worker dies under it: the first run and one retry. */
export const TRIAL_ATTEMPTS = 2;

/**
 * How the error of a trial lost with its worker begins. Such a failure says nothing about the
 * architecture, so the search never reuses it as a cached result (see trial-cache.ts).
 */
export const LOST_TRIAL_PREFIX = 'trial lost with its worker';

/** The failed evaluation of a trial whose worker died on every attempt. */
export function lostEvaluation(how: string, attempts: number): Evaluation & { status: 'failed'; error: string } {
  return failedEvaluation(`${LOST_TRIAL_PREFIX} ${attempts} time${attempts === 1 ? '' : 's'} (attempt ${attempts} of ${TRIAL_ATTEMPTS}): ${how}`);
}

/** What a pool job evaluates: a key, and optionally the concrete graph to train (queue jobs carry it). */
export interface PoolTrial {
  key: string;
  graph?: unknown;
}

interface Job extends PoolTrial {
  id: number;
  /** Attempts started so far (1 while the first run is in a worker). */
  attempts: number;
  resolve: (e: Evaluation) => void;
  reject: (e: Error) => void;
}

interface Slot {
  child: ChildProcess;
  job: Job | null;
  stderr: string;
}

/**
 * The config each of `workers` trial processes evaluates with: a training evaluator's
 * onnxruntime threads split the machine's cores between the workers (workers × threads ≤
 * cores), unless the config sets a count that fits. Other evaluators are returned as is.
 */
export function withWorkerThreads(config: ExperimentConfig, workers: number, cores?: number): ExperimentConfig {
  if (!/^train(:|$)/.test(config.evaluator.spec)) return config;
  const train = config.evaluator.train ?? {};
  const threads = threadsPerWorker(workers, train.threads, cores);
  return { ...config, evaluator: { ...config.evaluator, train: { ...train, threads } } };
}

/** Evaluates keys in up to `size` worker processes at once; extra requests queue. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJob = 0;
  private closed = false;
  private fatal: Error | null = null;
  private readonly onExit = () => this.close();

  /** `cwd`: the workers' working folder (queue workers: `--data-dir`, where relative dataset paths resolve). */
  constructor(
    private readonly config: ExperimentConfig,
    readonly size: number,
    private readonly spawnOptions: { cwd?: string } = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool size must be an integer >= 1, got ${size}`);
    process.on('exit', this.onExit);
  }

  /**
   * Evaluates one key (or the trial's carried graph) in a worker. A trial whose worker dies
   * runs once more in a fresh worker; dying again resolves to a failed evaluation.
   */
  evaluate(trial: string | PoolTrial): Promise<Evaluation> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    const t = typeof trial === 'string' ? { key: trial } : trial;
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, ...t, attempts: 0, resolve, reject });
      this.dispatch();
    });
  }

  /** Kills every worker; queued and running evaluations are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.onExit);
    const err = new Error('worker pool is closed');
    for (const s of this.slots.splice(0)) {
      s.job?.reject(err);
      s.child.kill('SIGKILL');
    }
    for (const j of this.queue.splice(0)) j.reject(err);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed && !this.fatal) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      job.attempts++;
      slot.child.send({ type: 'eval', job: job.id, key: job.key, ...(job.graph !== undefined && { graph: job.graph }) } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    // 'advanced' serialization keeps NaN (failed trials) that JSON would turn into null.
    const child = fork(LAUNCHER, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      execArgv: [],
      ...(this.spawnOptions.cwd !== undefined && { cwd: this.spawnOptions.cwd }),
    });
    const slot: Slot = { child, job: null, stderr: '' };
    child.stderr!.on('data', (d: Buffer) => (slot.stderr = (slot.stderr + d.toString()).slice(-STDERR_TAIL)));
    child.on('message', (m: FromWorker) => this.onMessage(slot, m));
    child.on('exit', (code, signal) => this.onWorkerExit(slot, code, signal));
    child.on('error', () => undefined); // reported through 'exit'
    child.send({ type: 'init', config: this.config } satisfies ToWorker);
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') return;
    if (m.type === 'init-error') return this.fail(new Error(`search worker: ${m.message}`));
    const job = slot.job;
    if (!job || job.id !== m.job) return;
    slot.job = null;
    if (m.type === 'result') job.resolve(m.evaluation as Evaluation);
    else job.resolve(failedEvaluation(m.message));
    this.dispatch();
  }

  private onWorkerExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // closed
    this.slots.splice(i, 1);
    const job = slot.job;
    if (job) {
      const how = signal ? `killed by signal ${signal}` : `exited with code ${code}`;
      const tail = slot.stderr.trim().split('\n').at(-1)?.trim();
      const what = `worker process ${how} while evaluating this trial${tail ? ` (stderr: ${tail})` : ''}`;
      // Retried first, ahead of queued trials, so the retry is not starved by a long queue.
      if (job.attempts < TRIAL_ATTEMPTS) this.queue.unshift(job);
      else job.resolve(lostEvaluation(what, job.attempts));
    }
    this.dispatch(); // replaces the worker if work is queued
  }

  private fail(e: Error): void {
    this.fatal = e;
    for (const s of this.slots) {
      s.job?.reject(e);
      s.job = null;
    }
    for (const j of this.queue.splice(0)) j.reject(e);
    this.close();
  }
}
