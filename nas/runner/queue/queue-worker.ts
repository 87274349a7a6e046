/**
 * The worker's side of the trial queue (`layerloom worker --queue URL`): a BullMQ worker that
 * takes trial jobs, checks them and runs each in a local worker process (pool.ts, one pool per
 * experiment with `concurrency` processes), then returns the result through the queue.
 *
 * Before anything runs a job is validated with zod (format version, ids, the experiment config
 * with its own schema) and its concrete graph with the engine's validator: a job that fails is
 * refused (the trial fails with the reason, naming the node for a bad graph), and a dataset file
 * missing here fails the trial naming the file and this worker. A worker killed mid-trial stops
 * renewing its job's lock; after `stallSeconds` another worker's stalled check puts the job back
 * in the queue once (BullMQ `maxStalledCount` 1), and a second loss fails it.
 */
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { parseDocument } from '../../../engine/graph/load.js';
import { validateDocument } from '../../../engine/graph/validate.js';
import { parseExperimentConfig, type ExperimentConfig } from '../config.js';
import { failedEvaluation, WorkerPool } from '../pool.js';
import { connectRedis, parseQueueUrl, QUEUE_NAME } from './connection.js';
import { missingDatasetFile } from './dataset-files.js';
import { encodeEvaluation, JOB_FORMAT, trialJobSchema, zodProblem, type TrialJob, type TrialResult } from './jobs.js';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  url: string;
  /** Trials run at once (each in its own process). */
  concurrency: number;
  /** onnxruntime intra-op threads per trial (unset: the trainer's default). */
  threads?: number;
  /** Where relative dataset paths resolve (default: the current folder). */
  dataDir?: string;
  /** Seconds without a lock renewal before a trial counts as lost with its worker (default 30). */
  stallSeconds?: number;
  /** This worker's name in results and messages (default `host:pid`). */
  name?: string;
  log: (line: string) => void;
  /** Called when a trial starts here (the CLI's `--json` lines). */
  onStart?: (t: { experimentId: string; trialId: number; attempt: number }) => void;
  /** Called with each result as it is returned (the CLI's `--json` lines). */
  onResult?: (r: TrialResult) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  readonly name: string;
  /** Stops taking trials; waits for those in hand unless `force`. */
  close(force?: boolean): Promise<void>;
}

/** Experiments whose worker pools are kept warm at once. */
const POOLS_KEPT = 2;

/** Starts a worker; resolves once it is connected and waiting for jobs. */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const target = parseQueueUrl(opts.url);
  const name = opts.name ?? `${os.hostname()}:${process.pid}`;
  const dataDir = path.resolve(opts.dataDir ?? '.');
  const pools = new Map<string, WorkerPool>();
  const poolFor = (experimentId: string, config: ExperimentConfig): WorkerPool => {
    let pool = pools.get(experimentId);
    if (!pool) {
      // --threads is this machine's choice: it overrides the experiment's, for training trials only.
      const isTrain = config.evaluator.spec === 'train' || config.evaluator.spec.startsWith('train:');
      const local =
        opts.threads === undefined || !isTrain
          ? config
          : { ...config, evaluator: { ...config.evaluator, train: { ...config.evaluator.train, threads: opts.threads } } };
      pool = new WorkerPool(local, opts.concurrency, { cwd: dataDir });
      pools.set(experimentId, pool);
      for (const [id, p] of pools) {
        if (pools.size <= POOLS_KEPT || id === experimentId) continue;
        p.close();
        pools.delete(id);
      }
    }
    return pool;
  };

  const processJob = async (job: Job): Promise<TrialResult> => {
    const t0 = performance.now();
    const parsed = trialJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`worker ${name} refused job ${job.id}: ${zodProblem(parsed.error)}`);
    const data: TrialJob = parsed.data;
    let config: ExperimentConfig;
    try {
      config = parseExperimentConfig(data.config, `job ${job.id}: experiment config`);
    } catch (e) {
      throw new UnrecoverableError(`worker ${name} refused ${(e as Error).message}`);
    }
    // BullMQ counts every start, the re-run after a stall included.
    const attempt = Math.max(1, job.attemptsStarted ?? 1);
    const result = (evaluation: Parameters<typeof encodeEvaluation>[0]): TrialResult => ({
      v: JOB_FORMAT,
      experimentId: data.experimentId,
      trialId: data.trialId,
      attempt,
      worker: name,
      evaluation: encodeEvaluation(evaluation),
      runMs: performance.now() - t0,
    });
    if (data.graph !== undefined) {
      try {
        validateDocument(parseDocument(data.graph));
      } catch (e) {
        return result(failedEvaluation(`worker ${name} refused trial ${data.trialId}: its graph fails validation: ${(e as Error).message}`));
      }
    }
    const spec =
      config.evaluator.train?.dataset ??
      (config.evaluator.spec.startsWith('train:') ? config.evaluator.spec.slice(6) : undefined) ??
      (data.graph as { training?: { dataset?: string } } | undefined)?.training?.dataset;
    const missing = spec === undefined ? undefined : missingDatasetFile(spec, dataDir);
    if (missing)
      return result(
        failedEvaluation(
          `worker ${name}: dataset file ${missing} (of "${spec}") does not exist on this worker; copy it there or start the worker with --data-dir pointing at the folder that has it`,
        ),
      );
    opts.onStart?.({ experimentId: data.experimentId, trialId: data.trialId, attempt });
    const evaluation = await poolFor(data.experimentId, config).evaluate({ key: data.key, ...(data.graph !== undefined && { graph: data.graph }) });
    const r = result(evaluation);
    opts.onResult?.(r);
    return r;
  };

  const stallMs = Math.round((opts.stallSeconds ?? 30) * 1000);
  // BullMQ leaves a connection it was given open: closed below with the worker.
  const connection = connectRedis(target, opts.log);
  const worker = new Worker(QUEUE_NAME, processJob, {
    connection,
    concurrency: opts.concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: 1,
    autorun: false,
  });
  worker.on('error', () => undefined); // connection trouble is reported by connectRedis
  worker.on('failed', (job, err) => opts.log(`trial job ${job?.id ?? '?'} failed: ${err.message}`));
  void worker.run();
  await worker.waitUntilReady();
  opts.log(`worker ${name} waiting for trials on ${target.redacted} (${opts.concurrency} at once, data in ${dataDir})`);
  return {
    name,
    async close(force = false) {
      await worker.close(force);
      for (const p of pools.values()) p.close();
      pools.clear();
      connection.disconnect();
    },
  };
}
