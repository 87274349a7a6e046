/**
 * Searches launched from the designer. Each experiment runs in its own `layerloom search
 * --json` process, so a crash or a long supernet epoch never stalls the server, and the
 * search behaves exactly as on the command line (same persistence, same resume). The
 * manager keeps every event a job emitted, so a watcher that attaches late (a page reload)
 * sees the whole history, then live events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { z } from 'zod';
import { newExperimentId } from '../../engine/store/experiments.js';
import { childExecArgv } from '../../engine/util/deep-stack.js';
import type { searchSettingsSchema } from '../../engine/server/protocol/search.js';
import { eventFromLine, type SearchEvent } from './cli-events.js';

type Settings = z.output<typeof searchSettingsSchema>;

interface Job {
  id: string;
  child: ChildProcess;
  events: SearchEvent[];
  listeners: Set<(e: SearchEvent) => void>;
  finished: Promise<string>;
  status: string | null;
}

/** The CLI flags for a search's settings. */
export function searchFlags(s: Settings): string[] {
  const flags: string[] = ['--strategy', s.strategy, '--evaluator', s.evaluator];
  const opt = (name: string, v: string | number | undefined) => (v === undefined ? [] : [`--${name}`, String(v)]);
  flags.push(
    ...opt('data', s.data),
    ...opt('epochs', s.epochs),
    ...opt('limit', s.limit),
    ...opt('batch', s.batch),
    ...opt('backend', s.backend),
    ...opt('budget-trials', s.budgetTrials),
    ...opt('budget-seconds', s.budgetSeconds),
    ...opt('workers', s.workers),
    ...opt('seed', s.seed),
    ...opt('supernet-epochs', s.supernetEpochs),
  );
  for (const o of s.objectives ?? []) flags.push('--objective', o);
  for (const c of s.constraints ?? []) flags.push('--constraint', c);
  return flags;
}

/** A file name made of the project's safe characters. */
function safeName(project: string): string {
  return (
    project
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'space'
  );
}

/** Runs and tracks search processes. */
export class SearchJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly dataDir: string,
    private readonly cliPath: string,
    /** Called when a search process ends; `error` is its last error line when it failed. */
    private readonly onEnd: (id: string, status: string, error?: string) => void = () => undefined,
  ) {}

  /** Starts a search on `text`; returns the experiment id at once. */
  start(text: string, project: string, settings: Settings): string {
    const id = newExperimentId();
    const dir = path.join(this.dataDir, 'searches', id);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${safeName(project)}.loom.json`);
    fs.writeFileSync(file, text);
    this.launch(id, ['search', file, '--experiment-id', id, ...searchFlags(settings)], settings.queue);
    return id;
  }

  /** Resumes a stopped or interrupted experiment in a new process. */
  resume(id: string, workers?: number, queue?: string): void {
    if (this.isLive(id)) throw new Error(`experiment ${id} is already running`);
    this.launch(id, ['search', 'resume', id, ...(workers ? ['--workers', String(workers)] : [])], queue);
  }

  /** True while a process of this engine runs the experiment. */
  isLive(id: string): boolean {
    const job = this.jobs.get(id);
    return !!job && job.status === null;
  }

  /** Asks the process to stop after the current step (first SIGINT: graceful, resumable). */
  stop(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.status !== null) return false;
    job.child.kill('SIGINT');
    return true;
  }

  /** Replays the job's events, then streams new ones until it ends; resolves with its status. */
  async watch(id: string, onEvent: (e: SearchEvent) => void, signal: AbortSignal): Promise<string | null> {
    const job = this.jobs.get(id);
    if (!job) return null;
    for (const e of job.events) onEvent(e);
    if (job.status !== null) return job.status;
    job.listeners.add(onEvent);
    const stop = new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('unsubscribed'), { once: true }));
    try {
      return await Promise.race([job.finished, stop]);
    } finally {
      job.listeners.delete(onEvent);
    }
  }

  /** Stops every running search (the server is shutting down) and waits; they stay resumable. */
  async stopAll(graceMs = 10_000): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.status === null);
    for (const job of running) job.child.kill('SIGINT');
    const timer = setTimeout(() => running.forEach((j) => j.child.kill('SIGKILL')), graceMs);
    await Promise.all(running.map((j) => j.finished));
    clearTimeout(timer);
  }

  /** `queue`: the trial queue's URL, handed over in LAYERLOOM_QUEUE so a password never shows in `ps`. */
  private launch(id: string, args: string[], queue?: string): void {
    const env = { ...process.env };
    delete env.LAYERLOOM_QUEUE;
    if (queue !== undefined) env.LAYERLOOM_QUEUE = queue;
    const child = spawn(process.execPath, [...childExecArgv(), this.cliPath, ...args, '--json', '--data-dir', this.dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const job: Job = { id, child, events: [], listeners: new Set(), finished: Promise.resolve(''), status: null };
    this.jobs.set(id, job);
    const push = (e: SearchEvent) => {
      job.events.push(e);
      // Keep memory bounded on very long searches: trials and the done line matter most.
      if (job.events.length > 20_000) job.events.splice(0, job.events.findIndex((x) => x.event === 'trial' || x.event === 'done') + 1 || 1);
      for (const cb of job.listeners) cb(e);
    };
    let sawDone = false;
    let lastError = '';
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = eventFromLine(line);
      if (e.event === 'done') sawDone = true;
      push(e);
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.trim()) lastError = line.replace(/^error: /, '');
      push({ event: 'log', line });
    });
    job.finished = new Promise<string>((resolve) => {
      child.on('close', (code, sig) => {
        const status = code === 0 ? 'completed' : code === 130 ? 'cancelled' : 'failed';
        const error = status === 'failed' ? lastError || `search process exited with ${code ?? sig}` : undefined;
        if (!sawDone) push({ event: 'done', status, best: null, ...(error !== undefined && { error }) });
        job.status = status;
        this.onEnd(id, status, error);
        resolve(status);
      });
    });
  }
}
