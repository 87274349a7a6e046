/**
 * The Search side panel: the space summary, the example spaces when the document has nothing
 * to search, the settings and launch, the experiment being watched, the trial on the canvas,
 * and past experiments.
 */
import { useEffect, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { confirmDiscard, loadText } from '../files/file-actions.js';
import { ExperimentView } from './ExperimentView.js';
import { PastExperiments } from './PastExperiments.js';
import { SearchLauncher } from './SearchLauncher.js';
import { errorMessage } from './search-session.js';
import { SpaceSummary, useDocumentSearchable } from './SpaceSummary.js';
import { useSummaryStore } from './summary-store.js';
import { TrialPanel } from './TrialPanel.js';
import './search.css';

/** The example search spaces (examples/spaces/), offered while the document is not a space. */
function ExampleSpaces() {
  const client = useEngine();
  const [spaces, setSpaces] = useState<{ id: string; name: string; description: string; text: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client
      .call('examples.list', {})
      .then((all) => setSpaces(all.filter((e) => e.id.startsWith('spaces/'))))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [client]);
  const open = async (text: string) => {
    if (await confirmDiscard(client, 'opening an example search space')) loadText(text, null);
  };
  if (error) return <p className="search-error">{error}</p>;
  if (spaces.length === 0) return null;
  return (
    <div className="example-spaces">
      <span className="muted">Start from an example search space:</span>
      {spaces.map((s) => (
        <button
          key={s.id}
          className="chip"
          onClick={() => void open(s.text)}
          title={s.description}
          data-testid={`example-space-${s.id.replace(/^spaces\//, '')}`}
        >
          {s.name}
        </button>
      ))}
    </div>
  );
}

/** The Search tab. */
export function SearchPanel() {
  const summary = useSummaryStore((s) => s.summary);
  // A search space's summary is above the tabs already (SpaceSummaryStrip).
  const searchable = useDocumentSearchable();
  return (
    <div className="search-panel" data-testid="search-panel">
      {searchable ? null : <SpaceSummary />}
      {summary && (!summary.searchable || summary.error) && <ExampleSpaces />}
      <TrialPanel />
      <ExperimentView />
      <SearchLauncher />
      <PastExperiments />
    </div>
  );
}
