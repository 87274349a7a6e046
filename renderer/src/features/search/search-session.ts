/**
 * What the search panel does with the engine, outside React so it survives switching tabs:
 * launch and watch an experiment, stop and resume it, open a past one, show a trial on the
 * canvas, make it the design, export it. Engine events go into the search store; DARTS /
 * ENAS probabilities also become canvas heat.
 */
import { parseDocument, parseJson } from '../../../../engine/graph/load.js';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { hostBridge } from '../../engine/address.js';
import { EngineError, type EngineClient } from '../../engine/client.js';
import { perClient } from '../../engine/per-client.js';
import { useDocumentStore } from '../../store/document-store.js';
import { useViewStore } from '../../store/view-store.js';
import { probabilityHeat } from './heat.js';
import { isActive, useSearchStore } from './search-store.js';
import { queueOf } from './settings.js';
import type { DecisionInfo, SearchEvent, SearchSettings } from './types.js';

/** What the session needs from the engine client (`onStatus` to re-attach after a reconnect). */
export type Caller = Pick<EngineClient, 'call'> & Partial<Pick<EngineClient, 'onStatus'>>;

/** The message of an engine or other error, with the engine's code when it is telling. */
export function errorMessage(e: unknown): string {
  if (e instanceof EngineError) {
    const where = e.info.where ? Object.entries(e.info.where).map(([k, v]) => `${k} ${v}`) : [];
    return `${e.message}${e.code === 'failed' ? '' : ` (${e.code}${where.length ? `: ${where.join(', ')}` : ''})`}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A `.loom.json` text as a document (the engine produced it; errors are still reported). */
function parseText(text: string): LoomDocument {
  return parseDocument(parseJson(text));
}

/** The fields of an experiment's stored config the panel reads (opaque JSON otherwise). */
interface StoredConfig {
  objectives?: string[];
  objective?: { metric?: string };
  budget?: { trials?: number };
}

/** Objectives of a stored experiment config (`['valAccuracy:max', …]`). */
export function objectivesOf(config: unknown): string[] {
  const c = (config ?? {}) as StoredConfig;
  if (Array.isArray(c.objectives) && c.objectives.every((o) => typeof o === 'string')) return c.objectives;
  return c.objective?.metric ? [c.objective.metric] : [];
}

/** Talks to the engine for the search panel; one per engine client. */
export class SearchSession {
  private watchAbort: AbortController | null = null;

  constructor(private readonly client: Caller) {
    // A dropped connection ends the stream; once the engine is back, watch again (the engine
    // replays what was missed, or the final state from SQLite if the search ended meanwhile).
    client.onStatus?.((status) => {
      const { experimentId, watching } = this.store;
      if (status === 'open' && experimentId && !watching && isActive(this.store.status)) void this.watch(experimentId);
    });
  }

  private get store() {
    return useSearchStore.getState();
  }

  /** Launches a search on `text` and starts watching it. */
  async launch(opts: { text: string; project: string; settings: SearchSettings; decisions: DecisionInfo[] }): Promise<string> {
    const spaceDoc = parseText(opts.text);
    const { experimentId } = await this.client.call('search.start', { text: opts.text, project: opts.project, settings: opts.settings });
    this.store.begin({
      experimentId,
      origin: 'launched',
      strategy: opts.settings.strategy,
      evaluator: opts.settings.evaluator,
      objectives: opts.settings.objectives ?? ['valAccuracy'],
      budgetTrials: opts.settings.budgetTrials ?? null,
      decisions: opts.decisions,
      spaceDoc,
    });
    useViewStore.getState().setHeat({}, {});
    void this.watch(experimentId);
    return experimentId;
  }

  /** Streams the experiment's events into the store until it ends (or another is watched). */
  async watch(experimentId: string): Promise<void> {
    this.watchAbort?.abort();
    const abort = new AbortController();
    this.watchAbort = abort;
    const current = () => this.store.experimentId === experimentId;
    this.store.patch({ watching: true, error: null });
    try {
      const { status } = await this.client.call('search.watch', { experimentId }, { signal: abort.signal, onEvent: (e) => current() && this.onEvent(e) });
      if (current() && status !== 'unsubscribed') this.store.patch({ status });
    } catch (e) {
      if (current() && !(e instanceof EngineError && e.code === 'cancelled')) this.store.patch({ error: errorMessage(e) });
    } finally {
      if (this.watchAbort === abort) {
        this.watchAbort = null;
        if (current()) this.store.patch({ watching: false });
      }
    }
  }

  private onEvent(e: SearchEvent): void {
    this.store.apply(e);
    if (e.event === 'probabilities') {
      const { decisions, spaceDoc } = this.store;
      const { nodeHeat, edgeHeat } = probabilityHeat(decisions, e.choices, spaceDoc ?? undefined);
      // The per-option probabilities too: an opened Cell draws its edges' `<cell>.<i->j>` decisions.
      useViewStore.getState().setHeat(nodeHeat, edgeHeat, e.choices);
    }
  }

  /** Asks the running experiment to stop after the current step; it stays resumable. */
  async stop(): Promise<void> {
    const id = this.store.experimentId;
    if (!id) return;
    this.store.patch({ status: 'stopping' });
    try {
      const { stopped } = await this.client.call('search.stop', { experimentId: id });
      // Without a stream to report the end (or with nothing left to stop), settle it here.
      if ((!stopped || !this.watchAbort) && this.store.experimentId === id && this.store.status === 'stopping') this.store.patch({ status: 'cancelled' });
    } catch (e) {
      this.store.patch({ error: errorMessage(e) });
    }
  }

  /** Resumes a stopped or interrupted experiment and watches it again. */
  async resume(): Promise<void> {
    const id = this.store.experimentId;
    if (!id) return;
    try {
      // A search on a queue resumes on the queue the launcher names (its jobs are reattached there).
      const queue = queueOf(this.store.form);
      await this.client.call('search.resume', { experimentId: id, ...(queue && { queue }) });
      this.store.patch({ status: 'running', error: null });
      void this.watch(id);
    } catch (e) {
      this.store.patch({ error: errorMessage(e) });
    }
  }

  /** Opens an experiment from SQLite (read-only unless it is still running or resumed). */
  async open(experimentId: string): Promise<void> {
    this.watchAbort?.abort();
    const got = await this.client.call('search.get', { experimentId });
    let decisions: DecisionInfo[] = [];
    let spaceDoc: LoomDocument | null = null;
    if (got.spaceText) {
      spaceDoc = parseText(got.spaceText);
      decisions = (await this.client.call('space.summary', { text: got.spaceText })).decisions;
    }
    const budget = (got.config as StoredConfig | null)?.budget?.trials;
    this.store.begin({
      experimentId,
      origin: 'opened',
      status: got.experiment.status,
      strategy: got.experiment.strategy,
      evaluator: got.experiment.evaluator,
      objectives: objectivesOf(got.config),
      budgetTrials: typeof budget === 'number' ? budget : null,
      decisions,
      spaceDoc,
      trials: got.trials,
      bestTrialId: got.experiment.bestTrial,
      error: got.experiment.error,
      startedAt: got.experiment.createdAt,
    });
    useViewStore.getState().setHeat({}, {});
    // A running experiment (started before a reload) keeps streaming; its replay includes
    // the probabilities SQLite does not keep.
    if (got.experiment.live) void this.watch(experimentId);
  }

  /** Shows a trial's architecture read-only on the canvas, its differences highlighted. */
  async showTrial(trialId: number, against: 'design' | 'parent' = 'design'): Promise<void> {
    const id = this.store.experimentId;
    if (!id) return;
    const prev = this.store.selected;
    const keep = prev?.trialId === trialId ? { exportPath: prev.exportPath, exporting: prev.exporting } : { exportPath: null, exporting: false };
    this.store.select({ trialId, against, loading: true, doc: null, sample: null, changedNodes: [], changedEdges: [], error: null, ...keep });
    try {
      const g = await this.client.call('search.trialGraph', { experimentId: id, trialId, against });
      const doc = parseText(g.text);
      if (this.store.selected?.trialId !== trialId) return;
      this.store.patchSelected({ loading: false, doc, sample: g.sample, changedNodes: g.changedNodes, changedEdges: g.changedEdges });
      const vs = against === 'parent' ? 'its parent' : 'the design';
      useViewStore.getState().showReadOnly({
        doc,
        title: `Trial #${trialId} of ${id} (changes vs ${vs} highlighted)`,
        highlightNodes: g.changedNodes,
        highlightEdges: g.changedEdges,
      });
    } catch (e) {
      if (this.store.selected?.trialId === trialId) this.store.patchSelected({ loading: false, error: errorMessage(e) });
    }
  }

  /** Makes the shown trial a new, unsaved, editable project (the trial is then the design). */
  openAsDesign(): void {
    const trial = this.store.selected?.doc;
    if (!trial) return;
    // As shown: the canvas may have laid the trial's graph out (readonly-layout.ts).
    const shown = useViewStore.getState().readOnly?.doc;
    const doc = shown && shown.name === trial.name && shown.nodes.length === trial.nodes.length ? shown : trial;
    this.store.select(null);
    useViewStore.getState().exitReadOnly();
    useDocumentStore.getState().load(doc, null, { dirty: true });
  }

  /** Back to the editable design. */
  closeTrial(): void {
    this.store.select(null);
    useViewStore.getState().exitReadOnly();
  }

  /**
   * Exports the shown trial to ONNX (the engine retrains it first when the search did not
   * keep weights). In Electron the user picks the file; in a browser the engine writes it
   * under its data folder and the path is shown.
   */
  async exportTrial(): Promise<void> {
    const id = this.store.experimentId;
    const sel = this.store.selected;
    if (!id || !sel) return;
    // The dialog's pick travels with its grant: the engine writes outside its folders only there.
    let target: { path: string; grant: string } | undefined;
    const host = hostBridge();
    if (host) {
      const chosen = await host.chooseExportPath(`${id}-trial${sel.trialId}.onnx`);
      if (!chosen) return;
      target = { path: chosen.path, grant: chosen.grant };
    }
    this.store.patchSelected({ exporting: true, error: null, exportPath: null });
    try {
      const r = await this.client.call('search.exportTrial', { experimentId: id, trialId: sel.trialId, ...target });
      if (this.store.selected?.trialId === sel.trialId) this.store.patchSelected({ exporting: false, exportPath: r.path });
    } catch (e) {
      if (this.store.selected?.trialId === sel.trialId) this.store.patchSelected({ exporting: false, error: errorMessage(e) });
    }
  }
}

/** The session of an engine client (one per client, so a tab switch keeps the stream). */
export const searchSession = perClient((client: Caller) => new SearchSession(client));
