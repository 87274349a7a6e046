/**
 * The trial shown on the canvas: what differs from the design (or its parent), "Open as
 * design" (a new editable project) and "Export ONNX" (retrained first when the search kept
 * no weights), with the exported file's path.
 */
import { useEngine } from '../../engine/engine-context.js';
import { formatDuration } from '../../ui/duration.js';
import { formatMetric } from './format.js';
import { searchSession } from './search-session.js';
import { useSearchStore } from './search-store.js';
import { changedLabel, decisionValues } from './trials.js';

/** Actions on the selected trial; nothing when none is selected. */
export function TrialPanel() {
  const client = useEngine();
  const sel = useSearchStore((s) => s.selected);
  const trials = useSearchStore((s) => s.trials);
  const decisions = useSearchStore((s) => s.decisions);
  if (!sel) return null;
  const session = searchSession(client);
  const trial = trials.find((t) => t.trialId === sel.trialId);
  const parentArch = trials.find((t) => t.trialId === trial?.parent)?.arch;
  const reference = sel.against === 'parent' ? `its parent #${trial?.parent}` : 'the design';
  return (
    <section className="search-box trial-panel" data-testid="trial-panel">
      <h3>
        Trial #{sel.trialId}
        {trial && <span className="muted"> · {trial.status}</span>}
        <button className="link-button" onClick={() => session.closeTrial()} data-testid="trial-close" title="Back to the editable design">
          ✕ back to design
        </button>
      </h3>
      {trial && (
        <p className="small">
          {Object.entries(trial.metrics)
            .filter(([k]) => ['valAccuracy', 'valLoss', 'params', 'flops', 'latencyMs'].includes(k))
            .map(([k, v]) => `${k} ${formatMetric(k, v)}`)
            .join(' · ')}
          {` · trained ${formatDuration(trial.costSeconds)}`}
          {trial.parent !== null && ` · from #${trial.parent}${trial.changed ? ` (${changedLabel(trial)})` : ''}`}
        </p>
      )}
      {trial?.error && <p className="search-error">{trial.error}</p>}
      <div className="segmented" role="radiogroup" aria-label="Highlight differences against">
        <button
          role="radio"
          aria-checked={sel.against === 'design'}
          className={sel.against === 'design' ? 'active' : ''}
          onClick={() => void session.showTrial(sel.trialId, 'design')}
          data-testid="trial-against-design"
        >
          vs design
        </button>
        <button
          role="radio"
          aria-checked={sel.against === 'parent'}
          className={sel.against === 'parent' ? 'active' : ''}
          onClick={() => void session.showTrial(sel.trialId, 'parent')}
          disabled={trial?.parent === null}
          title={trial?.parent === null ? 'This trial has no parent (not a mutation)' : undefined}
          data-testid="trial-against-parent"
        >
          vs parent
        </button>
      </div>
      {sel.loading && <p className="muted">Loading the architecture…</p>}
      {sel.sample && (
        <p className="decision-values" data-testid="trial-decisions">
          {decisionValues(sel.sample, decisions, sel.against === 'parent' ? parentArch : undefined).map((d) => (
            <span key={d.name} className={d.changed ? 'changed' : undefined} title={d.changed ? `differs from ${reference}` : undefined}>
              {d.name}={d.value}
            </span>
          ))}
        </p>
      )}
      {sel.doc && (
        <p className="small muted" data-testid="trial-changes">
          {sel.changedNodes.length + sel.changedEdges.length === 0
            ? `Same graph as ${reference}.`
            : `Highlighted on the canvas: ${sel.changedNodes.length} node${sel.changedNodes.length === 1 ? '' : 's'}${sel.changedNodes.length ? ` (${sel.changedNodes.slice(0, 8).join(', ')}${sel.changedNodes.length > 8 ? ', …' : ''})` : ''} and ${sel.changedEdges.length} edge${sel.changedEdges.length === 1 ? '' : 's'} that differ from ${reference}.`}
        </p>
      )}
      {sel.error && (
        <p className="search-error" data-testid="trial-error">
          {sel.error}
        </p>
      )}
      <div className="search-actions">
        <button onClick={() => session.openAsDesign()} disabled={!sel.doc} data-testid="open-as-design" title="A new, unsaved project with this architecture">
          Open as design
        </button>
        <button
          onClick={() => void session.exportTrial()}
          disabled={!sel.doc || sel.exporting}
          data-testid="export-onnx"
          title="Trains the architecture with the search's budget, then writes the ONNX file"
        >
          {sel.exporting ? 'Training and exporting…' : 'Export ONNX'}
        </button>
      </div>
      {sel.exportPath && (
        <p className="export-path" data-testid="export-path">
          Exported to <code>{sel.exportPath}</code>
        </p>
      )}
    </section>
  );
}
