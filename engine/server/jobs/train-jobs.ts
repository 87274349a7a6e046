/**
 * The engine's training jobs: each run trains in its own child process (job-process.ts),
 * owned by the server, not by a connection.
 *
 * Why a process per job rather than in the server process: training is long, CPU-bound work
 * in native code (onnxruntime, tf.js wasm) whose synchronous steps would stall every other
 * request, and a native crash or an out-of-memory kill would take the server — and every
 * open designer — down with it. In a child process the server stays responsive, a crash
 * costs one run (marked interrupted, resumable from its last checkpoint), and Stop has a
 * hard fallback (SIGKILL). The price is ~1 s of process start per run. The process talks
 * over IPC with structured messages (the CLI's `train --json` stream would do for events,
 * but not for the end-of-run report or typed errors).
 *
 * Events are kept per job (batch events thinned, see event-log.ts), so `watch` replays a run
 * to a late subscriber; finished jobs stay in memory for a while, older runs are replayed
 * from SQLite.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appPaths } from '../../app-paths.js';
import { graphCost, inferShapes } from '../../graph/infer.js';
import { loadGraphFromText } from '../../graph/load.js';
import { assertFitsMemory, estimateTrainingMemory, memoryInputs } from '../../graph/memory.js';
import type { ExportJobOptions, ExportJobResult } from '../../jobs/export-job.js';
import { newRunId, type BackendChoice } from '../../jobs/train-job.js';
import { withRunStore, type RunStatus, type RunStore } from '../../store/runs.js';
import { trainingConfigSchema } from '../../train/config.js';
import { CallError } from '../dispatcher.js';
import type { ErrorInfo } from '../protocol/index.js';
import type { TrainEventOut } from '../protocol/train.js';
import { childExecArgv } from '../../util/deep-stack.js';
import { EventLog } from './event-log.js';
import type { FromJob, ToJob, TrainJobSpec } from './messages.js';
import { storedRunEvents } from './stored-events.js';

// The launcher that fits the running layout (tsx over sources, or compiled JS in dist/).
const LAUNCHER = appPaths.jobLauncher;
/** Finished jobs whose full event log is kept for late watchers. */
const KEEP_FINISHED = 20;
/** How long a stopped job may take to wind down before it is killed. */
const STOP_GRACE_MS = 15_000;
/** Characters of a dead job's log read for its error. */
const STDERR_TAIL = 400;

/** One job as the manager tracks it. */
interface Job {
  runId: string;
  project: string;
  resumed: boolean;
  startedAt: number;
  status: 'starting' | 'running' | 'stopping';
  epoch: number;
  epochs: number | null;
  child: ChildProcess;
  log: EventLog<TrainEventOut, RunStatus>;
}

/** Options of a new run. */
export interface StartOptions {
  text: string;
  project?: string;
  overrides?: TrainJobSpec['overrides'];
  backend: BackendChoice;
}

/** The end status of a training event stream. */
function statusOf(e: TrainEventOut): RunStatus | null {
  if (e.event === 'done') return e.status;
  if (e.event === 'failed') return 'failed';
  if (e.event === 'interrupted') return 'interrupted';
  return null;
}

/** Where a job's stderr goes: `DATA_DIR/logs/<kind>-<runId>.log`. */
export function jobLogFile(dataDir: string, kind: 'train' | 'export', runId: string): string {
  return path.join(dataDir, 'logs', `${kind}-${runId}.log`);
}

/**
 * Spawns a job process talking over IPC, its stderr appended to `logFile` (a file, not a
 * pipe: the server holds no handle of the child's, so jobs never keep it alive). `stderr()`
 * reads the log's tail for error messages.
 */
function spawnJob(logFile: string): { child: ChildProcess; stderr: () => string } {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = fork(LAUNCHER, [], { stdio: ['ignore', 'ignore', fd, 'ipc'], execArgv: childExecArgv() });
  } finally {
    fs.closeSync(fd);
  }
  child.unref();
  child.channel?.unref();
  child.on('error', () => undefined); // reported through 'exit'
  const stderr = () => {
    try {
      return fs.readFileSync(logFile, 'utf8').slice(-STDERR_TAIL);
    } catch {
      return '';
    }
  };
  return { child, stderr };
}

