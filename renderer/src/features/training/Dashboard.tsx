/**
 * The live (or stored) run: status, backend, epoch, samples/s and ETA; the latest value of
 * every metric (`metric-<name>`); and the charts — loss per batch and per epoch (train vs
 * validation), each metric, learning rate, throughput.
 */
import { useMemo } from 'react';
import { alignLines, type Aligned, lossLines, lrLines, metricCharts, metricLines, metricNames, throughputLines } from './chart-data.js';
import { Chart, palette } from './Chart.js';
import { formatDuration } from '../../ui/duration.js';
import { fmtRate, fmtValue } from './format.js';
import { isTraining, latestMetrics, type RunView } from './run-state.js';

const TRAIN = palette[0];
const VAL = palette[1];
const BATCH = '#9db9f0';

function statusText(run: RunView): string {
  if (run.phase === 'lost') return 'connection lost';
  if (run.phase === 'stopping') return 'stopping…';
  if (run.phase === 'starting') return 'starting…';
  if (run.phase === 'running') return 'training';
  return run.status ?? 'ended';
}

/** Status line and the latest metrics. */
function RunFacts({ run }: { run: RunView }) {
  const latest = latestMetrics(run);
  const p = run.progress;
  return (
    <div className="run-facts">
      <div className="run-status-line">
        <span className={`run-status run-status-${run.status ?? run.phase}`} data-testid="train-status">
          {statusText(run)}
        </span>
        <span className="muted" data-testid="train-run-id">
          {run.runId}
        </span>
      </div>
      <dl className="run-progress">
        <div>
          <dt>Epoch</dt>
          <dd data-testid="train-epoch">
            {p.epoch}
            {run.epochs ? ` / ${run.epochs}` : ''}
          </dd>
        </div>
        <div>
          <dt>Samples/s</dt>
          <dd data-testid="train-rate">{fmtRate(p.samplesPerSec)}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd data-testid="train-eta">{isTraining(run) ? formatDuration(p.etaSeconds) : '—'}</dd>
        </div>
        <div>
          <dt>LR</dt>
          <dd>{fmtValue(p.lr)}</dd>
        </div>
      </dl>
      {run.backend ? (
        <p className="form-hint" title={run.backend.reason} data-testid="train-backend-shown">
          backend: {run.backend.name}
          {run.backend.reason ? ` — ${run.backend.reason}` : ''}
        </p>
      ) : null}
      {run.message ? (
        <p className={run.status === 'failed' ? 'field-error' : 'run-message'} data-testid="train-message">
          {run.message}
        </p>
      ) : null}
      {Object.keys(latest).length ? (
        <dl className="run-metrics">
          {Object.entries(latest).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd data-testid={`metric-${k}`}>{fmtValue(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}

/** A quantity recorded per batch (thin) and per epoch (marked). */
function PerBatchAndEpoch({ testId, title, data, logY }: { testId: string; title: string; data: Aligned; logY?: boolean }) {
  return (
    <Chart
      testId={testId}
      title={title}
      xLabel="epoch"
      data={data}
      logY={logY}
      series={[
        { label: 'per batch', color: BATCH, thin: true },
        { label: 'per epoch', color: TRAIN },
      ]}
    />
  );
}

/** The charts of a run. */
function RunCharts({ run }: { run: RunView }) {
  const names = useMemo(() => metricNames(run), [run]);
  const charts = useMemo(() => metricCharts(names), [names]);
  const loss = useMemo(() => alignLines(lossLines(run)), [run]);
  const lr = useMemo(() => alignLines(lrLines(run)), [run]);
  const rate = useMemo(() => alignLines(throughputLines(run)), [run]);
  const metrics = useMemo(() => charts.map((c) => alignLines(metricLines(run, c))), [run, charts]);
  const positiveLr = lr.slice(1).every((ys) => ys.every((v) => v === null || v > 0));
  return (
    <div className="run-charts">
      <Chart
        testId="chart-loss"
        title="loss"
        xLabel="epoch"
        data={loss}
        series={[
          { label: 'train (batch)', color: BATCH, thin: true },
          { label: 'train', color: TRAIN },
          { label: 'validation', color: VAL },
        ]}
      />
      {charts.map((c, i) => (
        <Chart
          key={c.id}
          testId={`chart-${c.id}`}
          title={c.title}
          xLabel="epoch"
          data={metrics[i]}
          series={c.series.map((s, j) => ({
            label: s.label,
            color: c.series.length === 2 ? (s.split === 'train' ? TRAIN : VAL) : palette[(j + 1) % palette.length],
          }))}
        />
      ))}
      <PerBatchAndEpoch testId="chart-lr" title="learning rate" data={lr} logY={positiveLr} />
      <PerBatchAndEpoch testId="chart-throughput" title="samples per second" data={rate} />
    </div>
  );
}

/** Facts and charts of one run. */
export function Dashboard({ run }: { run: RunView }) {
  return (
    <section className="run-dashboard" data-testid="train-dashboard">
      <RunFacts run={run} />
      <RunCharts run={run} />
    </section>
  );
}
