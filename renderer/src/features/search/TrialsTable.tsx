/** The live table of trials: sortable by any column header, filtered by text or `metric>value`. */
import { useMemo, useState } from 'react';
import { filterTrials, sortTrials, tableColumns, type SortDir } from './trials.js';
import type { TrialViewProps } from './types.js';

/** The trials table. */
export function TrialsTable({ trials, objectives, bestTrialId, selectedId, onSelect }: TrialViewProps) {
  const [sort, setSort] = useState<{ id: string; dir: SortDir }>({ id: 'trialId', dir: 'desc' });
  const [query, setQuery] = useState('');
  const columns = useMemo(() => tableColumns(trials, objectives), [trials, objectives]);
  const rows = useMemo(() => {
    const col = columns.find((c) => c.id === sort.id) ?? columns[0];
    return sortTrials(filterTrials(trials, query, columns), col, sort.dir);
  }, [trials, query, columns, sort]);

  const toggle = (id: string) =>
    setSort((s) => (s.id === id ? { id, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { id, dir: id === 'trialId' || id === 'status' ? 'asc' : 'desc' }));

  return (
    <div className="trials">
      <input
        className="trial-filter"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Filter: text, valAccuracy>0.9, params<50k"
        aria-label="Filter trials"
        data-testid="trial-filter"
      />
      <div className="trials-scroll">
        <table className="trials-table" data-testid="trials-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.id}
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.id === c.id ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  onClick={() => toggle(c.id)}
                  data-testid={`trial-sort-${c.id}`}
                >
                  {c.label}
                  {sort.id === c.id ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr
                key={t.trialId}
                className={[t.trialId === selectedId && 'selected', t.trialId === bestTrialId && 'best', t.status !== 'ok' && 'not-ok']
                  .filter(Boolean)
                  .join(' ')}
                onClick={() => onSelect(t.trialId)}
                title={t.error ?? t.arch}
                data-testid={`trial-row-${t.trialId}`}
              >
                {columns.map((c) => (
                  <td key={c.id} className={c.numeric ? 'num' : undefined}>
                    {c.text(t)}
                    {c.id === 'trialId' && t.trialId === bestTrialId ? ' ★' : ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="muted small">{rows.length === trials.length ? `${trials.length} trials` : `${rows.length} of ${trials.length} trials`}</div>
    </div>
  );
}
