/**
 * What the training panel does with the engine, outside React so a run survives switching
 * tabs: start, watch (events folded into the store, a few per frame), stop, resume, and
 * re-attach after a reload or a reconnect. When the connection drops mid-run the panel says
 * so; once the engine is back, the run's stored status (interrupted) decides what it offers.
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { ParamsIn } from '../../../../engine/server/protocol/index.js';
import { EngineError, type EngineClient } from '../../engine/client.js';
import { documentText } from '../../store/document-store.js';
import { useNodeStatsStore, type NodeStats } from '../../store/node-stats-store.js';
import { perClient } from '../../engine/per-client.js';
import { applyEvent, emptyRun, isTraining, runFromDetail, type RunReport, type RunView, type TrainEvent } from './run-state.js';

/** The backend choices offered. */
export type BackendChoice = NonNullable<ParamsIn<'train.start'>['backend']>;

interface TrainingState {
  /** The run on the dashboard (live, or the project's last one). */
  run: RunView | null;
  /** A start / stop / resume call in flight. */
  busy: boolean;
  /** Why the last call failed, with where (node, field, file) when the engine said. */
  error: { message: string; where?: Record<string, string | number> } | null;
}

/** The store of the training dashboard. */
export const useTrainingStore = create<TrainingState>(() => ({ run: null, busy: false, error: null }));

const INTERRUPTED = 'The engine stopped during this run: it is kept as interrupted, and Resume continues from its last checkpoint.';
const LOST =
  'The connection to the engine was lost during the run. If the engine stopped, the run is kept as interrupted and Resume continues from its last checkpoint.';

/** Per-node statistics of a report, in the canvas store's shape. */
export function nodeStatsOf(report: RunReport): Record<string, NodeStats> {
  const out: Record<string, NodeStats> = {};
  for (const [id, s] of Object.entries(report.nodeStats)) {
    out[id] = Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v === 'number')) as NodeStats;
  }
  return out;
}

/** Shows a report's per-node statistics on the canvas. */
export function showNodeStats(runId: string, report: RunReport | null): void {
  if (report) useNodeStatsStore.getState().set(runId, nodeStatsOf(report));
}

