/**
 * The Training side panel: start / stop / resume, the settings (the document's `training`
 * section), the live dashboard and, at the end, the evaluation. The job runs in the engine;
 * the canvas stays editable and the run keeps the graph it started with.
 */
import { useEffect, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { useDocumentStore } from '../../store/document-store.js';
import { Dashboard } from './Dashboard.js';
import { EvaluationView } from './EvaluationView.js';
import { isTraining } from './run-state.js';
import { projectOf } from './settings.js';
import { SettingsForm } from './SettingsForm.js';
import { trainingSession, useTrainingStore, type BackendChoice } from './training-session.js';
import './training.css';

const RESUMABLE = new Set(['cancelled', 'interrupted', 'failed']);

/** The panel. */
export function TrainingPanel() {
  const client = useEngine();
  const session = trainingSession(client);
  const doc = useDocumentStore((s) => s.doc);
  const project = useDocumentStore((s) => projectOf(s.fileName, s.doc.name));
  const { run, busy, error } = useTrainingStore();
  const [backend, setBackend] = useState<BackendChoice>('auto');
  useEffect(() => void session.restore(project), [session, project]);
  const training = isTraining(run);
  const canResume = !!run && !training && RESUMABLE.has(run.status ?? '') && run.epochRows.length > 0;
  return (
    <div className="training-panel" data-testid="training-panel">
      <div className="train-head">
        <span className="muted">project</span> <strong data-testid="train-project">{project}</strong>
      </div>
      <div className="train-controls">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || training || !doc.nodes.length}
          onClick={() => void session.start(doc, project, backend)}
          data-testid="train-start"
        >
          Start
        </button>
        <button type="button" className="btn" disabled={!training || run?.phase === 'stopping'} onClick={() => void session.stop()} data-testid="train-stop">
          Stop
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy || !canResume}
          onClick={() => run && void session.resume(run.runId, backend)}
          title="Continue from the last checkpoint"
          data-testid="train-resume"
        >
          Resume
        </button>
      </div>
      {error ? (
        <p className="field-error" data-testid="train-error">
          {error.message}
          {error.where?.node ? ` (node ${error.where.node})` : ''}
        </p>
      ) : null}
      <details className="train-settings-box" open={!run}>
        <summary>Settings</summary>
        <SettingsForm backend={backend} onBackend={setBackend} />
      </details>
      {run ? <Dashboard run={run} /> : <p className="form-hint">Choose a dataset and press Start: training runs in the engine while you keep editing.</p>}
      {run?.report ? <EvaluationView report={run.report} /> : null}
    </div>
  );
}
