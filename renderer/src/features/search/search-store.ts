/**
 * The search panel's state, kept apart from the document: the experiment being watched (or
 * opened read-only), its trials as they arrive, the latest DARTS / ENAS probabilities, and
 * the trial shown on the canvas. Events are folded in by the pure {@link reduceEvent}, so a
 * replayed history (a page reload) and a live stream end in the same state.
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { defaultForm, type SearchForm } from './settings.js';
import type { DecisionInfo, Probabilities, SearchEvent, TrialInfo } from './types.js';

/** Statuses during which the experiment may still produce trials. */
export const ACTIVE_STATUSES = ['starting', 'running', 'stopping'] as const;

/** What the panel knows about the current experiment. */
export interface ExperimentView {
  experimentId: string | null;
  /** Launched from this panel, or opened from the experiments list. */
  origin: 'launched' | 'opened' | null;
  /** starting | running | stopping | completed | cancelled | failed | interrupted | … */
  status: string;
  /** A `search.watch` stream is attached. */
  watching: boolean;
  strategy: string;
  evaluator: string;
  /** e.g. `['valAccuracy', 'params:min']`; the first is optimised. */
  objectives: string[];
  /** The trial budget, when known (progress). */
  budgetTrials: number | null;
  /** The searched space's decisions and document (heat on the canvas). */
  decisions: DecisionInfo[];
  spaceDoc: LoomDocument | null;
  trials: TrialInfo[];
  bestTrialId: number | null;
  probabilities: { choices: Probabilities; step?: number; epoch?: number } | null;
  /** The latest progress line (e.g. a supernet epoch). */
  progress: string | null;
  /** The last lines the search process printed that were not events. */
  log: string[];
  error: string | null;
  startedAt: number | null;
}

/** The trial shown on the canvas. */
export interface TrialView {
  trialId: number;
  against: 'design' | 'parent';
  loading: boolean;
  doc: LoomDocument | null;
  /** The trial's decision values. */
  sample: Record<string, string | number | boolean> | null;
  changedNodes: string[];
  changedEdges: string[];
  error: string | null;
  /** The exported file, once exported. */
  exportPath: string | null;
  exporting: boolean;
}

interface SearchState extends ExperimentView {
  selected: TrialView | null;
  /** The settings form as typed (kept across experiments and tab switches). */
  form: SearchForm;
  setForm(form: SearchForm): void;
  /** Starts showing an experiment (launched or opened); clears everything else. */
  begin(init: Partial<ExperimentView> & { experimentId: string; origin: 'launched' | 'opened' }): void;
  apply(event: SearchEvent): void;
  patch(p: Partial<ExperimentView>): void;
  select(view: TrialView | null): void;
  patchSelected(p: Partial<TrialView>): void;
  clear(): void;
}

const LOG_LINES = 200;

/** The state before any experiment. */
export const emptyExperiment: ExperimentView = {
  experimentId: null,
  origin: null,
  status: 'idle',
  watching: false,
  strategy: '',
  evaluator: '',
  objectives: [],
  budgetTrials: null,
  decisions: [],
  spaceDoc: null,
  trials: [],
  bestTrialId: null,
  probabilities: null,
  progress: null,
  log: [],
  error: null,
  startedAt: null,
};

/** Fields of progress events that name rather than measure (left out of the line). */
const NAMING_FIELDS = new Set(['experimentId', 'strategy', 'run', 'targets', 'choices']);

/**
 * A progress event as one line, its scalar fields first, then one level of nested numbers
 * (e.g. a supernet epoch's metrics): `supernet-epoch: epoch 3, epochs 10, loss 0.41`.
 */
export function progressLine(kind: string, data: Record<string, unknown>): string {
  const scalar = (v: unknown) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
  const text = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(3))) : String(v));
  const entries = Object.entries(data).filter(([k]) => !NAMING_FIELDS.has(k));
  const nested = entries.flatMap(([, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).filter(([, x]) => typeof x === 'number') : [],
  );
  const fields = [...entries.filter(([, v]) => scalar(v)), ...nested].slice(0, 8).map(([k, v]) => `${k} ${text(v)}`);
  return fields.length > 0 ? `${kind}: ${fields.join(', ')}` : kind;
}

/** The state after one event of the watched experiment. */
export function reduceEvent(s: ExperimentView, e: SearchEvent): Partial<ExperimentView> {
  switch (e.event) {
    case 'trial': {
      const i = s.trials.findIndex((t) => t.trialId === e.trial.trialId);
      const trials = i < 0 ? [...s.trials, e.trial] : s.trials.map((t, j) => (j === i ? { ...t, ...e.trial } : t));
      return { trials, bestTrialId: e.bestTrialId ?? s.bestTrialId, status: s.status === 'starting' ? 'running' : s.status };
    }
    case 'probabilities':
      return { probabilities: { choices: e.choices, step: e.step, epoch: e.epoch }, status: s.status === 'starting' ? 'running' : s.status };
    case 'progress':
      return { progress: progressLine(e.kind, e.data), status: s.status === 'starting' ? 'running' : s.status };
    case 'log':
      return { log: [...s.log, e.line].slice(-LOG_LINES) };
    case 'done': {
      const failed = e.status === 'failed';
      const lastLog = [...s.log].reverse().find((l) => l.trim() !== '');
      return {
        status: e.status,
        bestTrialId: e.best?.trialId ?? s.bestTrialId,
        error: failed ? (e.error ?? lastLog ?? 'the search failed') : s.error,
      };
    }
  }
}

/** The search panel's store. */
export const useSearchStore = create<SearchState>((set, get) => ({
  ...emptyExperiment,
  selected: null,
  form: defaultForm,
  setForm: (form) => set({ form }),
  begin: (init) => set({ ...emptyExperiment, status: 'starting', startedAt: Date.now(), ...init, selected: null }),
  apply: (event) => set(reduceEvent(get(), event)),
  patch: (p) => set(p),
  select: (view) => set({ selected: view }),
  patchSelected: (p) => {
    const cur = get().selected;
    if (cur) set({ selected: { ...cur, ...p } });
  },
  clear: () => set({ ...emptyExperiment, selected: null }),
}));

/** True while the experiment may still change (a stream is or should be attached). */
export function isActive(status: string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}
