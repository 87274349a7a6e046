/**
 * The Runs side panel: the run history of the project (or of all projects) from SQLite with
 * status, date, best metric and duration; open a run (its charts, evaluation, and its graph
 * read-only on the canvas), compare two or more runs (curves overlaid, what changed), resume, delete, export
 * ONNX.
 */
import { useEffect, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { useDocumentStore } from '../../store/document-store.js';
import { Dashboard } from '../training/Dashboard.js';
import { EvaluationView } from '../training/EvaluationView.js';
import { formatDuration } from '../../ui/duration.js';
import { fmtDate, fmtValue } from '../training/format.js';
import { projectOf } from '../training/settings.js';
import '../training/training.css';
import { CompareView } from './CompareView.js';
import { installExportOnnxCommand } from './export-onnx.js';
import { runsSession, useRunsStore, type RunSummary } from './runs-session.js';
import './runs.css';

// The window's Export ONNX command exports the opened run, else the project's latest.
installExportOnnxCommand(() => useRunsStore.getState().opened?.runId ?? null);

const RESUMABLE = new Set(['cancelled', 'interrupted', 'failed']);

/** The best validation figure of a run, as the table shows it. */
function bestOf(r: RunSummary): string {
  const m = r.best ?? r.final;
  if (!m) return '—';
  if (typeof m.valAccuracy === 'number') return `acc ${fmtValue(m.valAccuracy)}`;
  if (typeof m.valLoss === 'number') return `loss ${fmtValue(m.valLoss)}`;
  return typeof m.loss === 'number' ? `loss ${fmtValue(m.loss)}` : '—';
}

function RunRow({ r, project, opened }: { r: RunSummary; project: string; opened: boolean }) {
  const session = runsSession(useEngine());
  const { compare, exporting } = useRunsStore();
  const [confirming, setConfirming] = useState(false);
  const status = r.active ? 'training' : r.status;
  return (
    <>
      <tr
        className={opened ? 'opened' : undefined}
        onClick={() => void (opened ? session.close() : session.open(r.id))}
        data-testid={`run-row-${r.id}`}
        title={r.id}
      >
        <td onClick={(e) => e.stopPropagation()}>
          <input
            type="checkbox"
            checked={compare.includes(r.id)}
            onChange={() => void session.toggleCompare(r.id)}
            title="Compare (tick two or more runs)"
            data-testid={`run-compare-${r.id}`}
          />
        </td>
        <td>
          <span className={`run-status run-status-${status}`}>{status}</span>
        </td>
        <td className="num">{fmtDate(r.createdAt)}</td>
        <td className="num">{bestOf(r)}</td>
        <td className="num">
          {r.epochsDone}
          {r.epochs ? `/${r.epochs}` : ''}
        </td>
        <td className="num">{formatDuration(r.durationMs / 1000)}</td>
      </tr>
      {opened ? (
        <tr className="run-actions-row">
          <td colSpan={6}>
            <div className="run-actions">
              <button
                type="button"
                className="btn btn-small"
                disabled={r.epochsDone === 0 || exporting !== null}
                onClick={() => void session.exportRun(r.id, r.project || project)}
                data-testid={`run-export-${r.id}`}
              >
                {exporting === r.id ? 'Exporting…' : 'Export ONNX'}
              </button>
              {RESUMABLE.has(r.status) && !r.active ? (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void session.resume(r.id)}
                  data-testid={`run-resume-${r.id}`}
                  title="Continue in the Training panel"
                >
                  Resume
                </button>
              ) : null}
              {confirming ? (
                <>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => void session.remove(r.id)}
                    data-testid={`run-delete-confirm-${r.id}`}
                  >
                    Delete for good
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
                    Keep
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={r.active}
                  onClick={() => setConfirming(true)}
                  data-testid={`run-delete-${r.id}`}
                >
                  Delete
                </button>
              )}
            </div>
            <div className="form-hint">
              {r.project} · {r.dataset} · {r.backend ?? '—'}
              {r.error ? ` · ${r.error}` : ''}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The panel. */
export function RunsPanel() {
  const client = useEngine();
  const session = runsSession(client);
  const current = useDocumentStore((s) => projectOf(s.fileName, s.doc.name));
  const { runs, project, loading, error, opened, compared, lastExport } = useRunsStore();
  const [all, setAll] = useState(false);
  const listed = all ? null : current;
  useEffect(() => void session.refresh(listed), [session, listed]);
  return (
    <div className="runs-panel" data-testid="runs-panel">
      <div className="runs-head">
        <span>
          Runs of <strong>{project ?? 'all projects'}</strong>
        </span>
        <label className="form-hint">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="runs-all" /> all projects
        </label>
        <button type="button" className="btn btn-small" onClick={() => void session.refresh()} disabled={loading} data-testid="runs-refresh">
          Refresh
        </button>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {lastExport ? (
        <p className="form-hint" data-testid="run-export-result">
          ONNX of {lastExport.runId}: {lastExport.path}
          {lastExport.url ? (
            <>
              {' '}
              ·{' '}
              <a href={lastExport.url} download>
                download
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {runs.length ? (
        <table className="summary-table runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th title="Compare">⇆</th>
              <th>status</th>
              <th className="num">date</th>
              <th className="num">best</th>
              <th className="num" title="epochs done / planned">
                ep.
              </th>
              <th className="num" title="training time">
                time
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} r={r} project={current} opened={opened?.runId === r.id} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="form-hint">{loading ? 'loading…' : 'No runs yet: train from the Training panel.'}</p>
      )}
      {compared.length >= 2 ? <CompareView runs={compared} /> : compared.length === 1 ? <p className="form-hint">Tick a second run to compare.</p> : null}
      {opened ? (
        <div className="run-opened" data-testid="run-opened">
          <div className="runs-head">
            <strong>Run {opened.runId}</strong>
            <button type="button" className="btn btn-small" onClick={() => session.close()} data-testid="run-close">
              Back to the design
            </button>
          </div>
          <Dashboard run={opened} />
          {opened.report ? <EvaluationView report={opened.report} /> : null}
        </div>
      ) : null}
    </div>
  );
}
