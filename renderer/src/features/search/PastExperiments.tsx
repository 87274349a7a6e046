/** Experiments stored in SQLite, newest first; one opens read-only (or live, if still running). */
import { useCallback, useEffect, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { errorMessage, searchSession } from './search-session.js';
import { useSearchStore } from './search-store.js';
import type { ExperimentInfo } from './types.js';

/** The experiments list. */
export function PastExperiments() {
  const client = useEngine();
  const currentId = useSearchStore((s) => s.experimentId);
  const currentStatus = useSearchStore((s) => s.status);
  const [list, setList] = useState<ExperimentInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setList(await client.call('search.list', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [client]);

  // Refreshed on mount, when the shown experiment changes state, and when any search ends.
  useEffect(() => {
    void refresh();
  }, [refresh, currentId, currentStatus]);
  useEffect(() => client.onNotice((n) => n.kind === 'search.ended' && void refresh()), [client, refresh]);

  const open = async (id: string) => {
    setOpening(id);
    setError(null);
    try {
      await searchSession(client).open(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setOpening(null);
    }
  };

  return (
    <section className="search-box experiments" data-testid="experiments">
      <h3>
        Experiments
        <button className="link-button" onClick={() => void refresh()} title="Reload the list">
          ↻
        </button>
      </h3>
      {error && <p className="search-error">{error}</p>}
      {list?.length === 0 && <p className="muted">No experiments yet.</p>}
      <ul className="experiment-list">
        {list?.map((x) => (
          <li key={x.id}>
            <button
              className={x.id === currentId ? 'experiment selected' : 'experiment'}
              onClick={() => void open(x.id)}
              disabled={opening !== null}
              data-testid={`experiment-${x.id}`}
            >
              <span className="experiment-title">
                {x.project ?? 'space'} · {x.strategy}
                {x.live && <span className="badge live">live</span>}
              </span>
              <span className="muted small">
                {x.status} · {x.trialsDone} trial{x.trialsDone === 1 ? '' : 's'}
                {x.bestTrial !== null && ` · best #${x.bestTrial}`} · {new Date(x.createdAt).toLocaleString()}
              </span>
              {opening === x.id && <span className="muted small">opening…</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
