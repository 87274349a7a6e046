/**
 * The coordinator's side of the trial queue: a {@link TrialExecutor} that enqueues each trial
 * as a BullMQ job and resolves when a worker (`layerloom worker --queue …`) returns its result.
 *
 * - One job per (experiment, trial): the job id is derived from both, so a resume that enqueues
 *   a pending trial again reattaches to the job that is still waiting, running or already done
 *   while the coordinator was away; a finished job is read back, never run again.
 * - Results are taken once per trial: a second delivery of the same job (a re-run after a
 *   stall whose first run still finished) finds no waiter and is ignored; the driver records
 *   the trial once in SQLite, the only source of truth. The job is deleted from Redis only after
 *   the trial is stored (`recorded`), so a coordinator killed in between finds it on resume.
 * - A job whose worker died is re-queued once by BullMQ's stalled-job check (`maxStalledCount`
 *   1 on the workers); stalling again fails it, and it is recorded as a trial lost with its
 *   worker. Results arrive through QueueEvents; a poll every {@link POLL_MS} reads the jobs'
 *   states too, so results are not missed across a Redis restart, and a job Redis lost (a restart
 *   without its append-only file) is enqueued again.
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SearchSpace } from '../../space/types.js';
import type { ExperimentConfig } from '../config.js';
import type { TrialExecutor, TrialOutcome, TrialRequest } from '../executor.js';
import { failedEvaluation, lostEvaluation, TRIAL_ATTEMPTS } from '../pool.js';
import { canMaterialize } from '../registry.js';
import { reusesResults } from '../trial-cache.js';
import { connectRedis, parseQueueUrl, QUEUE_NAME } from './connection.js';
import { decodeEvaluation, JOB_FORMAT, jobIdOf, trialResultSchema, zodProblem, type TrialJob } from './jobs.js';

/** How long closing waits to withdraw unstarted jobs (Redis may be away). */
const WITHDRAW_MS = 2000;

/** How often in-flight jobs' states are read besides the completion events. */
export const POLL_MS = 2000;

/** Options of {@link QueueExecutor.connect}. */
export interface QueueExecutorOptions {
  url: string;
  experimentId: string;
  config: ExperimentConfig;
  space: SearchSpace;
  /** Trials kept in flight. */
  slots: number;
  /** Where connection trouble is reported (default: stderr). */
  log?: (line: string) => void;
}

interface Waiter {
  request: TrialRequest;
  resolve: (o: TrialOutcome) => void;
}

