/**
 * What the Runs panel does with the engine, outside React: list a project's runs, open one
 * (its charts and report, its graph read-only on the canvas, its per-node statistics), pick
 * two to compare, delete, export to ONNX. The list refreshes when a run ends.
 */
import { create } from 'zustand';
import type { Result } from '../../../../engine/server/protocol/index.js';
import type { EngineClient } from '../../engine/client.js';
import { useViewStore } from '../../store/view-store.js';
import { perClient } from '../../engine/per-client.js';
import { runFromDetail, type RunView } from '../training/run-state.js';
import { showNodeStats, trainingSession } from '../training/training-session.js';
import { exportRunToOnnx, type ExportOutcome } from './export-onnx.js';

/** A row of the history. */
export type RunSummary = Result<'runs.list'>['runs'][number];

/** Most runs compared at once (one colour each, and a legend that still reads). */
export const MAX_COMPARED = 6;

/** A run ticked for comparison: its charts' data, the graph and the settings it trained with. */
export interface ComparedRun {
  id: string;
  run: RunView;
  graph: Result<'runs.get'>['graph'];
  config: Result<'runs.get'>['config'];
}

interface RunsState {
  runs: RunSummary[];
  /** The project listed (null: every project). */
  project: string | null;
  loading: boolean;
  error: string | null;
  /** The run opened in the panel and on the canvas. */
  opened: RunView | null;
  /** Runs ticked for comparison (up to MAX_COMPARED, oldest tick first), and their data once loaded. */
  compare: string[];
  compared: ComparedRun[];
  /** The run being exported and the last export's outcome. */
  exporting: string | null;
  lastExport: ExportOutcome | null;
}

/** The store of the Runs panel. */
export const useRunsStore = create<RunsState>(() => ({
  runs: [],
  project: null,
  loading: false,
  error: null,
  opened: null,
  compare: [],
  compared: [],
  exporting: null,
  lastExport: null,
}));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Talks to the engine for the Runs panel; one per engine client. */
export class RunsSession {
  constructor(private readonly client: EngineClient) {
    client.onNotice((n) => {
      if (n.kind === 'run-ended') void this.refresh();
    });
    // The canvas left the run's graph (its banner, or another feature's view): close the run too.
    useViewStore.subscribe((s) => {
      if (useRunsStore.getState().opened && s.readOnly?.title !== this.shownTitle) this.set({ opened: null });
    });
  }

  /** The title of the read-only view this session put on the canvas. */
  private shownTitle: string | null = null;

  private set(patch: Partial<RunsState>): void {
    useRunsStore.setState(patch);
  }

  /** Lists the runs of `project` (null: all projects); without an argument, the last listed one. */
  async refresh(project: string | null = useRunsStore.getState().project): Promise<void> {
    this.set({ project, loading: true });
    try {
      const { runs } = await this.client.call('runs.list', project ? { project } : {});
      if (useRunsStore.getState().project === project) this.set({ runs, error: null });
    } catch (e) {
      this.set({ error: message(e) });
    } finally {
      this.set({ loading: false });
    }
  }

  /** Opens a run: charts and evaluation in the panel, its graph read-only on the canvas. */
  async open(runId: string): Promise<void> {
    try {
      const detail = await this.client.call('runs.get', { runId });
      const run = runFromDetail(detail);
      this.shownTitle = `Run ${runId} (${detail.run.status}, as trained)`;
      useViewStore.getState().showReadOnly({ doc: detail.graph, title: this.shownTitle });
      this.set({ opened: run, error: null });
      showNodeStats(runId, run.report);
    } catch (e) {
      this.set({ error: message(e) });
    }
  }

  /** Closes the opened run and gives the canvas back to the design. */
  close(): void {
    this.set({ opened: null });
    if (useViewStore.getState().readOnly?.title === this.shownTitle) useViewStore.getState().exitReadOnly();
    this.shownTitle = null;
  }

  /** Ticks or unticks a run for comparison (MAX_COMPARED at most: the oldest tick drops out). */
  async toggleCompare(runId: string): Promise<void> {
    const ticked = useRunsStore.getState().compare;
    const compare = ticked.includes(runId) ? ticked.filter((id) => id !== runId) : [...ticked, runId].slice(-MAX_COMPARED);
    this.set({ compare });
    try {
      const have = new Map(useRunsStore.getState().compared.map((c) => [c.id, c]));
      const load = async (id: string): Promise<ComparedRun> => {
        const d = await this.client.call('runs.get', { runId: id });
        return { id, run: runFromDetail(d), graph: d.graph, config: d.config };
      };
      const compared = await Promise.all(compare.map((id) => have.get(id) ?? load(id)));
      if (useRunsStore.getState().compare.join() === compare.join()) this.set({ compared });
    } catch (e) {
      this.set({ error: message(e) });
    }
  }

  /** Deletes a run with its checkpoints. */
  async remove(runId: string): Promise<void> {
    try {
      await this.client.call('runs.delete', { runId });
      const s = useRunsStore.getState();
      if (s.opened?.runId === runId) this.close();
      this.set({ compare: s.compare.filter((id) => id !== runId), compared: s.compared.filter((c) => c.id !== runId) });
      await this.refresh();
    } catch (e) {
      this.set({ error: message(e) });
    }
  }

  /** Exports a run to ONNX (a save dialog in Electron, a download in the browser). */
  async exportRun(runId: string, project: string): Promise<void> {
    this.set({ exporting: runId });
    try {
      const outcome = await exportRunToOnnx(this.client, runId, project);
      if (outcome) this.set({ lastExport: outcome, error: null });
    } catch (e) {
      this.set({ error: `Export of ${runId} failed: ${message(e)}` });
    } finally {
      this.set({ exporting: null });
    }
  }

  /** Continues a run in the Training panel's session. */
  async resume(runId: string): Promise<void> {
    await trainingSession(this.client).resume(runId);
    await this.refresh();
  }
}

/** The runs session of an engine client. */
export const runsSession = perClient((client: EngineClient) => new RunsSession(client));
