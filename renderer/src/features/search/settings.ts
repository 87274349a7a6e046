/**
 * The search settings form: what the user types (text fields, so a field may be empty while
 * editing) and its translation into the protocol's `searchSettingsSchema`, with the first
 * problem named by field. The engine validates again; this only catches typos before launch.
 */
import { searchSettingsSchema } from '../../../../engine/server/protocol/search.js';
import type { SearchSettings, StrategyName } from './types.js';

/** Strategies in menu order, with what each needs. */
export const strategies: { id: StrategyName; label: string; weightSharing: boolean }[] = [
  { id: 'random', label: 'Random', weightSharing: false },
  { id: 'evolution', label: 'Regularized evolution', weightSharing: false },
  { id: 'reinforce', label: 'REINFORCE', weightSharing: false },
  { id: 'local', label: 'Local search', weightSharing: false },
  { id: 'bayesopt', label: 'Bayesian optimisation (GP, BANANAS loop)', weightSharing: false },
  { id: 'asha', label: 'ASHA (multi-fidelity)', weightSharing: false },
  { id: 'spos', label: 'SPOS (one-shot)', weightSharing: true },
  { id: 'enas', label: 'ENAS', weightSharing: true },
  { id: 'darts', label: 'DARTS', weightSharing: true },
];

/** True for ENAS / SPOS / DARTS: they train one supernet instead of each trial. */
export function isWeightSharing(strategy: StrategyName): boolean {
  return strategies.find((s) => s.id === strategy)?.weightSharing ?? false;
}

/** How trials are evaluated: trained each, looked up in a table, or by a shared supernet. */
export type EvaluatorKind = 'train' | 'tabular' | 'supernet';

/** The form's values, as typed. Empty numeric fields mean "the engine's default". */
export interface SearchForm {
  strategy: StrategyName;
  evaluator: EvaluatorKind;
  /** The table file for `tabular`. */
  tabularPath: string;
  /** Dataset spec; empty: the document's training dataset. */
  data: string;
  epochs: string;
  limit: string;
  budgetTrials: string;
  budgetSeconds: string;
  workers: string;
  seed: string;
  supernetEpochs: string;
  /** Comma-separated, e.g. `valAccuracy, params:min`. */
  objectives: string;
  /** Comma-separated, e.g. `params<=100000`. */
  constraints: string;
  /** Where trials run: this machine's processes, or `layerloom worker`s behind a Redis queue. */
  runOn: 'local' | 'queue';
  /** `redis://[:PASSWORD@]HOST:PORT` (or `rediss://`) when `runOn` is `queue`. */
  queueUrl: string;
}

/** A small first search: evolution, each candidate trained for one epoch. */
export const defaultForm: SearchForm = {
  strategy: 'evolution',
  evaluator: 'train',
  tabularPath: '',
  data: '',
  epochs: '1',
  limit: '',
  budgetTrials: '20',
  budgetSeconds: '',
  workers: '1',
  seed: '0',
  supernetEpochs: '10',
  objectives: 'valAccuracy',
  constraints: '',
  runOn: 'local',
  queueUrl: '',
};

/** The form after choosing a strategy: weight sharing forces the supernet evaluator and back. */
export function withStrategy(form: SearchForm, strategy: StrategyName): SearchForm {
  const shared = isWeightSharing(strategy);
  const evaluator = shared ? 'supernet' : form.evaluator === 'supernet' ? 'train' : form.evaluator;
  return { ...form, strategy, evaluator };
}

/** The settings to launch, or the first problem with the field it is in. */
export type FormResult = { ok: true; settings: SearchSettings } | { ok: false; field: keyof SearchForm; message: string };

const OBJECTIVE = /^[A-Za-z_][\w.-]*(:(max|min))?$/;
const CONSTRAINT = /^(params|flops)\s*(<=|>=|<|>)\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?[kKmMgG]?$/;

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Converts the form into protocol settings. */
export function formToSettings(form: SearchForm): FormResult {
  // Numeric fields share their names with the settings; budgetSeconds alone may be fractional.
  const numbers: (keyof SearchForm & keyof SearchSettings)[] = ['epochs', 'limit', 'budgetTrials', 'budgetSeconds', 'workers', 'seed'];
  if (form.evaluator === 'supernet') numbers.push('supernetEpochs');
  const settings: Record<string, unknown> = { strategy: form.strategy };
  if (form.evaluator === 'tabular') {
    if (!form.tabularPath.trim()) return { ok: false, field: 'tabularPath', message: 'the tabular evaluator needs the path of a table file' };
    settings.evaluator = `tabular:${form.tabularPath.trim()}`;
  } else {
    settings.evaluator = form.evaluator;
  }
  if (form.data.trim()) settings.data = form.data.trim();
  for (const field of numbers) {
    const raw = form[field].trim();
    if (raw === '') continue;
    const n = Number(raw);
    const integer = field !== 'budgetSeconds';
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
      return { ok: false, field, message: `${field}: "${raw}" is not ${integer ? 'a whole number' : 'a number'}` };
    settings[field] = n;
  }
  const objectives = list(form.objectives);
  const badObjective = objectives.find((o) => !OBJECTIVE.test(o));
  if (badObjective) return { ok: false, field: 'objectives', message: `objective "${badObjective}": expected METRIC, METRIC:max or METRIC:min` };
  if (objectives.length > 0) settings.objectives = objectives;
  const constraints = list(form.constraints);
  const badConstraint = constraints.find((c) => !CONSTRAINT.test(c));
  if (badConstraint)
    return {
      ok: false,
      field: 'constraints',
      message: `constraint "${badConstraint}": expected params or flops, <=, <, >= or >, and a number (e.g. params<=100000)`,
    };
  if (constraints.length > 0) settings.constraints = constraints;
  const queue = queueOf(form);
  if (form.runOn === 'queue') {
    if (!queue) return { ok: false, field: 'queueUrl', message: 'running on a queue needs its Redis URL, e.g. redis://10.0.0.5:6379' };
    if (form.evaluator === 'supernet')
      return { ok: false, field: 'runOn', message: 'weight sharing trains one supernet in one process: run it on this machine' };
    settings.queue = queue;
  }
  // The protocol's own schema has the last word (ranges, the evaluator pattern).
  const parsed = searchSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path[0] === 'queue' ? 'queueUrl' : String(issue.path[0] ?? 'strategy');
    const field = (Object.keys(defaultForm) as (keyof SearchForm)[]).includes(key as keyof SearchForm) ? (key as keyof SearchForm) : 'strategy';
    return { ok: false, field, message: `${key}: ${issue.message}` };
  }
  return { ok: true, settings: settings as SearchSettings };
}

/** The queue URL the form sends trials to, or undefined when they run on this machine. */
export function queueOf(form: SearchForm): string | undefined {
  const url = form.queueUrl.trim();
  return form.runOn === 'queue' && url ? url : undefined;
}
