/** Two runs' curves of one metric on one chart, lined up by epoch. */
import { useMemo, useState } from 'react';
import { alignLines, compareLines, sharedMetrics } from '../training/chart-data.js';
import { Chart, palette } from '../training/Chart.js';
import type { RunView } from '../training/run-state.js';

/** The comparison of two runs. */
export function CompareView({ runs }: { runs: { id: string; run: RunView }[] }) {
  const views = useMemo(() => runs.map((r) => r.run), [runs]);
  const metrics = useMemo(() => sharedMetrics(views), [views]);
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen && metrics.includes(chosen) ? chosen : metrics[0];
  const data = useMemo(() => (metric ? alignLines(compareLines(views, metric)) : null), [views, metric]);
  if (!metric || !data) return <p className="form-hint">These runs share no metric to compare.</p>;
  return (
    <div className="run-compare" data-testid="run-compare">
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
      <Chart testId="chart-compare" title={`${metric}: ${runs.map((r) => r.id).join(' vs ')}`} xLabel="epoch" data={data} series={runs.map((r, i) => ({ label: r.id, color: palette[i] }))} />
    </div>
  );
}
