/**
 * The experiment being watched or opened: status and progress, Stop / Resume, errors, and
 * its views — trials table, objective-vs-cost scatter with the Pareto front, the evolution's
 * family tree and the weight-sharing strategies' probabilities.
 */
import { useEffect, useState } from 'react';
import { useEngine } from '../../engine/engine-context.js';
import { FamilyTree } from './FamilyTree.js';
import { hasLineage } from './family-tree.js';
import { formatDuration } from '../../ui/duration.js';
import { ParetoScatter } from './ParetoScatter.js';
import { ProbabilityBars } from './ProbabilityBars.js';
import { searchSession } from './search-session.js';
import { isActive, useSearchStore } from './search-store.js';
import { TrialsTable } from './TrialsTable.js';
import type { TrialViewProps } from './types.js';

/** Seconds since `since`, ticking once a second while `on`. */
function useElapsed(since: number | null, on: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return since === null ? null : Math.max(0, (now - since) / 1000);
}

/** Statuses a search can be resumed from. */
const RESUMABLE = ['cancelled', 'interrupted', 'failed'];

/** The current experiment; nothing before the first launch or open. */
export function ExperimentView() {
  const client = useEngine();
  const s = useSearchStore();
  const active = isActive(s.status);
  const elapsed = useElapsed(s.startedAt, active && s.origin === 'launched');
  const [showLog, setShowLog] = useState(false);
  if (!s.experimentId) return null;
  const session = searchSession(client);
  const ok = s.trials.filter((t) => t.status === 'ok').length;
  const select = (id: number, against: 'design' | 'parent' = s.selected?.against ?? 'design') => void session.showTrial(id, against);
  const best = s.trials.find((t) => t.trialId === s.bestTrialId);
  const views: TrialViewProps = {
    trials: s.trials,
    objectives: s.objectives,
    bestTrialId: s.bestTrialId,
    selectedId: s.selected?.trialId ?? null,
    onSelect: (id) => select(id),
  };

  return (
    <section className="search-box experiment" data-testid="experiment">
      <h3>
        {s.origin === 'opened' && !active ? 'Experiment (read-only)' : 'Experiment'}{' '}
        <code className="small" data-testid="experiment-id">
          {s.experimentId}
        </code>
      </h3>
      <div className="experiment-status">
        <span className={`chip status-${s.status}`} data-testid="search-status">
          {s.status}
        </span>
        <span className="muted" data-testid="search-progress">
          {s.trials.length}
          {s.budgetTrials ? ` / ${s.budgetTrials}` : ''} trials{ok < s.trials.length ? ` (${ok} ok)` : ''}
          {best ? ` · best #${best.trialId}` : ''}
          {elapsed !== null && active && s.origin === 'launched' ? ` · ${formatDuration(elapsed)}` : ''}
        </span>
        <span className="muted small">
          {s.strategy} · {s.evaluator}
        </span>
      </div>
      {s.budgetTrials && active ? <progress max={s.budgetTrials} value={Math.min(s.trials.length, s.budgetTrials)} aria-label="Trials done" /> : null}
      {s.progress && <p className="muted small">{s.progress}</p>}
      <div className="search-actions">
        {active && (
          <button
            onClick={() => void session.stop()}
            disabled={s.status === 'stopping' || !s.watching}
            data-testid="search-stop"
            title="Stops after the current step; the experiment stays resumable"
          >
            {s.status === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        )}
        {!active && RESUMABLE.includes(s.status) && (
          <button onClick={() => void session.resume()} data-testid="search-resume">
            Resume
          </button>
        )}
        {s.log.length > 0 && (
          <button className="link-button" onClick={() => setShowLog(!showLog)}>
            {showLog ? 'hide log' : `log (${s.log.length})`}
          </button>
        )}
      </div>
      {s.error && (
        <p className="search-error" data-testid="search-error">
          {s.status === 'failed' ? 'The search failed: ' : ''}
          {s.error}
        </p>
      )}
      {showLog && <pre className="search-log">{s.log.slice(-40).join('\n')}</pre>}
      {s.probabilities && (
        <ProbabilityBars choices={s.probabilities.choices} decisions={s.decisions} step={s.probabilities.step} epoch={s.probabilities.epoch} />
      )}
      {/* One grid in a full-window dashboard: scatter and table side by side, the tree below. */}
      <div className="experiment-views">
        {s.trials.length > 0 && (
          <>
            <ParetoScatter {...views} />
            <TrialsTable {...views} />
          </>
        )}
        {hasLineage(s.trials) && (
          <details open className="family-box">
            <summary>Family tree</summary>
            <FamilyTree {...views} onSelect={(id) => select(id, 'parent')} />
          </details>
        )}
      </div>
    </section>
  );
}