/** Runs trials on BullMQ workers over Redis. */
export class QueueExecutor implements TrialExecutor {
  readonly where: string;
  private readonly waiters = new Map<string, Waiter>();
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  private constructor(
    private readonly opts: QueueExecutorOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly connections: Redis[],
    redacted: string,
  ) {
    this.where = `the queue at ${redacted}`;
    events.on('completed', ({ jobId, returnvalue }) => this.settleCompleted(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.settleFailed(jobId, failedReason));
    this.poller = setInterval(() => void this.poll(), POLL_MS);
  }

  get slots(): number {
    return this.opts.slots;
  }

  /** Connects to the queue (waiting while Redis is unreachable, with messages) and returns the executor. */
  static async connect(opts: QueueExecutorOptions): Promise<QueueExecutor> {
    const target = parseQueueUrl(opts.url);
    const log = opts.log ?? ((l: string) => process.stderr.write(`search: ${l}\n`));
    const conns = [connectRedis(target, log), connectRedis(target, log)];
    const queue = new Queue(QUEUE_NAME, { connection: conns[0] });
    const events = new QueueEvents(QUEUE_NAME, { connection: conns[1] });
    queue.on('error', () => undefined); // connection trouble is reported by connectRedis
    events.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueExecutor({ ...opts, log }, queue, events, conns, target.redacted);
  }

  run(request: TrialRequest): Promise<TrialOutcome> {
    if (this.closed) return Promise.reject(new Error('queue executor is closed'));
    const jobId = jobIdOf(this.opts.experimentId, request.trialId);
    return new Promise<TrialOutcome>((resolve, reject) => {
      this.waiters.set(jobId, { request, resolve });
      this.enqueue(jobId, request).then(
        () => void this.check(jobId), // it may have finished before the events stream was read
        (e: unknown) => (this.waiters.delete(jobId), reject(e as Error)),
      );
    });
  }

  /** The trial is stored: its job can go (a failed delete is harmless; the job is keyed by trial). */
  recorded(trialId: number): void {
    void this.queue.remove(jobIdOf(this.opts.experimentId, trialId)).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    // Trials abandoned in flight (a stop, or a time budget spent) stay pending in the store; their
    // jobs that no worker took yet are withdrawn so no machine trains them for nothing (a resume
    // enqueues them again). Running ones (locked) finish and are read back by a resume.
    const abandoned = [...this.waiters.keys()];
    this.waiters.clear();
    const withdraw = Promise.allSettled(abandoned.map((id) => this.queue.remove(id)));
    await Promise.race([withdraw, new Promise((res) => setTimeout(res, WITHDRAW_MS).unref())]);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    for (const c of this.connections) c.disconnect();
  }

  /** Adds the trial's job; an existing job with that id (a resume) is kept as it is. */
  private async enqueue(jobId: string, request: TrialRequest): Promise<void> {
    const { space, config, experimentId } = this.opts;
    // Trained trials carry their concrete graph; a table looks the key up (and scores cells whose
    // graph would not validate, such as disconnected NB201 cells), so it needs none.
    const trains = reusesResults(config);
    const graph = trains && canMaterialize(space) ? (space.materialize(space.fromKey(request.key)) as unknown as Record<string, unknown>) : undefined;
    const data: TrialJob = {
      v: JOB_FORMAT,
      experimentId,
      trialId: request.trialId,
      key: request.key,
      config: config as unknown as Record<string, unknown>,
      ...(graph && { graph }),
    };
    await this.queue.add('trial', data, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
  }

  private settleCompleted(jobId: string, returnvalue: unknown): void {
    const w = this.waiters.get(jobId);
    if (!w) return; // another experiment's job, or a second delivery of one already taken
    this.waiters.delete(jobId);
    let raw = returnvalue;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch {
        /* reported below */
      }
    }
    const r = trialResultSchema.safeParse(raw);
    if (!r.success) return w.resolve({ evaluation: failedEvaluation(`queue: the result of job ${jobId} is malformed (${zodProblem(r.error)})`) });
    w.resolve({ evaluation: decodeEvaluation(r.data.evaluation), worker: r.data.worker, attempt: r.data.attempt });
  }

  private settleFailed(jobId: string, reason: string | undefined): void {
    const w = this.waiters.get(jobId);
    if (!w) return;
    this.waiters.delete(jobId);
    const why = reason ?? 'no reason given';
    const lost = /stalled/i.test(why);
    w.resolve({
      evaluation: lost
        ? lostEvaluation(`its queue worker stopped answering (${why})`, TRIAL_ATTEMPTS)
        : failedEvaluation(`queue worker failed the trial: ${why}`),
    });
  }

  /** Reads one in-flight job's state: settles finished ones, re-enqueues one Redis lost. */
  private async check(jobId: string): Promise<void> {
    const w = this.waiters.get(jobId);
    if (!w || this.closed) return;
    const job = await Job.fromId(this.queue, jobId);
    if (!job) {
      if (this.waiters.has(jobId)) await this.enqueue(jobId, w.request);
      return;
    }
    if (job.finishedOn === undefined) return;
    if (job.failedReason) this.settleFailed(jobId, job.failedReason);
    else this.settleCompleted(jobId, job.returnvalue);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      for (const jobId of [...this.waiters.keys()]) await this.check(jobId);
    } catch {
      // Redis is away: connectRedis reports it; the next poll tries again.
    } finally {
      this.polling = false;
    }
  }
}
