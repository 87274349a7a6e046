/**
 * Two or more runs compared: their curves overlaid per metric (lined up by epoch; every
 * shared metric side by side in a full-window dashboard, one picked in the side panel), and
 * what changed between them: training settings and graph, each run against the first ticked.
 */
import { useMemo, useState } from 'react';
import { useFullRoom } from '../../app/DashboardRoom.js';
import { alignLines, compareLines, sharedMetrics } from '../training/chart-data.js';
import { Chart, palette } from '../training/Chart.js';
import { diffGraphs, diffSettings, sameGraph, type GraphDiff } from './run-diff.js';
import type { ComparedRun } from './runs-session.js';

function MetricChart({ runs, metric }: { runs: ComparedRun[]; metric: string }) {
  const data = useMemo(
    () =>
      alignLines(
        compareLines(
          runs.map((r) => r.run),
          metric,
        ),
      ),
    [runs, metric],
  );
  return (
    <Chart
      testId={`chart-compare-${metric}`}
      title={metric}
      xLabel="epoch"
      data={data}
      series={runs.map((r, i) => ({ label: r.id, color: palette[i % palette.length] }))}
    />
  );
}

function GraphChanges({ d }: { d: GraphDiff }) {
  if (sameGraph(d)) return <span className="muted">same graph</span>;
  const items = [
    ...d.added.map((x) => `+ ${x}`),
    ...d.removed.map((x) => `− ${x}`),
    ...d.kindChanged.map((c) => `${c.id}: ${c.from} → ${c.to}`),
    ...d.paramChanged.map((c) => `${c.id}.${c.param}: ${c.from} → ${c.to}`),
    ...d.edgesAdded.map((e) => `+ edge ${e}`),
    ...d.edgesRemoved.map((e) => `− edge ${e}`),
  ];
  return (
    <ul className="diff-list">
      {items.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  );
}

/** What changed: settings as a table (one column per run), graph changes per run against the first. */
function RunDiff({ runs }: { runs: ComparedRun[] }) {
  const settings = useMemo(() => diffSettings(runs.map((r) => r.config)), [runs]);
  const graphs = useMemo(() => runs.slice(1).map((r) => ({ id: r.id, d: diffGraphs(runs[0].graph, r.graph) })), [runs]);
  return (
    <div className="run-diff" data-testid="run-diff">
      <h4>Training settings</h4>
      {settings.length ? (
        <table className="summary-table diff-table" data-testid="run-diff-settings">
          <thead>
            <tr>
              <th>setting</th>
              {runs.map((r, i) => (
                <th key={r.id} style={{ color: palette[i % palette.length] }} title={r.id}>
                  {r.id.slice(-6)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {settings.map((s) => (
              <tr key={s.key} data-testid={`run-diff-setting-${s.key}`}>
                <td>{s.key}</td>
                {s.values.map((v, i) => (
                  <td key={i} className={v !== s.values[0] ? 'changed' : undefined}>
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Same settings.</p>
      )}
      <h4>Graph (against {runs[0].id})</h4>
      <dl className="diff-graphs" data-testid="run-diff-graph">
        {graphs.map((g) => (
          <div key={g.id}>
            <dt>{g.id}</dt>
            <dd>
              <GraphChanges d={g.d} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The comparison of the ticked runs. */
export function CompareView({ runs }: { runs: ComparedRun[] }) {
  const full = useFullRoom();
  const metrics = useMemo(() => sharedMetrics(runs.map((r) => r.run)), [runs]);
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen && metrics.includes(chosen) ? chosen : metrics[0];
  return (
    <div className="run-compare" data-testid="run-compare">
      <div className="runs-head">
        <strong>Comparing {runs.length} runs</strong>
      </div>
      <RunDiff runs={runs} />
      {!metric ? (
        <p className="form-hint">These runs share no metric to compare.</p>
      ) : full ? (
        <div className="run-charts">
          {metrics.map((m) => (
            <MetricChart key={m} runs={runs} metric={m} />
          ))}
        </div>
      ) : (
        <>
          <label className="form-row">
            <span className="form-label">Compare</span>
            <select value={metric} onChange={(e) => setChosen(e.target.value)} data-testid="run-compare-metric">
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <MetricChart runs={runs} metric={metric} />
        </>
      )}
    </div>
  );
}
