/**
 * The search settings and the launch: strategy and its settings, evaluator, data, budget,
 * workers, seed, objectives and constraints. Launching is two steps: "Estimate cost" measures
 * the cost (`search.estimate`) and shows it; "Start search" (`search-start`) under the
 * estimate launches. Any change to the settings or the document asks for a new estimate.
 */
import { useState, type ReactNode } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { documentText, useDocumentStore } from '../../store/document-store.js';
import { errorMessage, searchSession } from './search-session.js';
import { useSearchStore } from './search-store.js';
import { formToSettings, isWeightSharing, strategies, withStrategy, type EvaluatorKind, type SearchForm } from './settings.js';
import { summaryText, useSummaryStore } from './summary-store.js';
import { RunOnField } from './RunOnField.js';
import type { Estimate, StrategyName } from './types.js';
import { formatDuration } from '../../ui/duration.js';

/** The project name a search is filed under: the file's base name, else the document's name. */
function projectName(fileName: string | null, name: string | undefined): string {
  const base = fileName
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.loom\.json$/, '');
  return base || name || 'space';
}

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="search-field" title={hint}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** The settings form with the estimate-then-start launch. */
export function SearchLauncher() {
  const client = useEngine();
  const form = useSearchStore((s) => s.form);
  const setForm = useSearchStore((s) => s.setForm);
  const revision = useDocumentStore((s) => s.revision);
  const dataset = useDocumentStore((s) => s.doc.training?.dataset);
  const summary = useSummaryStore((s) => s.summary);
  const [estimate, setEstimate] = useState<{ key: string; loading: boolean; result?: Estimate; error?: string } | null>(null);
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<string | null>(null);

  const parsed = formToSettings(form);
  const key = `${revision}:${JSON.stringify(form)}`;
  const current = estimate?.key === key ? estimate : null;
  const searchable = summary ? summary.searchable && !summary.error : true;

  const set =
    <K extends keyof SearchForm>(k: K) =>
    (e: { target: { value: string } }) =>
      setForm({ ...form, [k]: e.target.value });
  const input = (k: keyof SearchForm, placeholder = '', type = 'text') => (
    <input
      type={type}
      value={form[k]}
      placeholder={placeholder}
      onChange={set(k)}
      data-testid={`search-${k}`}
      aria-invalid={!parsed.ok && parsed.field === k}
    />
  );

  const runEstimate = async () => {
    if (!parsed.ok) return;
    setEstimate({ key, loading: true });
    try {
      const result = await client.call('search.estimate', { text: documentText(), settings: parsed.settings });
      setEstimate((e) => (e?.key === key ? { key, loading: false, result } : e));
    } catch (e) {
      setEstimate((cur) => (cur?.key === key ? { key, loading: false, error: errorMessage(e) } : cur));
    }
  };

  const start = async () => {
    if (!parsed.ok) return;
    setLaunching(true);
    setLaunchError(null);
    try {
      const text = documentText();
      const known = useSummaryStore.getState();
      const { fileName, doc } = useDocumentStore.getState();
      const decisions = known.text === summaryText(doc) && known.summary ? known.summary.decisions : (await client.call('space.summary', { text })).decisions;
      await searchSession(client).launch({ text, project: projectName(fileName, doc.name), settings: parsed.settings, decisions });
      setEstimate(null);
    } catch (e) {
      setLaunchError(errorMessage(e));
    } finally {
      setLaunching(false);
    }
  };

  const shared = isWeightSharing(form.strategy);
  return (
    <section className="search-box search-launcher">
      <h3>New search</h3>
      <div className="search-form">
        <Field label="Strategy">
          <select value={form.strategy} onChange={(e) => setForm(withStrategy(form, e.target.value as StrategyName))} data-testid="search-strategy">
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Evaluator"
          hint="train: each candidate is trained; tabular: looked up in a NAS-Bench-201-format table; supernet: weight sharing (ENAS, SPOS, DARTS)"
        >
          <select
            value={form.evaluator}
            onChange={(e) => setForm({ ...form, evaluator: e.target.value as EvaluatorKind })}
            disabled={shared}
            data-testid="search-evaluator"
          >
            {shared ? <option value="supernet">supernet (weight sharing)</option> : null}
            {!shared && <option value="train">train each candidate</option>}
            {!shared && <option value="tabular">tabular file</option>}
          </select>
        </Field>
        {form.evaluator === 'tabular' && <Field label="Table file">{input('tabularPath', '/path/to/nb201_cifar10.json')}</Field>}
        {form.evaluator !== 'tabular' && (
          <Field label="Data" hint="digits, mnist, spirals, csv:PATH, idx:…; empty: the document's training dataset">
            {input('data', dataset ?? 'digits')}
          </Field>
        )}
        {form.evaluator === 'train' && <Field label="Epochs per trial">{input('epochs', 'document', 'number')}</Field>}
        {form.evaluator === 'supernet' && <Field label="Supernet epochs">{input('supernetEpochs', '10', 'number')}</Field>}
        {form.evaluator !== 'tabular' && <Field label="Training samples (limit)">{input('limit', 'all', 'number')}</Field>}
        <Field label="Budget: trials">{input('budgetTrials', '20', 'number')}</Field>
        <Field label="Budget: seconds">{input('budgetSeconds', 'none', 'number')}</Field>
        <Field label="Workers" hint="Trials trained in parallel processes (train evaluator); on a queue: trials kept in flight">
          {input('workers', '1', 'number')}
        </Field>
        <RunOnField form={form} setForm={setForm} invalid={!parsed.ok && (parsed.field === 'queueUrl' || parsed.field === 'runOn')} />
        <Field label="Seed">{input('seed', '0', 'number')}</Field>
        <Field label="Objectives" hint="Comma-separated; the first is optimised, all form the Pareto front. e.g. valAccuracy, params:min, latencyMs:min">
          {input('objectives', 'valAccuracy, params:min')}
        </Field>
        <Field label="Constraints" hint="Static bounds checked before training, e.g. params<=100000, flops<2M">
          {input('constraints', 'params<=100000')}
        </Field>
      </div>
      {!parsed.ok && (
        <p className="search-error" data-testid="search-form-error">
          {parsed.message}
        </p>
      )}
      {!searchable && <p className="muted">The document has no searchable part (a choice param, an optional edge, a Choice, Repeat or Cell node).</p>}
      <div className="search-actions">
        <button onClick={() => void runEstimate()} disabled={!parsed.ok || !searchable || current?.loading} data-testid="search-estimate">
          {current?.loading ? 'Measuring…' : 'Estimate cost'}
        </button>
      </div>
      {current?.error && (
        <p className="search-error" data-testid="search-estimate-error">
          Estimate failed: {current.error}
        </p>
      )}
      {current?.result && (
        <div className="search-confirm" data-testid="search-estimate-detail">
          <p>
            <strong>About {formatDuration(current.result.seconds)}</strong>
            {current.result.secondsPerEpoch !== null && <span className="muted"> ({formatDuration(current.result.secondsPerEpoch)} per epoch measured)</span>}
          </p>
          <p className="muted">{current.result.detail}</p>
          <div className="search-actions">
            <button className="primary" onClick={() => void start()} disabled={launching} data-testid="search-start">
              {launching ? 'Starting…' : 'Start search'}
            </button>
            <button onClick={() => setEstimate(null)} disabled={launching}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {launchError && (
        <p className="search-error" data-testid="search-launch-error">
          Cannot start: {launchError}
        </p>
      )}
    </section>
  );
}