/** Talks to the engine for the training panel; one per engine client. */
export class TrainingSession {
  private watching: AbortController | null = null;
  private queue: TrainEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly client: EngineClient) {
    client.onStatus((s) => {
      if (s === 'open') void this.afterReconnect();
    });
  }

  private set(patch: Partial<TrainingState>): void {
    useTrainingStore.setState(patch);
  }

  private fail(e: unknown): void {
    const where = e instanceof EngineError ? e.info.where : undefined;
    this.set({ error: { message: e instanceof Error ? e.message : String(e), ...(where ? { where } : {}) } });
  }

  private async call<T>(f: () => Promise<T>): Promise<T | undefined> {
    this.set({ busy: true, error: null });
    try {
      return await f();
    } catch (e) {
      this.fail(e);
      return undefined;
    } finally {
      this.set({ busy: false });
    }
  }

  /** Starts training `doc` (its current text: later edits do not change the run). */
  async start(doc: LoomDocument, project: string, backend: BackendChoice): Promise<void> {
    const r = await this.call(() => this.client.call('train.start', { text: documentText(doc), project, backend }));
    if (r) this.attach(emptyRun(r.runId));
  }

  /** Asks the engine to stop the run on the dashboard after its current batch. */
  async stop(): Promise<void> {
    const run = useTrainingStore.getState().run;
    if (!run || !isTraining(run)) return;
    this.set({ run: { ...run, phase: 'stopping' } });
    await this.call(() => this.client.call('train.stop', { runId: run.runId }));
  }

  /** Continues a run from its last checkpoint; the dashboard keeps its earlier epochs. */
  async resume(runId: string, backend: BackendChoice = 'auto'): Promise<void> {
    const detail = await this.call(async () => {
      await this.client.call('train.resume', { runId, backend });
      return this.client.call('runs.get', { runId });
    });
    if (detail) this.attach({ ...runFromDetail(detail), phase: 'starting', status: null, message: null, report: null });
  }

  /** Shows a stored run (no job): the project's last run after a reload. */
  show(run: RunView): void {
    this.watching?.abort();
    this.set({ run });
    showNodeStats(run.runId, run.report);
  }

  /**
   * After a (re)load: follows the project's running job if there is one (its events are
   * replayed), else shows the project's last run. Does nothing when a run is already shown.
   */
  async restore(project: string): Promise<void> {
    if (useTrainingStore.getState().run) return;
    try {
      const active = (await this.client.call('train.active', {})).filter((j) => j.project === project);
      const job = active.sort((a, b) => b.startedAt - a.startedAt)[0];
      if (job) {
        const prefill = job.resumed
          ? { ...runFromDetail(await this.client.call('runs.get', { runId: job.runId })), phase: 'starting' as const, status: null }
          : emptyRun(job.runId);
        return this.attach(prefill);
      }
      const last = (await this.client.call('runs.list', { project })).runs[0];
      if (last && !useTrainingStore.getState().run) this.show(runFromDetail(await this.client.call('runs.get', { runId: last.id })));
    } catch {
      // Nothing to restore (or the engine is not reachable yet): the panel starts empty.
    }
  }

  /**
   * A dashboard window's poll: when the project has a running job other than the run shown
   * (started from the main window), follows it; when a newer run has ended meanwhile (a short
   * one, between two polls), shows it. Returns whether it switched.
   */
  async followNewer(project: string): Promise<boolean> {
    const shown = useTrainingStore.getState().run;
    if (shown && isTraining(shown)) return false;
    const active = (await this.client.call('train.active', {})).filter((j) => j.project === project && j.runId !== shown?.runId);
    const job = active.sort((a, b) => b.startedAt - a.startedAt)[0];
    if (useTrainingStore.getState().run !== shown) return false;
    if (job) {
      this.attach(emptyRun(job.runId));
      return true;
    }
    const last = (await this.client.call('runs.list', { project })).runs[0];
    if (!last || last.id === shown?.runId || last.active || useTrainingStore.getState().run !== shown) return false;
    this.show(runFromDetail(await this.client.call('runs.get', { runId: last.id })));
    return true;
  }

  /** Follows a run's events into the store. */
  attach(initial: RunView): void {
    this.watching?.abort();
    const ctl = new AbortController();
    this.watching = ctl;
    this.queue = [];
    this.set({ run: initial });
    const runId = initial.runId;
    this.client
      .call('train.watch', { runId }, { signal: ctl.signal, onEvent: (e) => this.enqueue(e) })
      .then(() => this.flush())
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        this.flush();
        const run = useTrainingStore.getState().run;
        if (run?.runId !== runId) return;
        if (this.client.getStatus() !== 'open') this.set({ run: { ...run, phase: 'lost', message: LOST } });
        else this.fail(e);
      });
  }

  /** Events are folded a few per frame, not one render per WebSocket message. */
  private enqueue(e: TrainEvent): void {
    this.queue.push(e);
    this.flushTimer ??= setTimeout(() => this.flush(), 16);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const events = this.queue.splice(0);
    const run = useTrainingStore.getState().run;
    if (!run || !events.length) return;
    const next = events.reduce(applyEvent, run);
    this.set({ run: next });
    if (!run.report && next.report) showNodeStats(next.runId, next.report);
    if (run.phase !== 'ended' && next.phase === 'ended') void this.refreshEpochs(next.runId);
  }

  /**
   * At a run's end the stored epoch rows are the truth: an epoch whose event was lost with a
   * dead engine (its checkpoint survived) is in the store but was never streamed.
   */
  private async refreshEpochs(runId: string): Promise<void> {
    try {
      const detail = await this.client.call('runs.get', { runId });
      const run = useTrainingStore.getState().run;
      if (run?.runId === runId && run.phase === 'ended') this.set({ run: { ...run, epochRows: runFromDetail(detail).epochRows } });
    } catch {
      // The live rows stay; the Runs tab reads the store anyway.
    }
  }

  /** Back online after a drop: learn what became of the run that was being watched. */
  private async afterReconnect(): Promise<void> {
    const run = useTrainingStore.getState().run;
    if (run?.phase !== 'lost') return;
    try {
      const detail = await this.client.call('runs.get', { runId: run.runId });
      if (detail.run.active) this.attach({ ...runFromDetail(detail), phase: 'running', status: null });
      else this.set({ run: { ...runFromDetail(detail), message: detail.run.status === 'interrupted' ? INTERRUPTED : detail.run.error } });
    } catch (e) {
      this.fail(e);
    }
  }
}

/** The training session of an engine client. */
export const trainingSession = perClient((client: EngineClient) => new TrainingSession(client));