/** How a job process ended, in words, with the last line it wrote when it failed with an error. */
function howItEnded(what: string, code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (signal) return `the ${what} process was killed by ${signal}`;
  const last = stderr.trim().split('\n').at(-1)?.trim();
  return `the ${what} process exited with code ${code}${last ? ` (${last})` : ''}`;
}

/** Runs training (and export) jobs for one engine data folder. */
export class TrainJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly finished: string[] = [];
  private readonly children = new Set<ChildProcess>();
  /** The server is exiting: each job marks its run interrupted and stops (SIGTERM, see job-process.ts). */
  private readonly onExit = () => {
    for (const c of this.children) c.kill('SIGTERM');
  };

  constructor(
    private readonly dataDir: string,
    private readonly onJobEnd: (runId: string, status: RunStatus) => void = () => undefined,
  ) {
    // Runs left 'running' by a process that is gone (a killed engine) become 'interrupted'.
    this.withStore(() => undefined);
    process.on('exit', this.onExit);
  }

  /** Validates the document and settings, then starts a new run; returns its id at once. */
  start(opts: StartOptions): string {
    const graph = loadGraphFromText(opts.text);
    const shapes = inferShapes(graph);
    const overrides = Object.fromEntries(Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined));
    const config = trainingConfigSchema.safeParse({ ...(graph.doc.training ?? {}), ...overrides });
    if (!config.success) {
      const issue = config.error.issues[0];
      const field = `training.${issue.path.join('.')}`;
      throw new CallError('bad-params', `${field}: ${issue.message}`, { field });
    }
    if (!config.data.dataset)
      throw new CallError('bad-params', 'no dataset: choose one in the training settings (training.dataset)', { field: 'training.dataset' });
    // Refused here, on its node, rather than in the job's initializer (the job checks again).
    assertFitsMemory(
      estimateTrainingMemory(memoryInputs(graph, shapes, graphCost(graph, shapes).perNode), {
        batchSize: config.data.batchSize,
        optimizer: config.data.optimizer.name,
      }),
      os.totalmem(),
    );
    const runId = newRunId();
    const project = opts.project ?? graph.doc.name ?? 'untitled';
    this.launch(runId, project, false, { text: opts.text, project, runId, overrides: opts.overrides, backend: opts.backend, dataDir: this.dataDir });
    return runId;
  }

  /** Continues a stopped or interrupted run from its last checkpoint. */
  resume(runId: string, backend: BackendChoice): string {
    if (this.jobs.get(runId)?.log.ended === null) throw new CallError('bad-params', `run "${runId}" is training already`, { field: 'runId' });
    const run = this.withStore((s) => s.get(runId));
    if (!run) throw this.notFound(runId);
    if (run.status === 'completed' || run.status === 'stopped-early')
      throw new CallError('bad-params', `run "${runId}" already finished (${run.status}); nothing to resume`, { field: 'runId' });
    if (run.status === 'running') throw new CallError('bad-params', `run "${runId}" is being trained by another process`, { field: 'runId' });
    this.launch(runId, run.project, true, { resume: runId, backend, dataDir: this.dataDir });
    return runId;
  }

  /** Asks a running job to stop after its current batch (killed if it does not in time). */
  stop(runId: string): void {
    const job = this.jobs.get(runId);
    if (!job || job.log.ended) {
      if (!job && !this.withStore((s) => s.get(runId))) throw this.notFound(runId);
      throw new CallError('bad-params', `run "${runId}" is not training`, { field: 'runId' });
    }
    if (job.status === 'stopping') return;
    job.status = 'stopping';
    job.child.send({ type: 'stop' } satisfies ToJob);
    setTimeout(() => {
      if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  }

  /**
   * Streams a run's events into `listener`: replays what it emitted so far, then follows it
   * to its end (resolving with its status). Aborting `signal` only unsubscribes.
   */
  async watch(runId: string, listener: (e: TrainEventOut) => void, signal?: AbortSignal): Promise<RunStatus> {
    const job = this.jobs.get(runId);
    if (job) return job.log.follow(listener, signal);
    const stored = this.withStore((s) => {
      const run = s.get(runId);
      return run ? { run, events: storedRunEvents(run, s.epochs(runId), s.points(runId), s.report(runId)) } : null;
    });
    if (!stored) throw this.notFound(runId);
    for (const e of stored.events) listener(e);
    return stored.run.status;
  }

  /** The jobs training now. */
  active(): { runId: string; project: string; status: Job['status']; startedAt: number; resumed: boolean; epoch: number; epochs: number | null }[] {
    return [...this.jobs.values()]
      .filter((j) => !j.log.ended)
      .map(({ runId, project, status, startedAt, resumed, epoch, epochs }) => ({ runId, project, status, startedAt, resumed, epoch, epochs }));
  }

  /** True while a job trains this run. */
  isActive(runId: string): boolean {
    const job = this.jobs.get(runId);
    return !!job && !job.log.ended;
  }

  /** Runs an export in a job process (tf.js and onnxruntime stay out of the server). */
  exportRun(options: ExportJobOptions): Promise<ExportJobResult> {
    const { child, stderr } = spawnJob(jobLogFile(this.dataDir, 'export', options.run ?? 'weights'));
    this.children.add(child);
    return new Promise((resolve, reject) => {
      let answered = false;
      child.on('message', (m: FromJob) => {
        answered = true;
        if (m.type === 'exported') resolve(m.result);
        else if (m.type === 'error') reject(new CallError(m.error.code, m.error.message, m.error.where));
      });
      child.on('exit', (code, signal) => {
        this.children.delete(child);
        if (!answered) reject(new CallError('failed', `export failed: ${howItEnded('export', code, signal, stderr())}`));
      });
      child.send({ type: 'export', options } satisfies ToJob);
    });
  }

  /** Kills every job process at once (their runs are found interrupted, resumable, on the next start). */
  close(): void {
    process.off('exit', this.onExit);
    for (const c of this.children) c.kill('SIGKILL');
    this.children.clear();
  }

  private launch(runId: string, project: string, resumed: boolean, spec: TrainJobSpec): void {
    const { child, stderr } = spawnJob(jobLogFile(this.dataDir, 'train', runId));
    this.children.add(child);
    this.finished.splice(0, this.finished.length, ...this.finished.filter((id) => id !== runId));
    const job: Job = { runId, project, resumed, startedAt: Date.now(), status: 'starting', epoch: 0, epochs: null, child, log: new EventLog() };
    this.jobs.set(runId, job);
    child.on('message', (m: FromJob) => {
      if (m.type === 'event') this.onEvent(job, m.event);
      else if (m.type === 'error') this.onEvent(job, { event: 'failed', error: m.error });
    });
    child.on('exit', (code, signal) => {
      this.children.delete(child);
      if (!job.log.ended) this.onCrash(job, howItEnded('training', code, signal, stderr()));
    });
    child.send({ type: 'train', spec } satisfies ToJob);
  }

  private onEvent(job: Job, e: TrainEventOut): void {
    if (e.event === 'start') {
      job.epochs = e.epochs;
      job.epoch = e.startEpoch - 1;
      if (job.status === 'starting') job.status = 'running';
    }
    if (e.event === 'epoch') job.epoch = e.epoch;
    job.log.push(e);
    const status = statusOf(e);
    if (status) this.end(job, status);
  }

  /** The process died before saying how the run ended. */
  private onCrash(job: Job, message: string): void {
    const interrupted = this.withStore((s) => s.interrupt(job.runId, message));
    const error: ErrorInfo = { code: 'failed', message };
    this.onEvent(job, interrupted ? { event: 'interrupted', message } : { event: 'failed', error });
  }

  private end(job: Job, status: RunStatus): void {
    job.log.end(status);
    this.finished.push(job.runId);
    for (const id of this.finished.splice(0, Math.max(0, this.finished.length - KEEP_FINISHED))) {
      if (this.jobs.get(id)?.log.ended) this.jobs.delete(id);
    }
    this.onJobEnd(job.runId, status);
  }

  private notFound(runId: string): CallError {
    return new CallError('not-found', `no run "${runId}" in ${this.dataDir}`, { field: 'runId' });
  }

  private withStore<T>(f: (s: RunStore) => T): T {
    return withRunStore(this.dataDir, f);
  }
}
