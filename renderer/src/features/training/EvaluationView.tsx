/**
 * The end-of-run evaluation on the validation set: headline metrics, the confusion matrix
 * (true classes down, predictions across; PNG export), per-class precision / recall / F1,
 * one-vs-rest ROC curves with their AUC, and a grid of the most confident mistakes.
 */
import { useMemo } from 'react';
import { rocAligned } from './chart-data.js';
import { Chart, palette } from './Chart.js';
import { fmtValue } from './format.js';
import { cellColor, confusionPng, downloadBlob } from './png.js';
import type { RunReport } from './run-state.js';
import { SampleImage } from './SampleImage.js';

type Classification = NonNullable<RunReport['classification']>;

function ConfusionMatrix({ c, labels }: { c: Classification; labels: string[] }) {
  const save = () => void confusionPng(c.confusion, labels).then((b) => downloadBlob(b, 'confusion-matrix.png'));
  return (
    <figure className="train-chart">
      <figcaption>
        <span>confusion matrix (rows: true, columns: predicted)</span>
        <button type="button" className="btn btn-small" onClick={save} data-testid="confusion-matrix-png">
          PNG
        </button>
      </figcaption>
      <div className="confusion-scroll">
        <table className="confusion" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th />
              {labels.map((l) => (
                <th key={l}>{l}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.confusion.map((row, t) => {
              const total = row.reduce((a, b) => a + b, 0) || 1;
              return (
                <tr key={t}>
                  <th>{labels[t]}</th>
                  {row.map((n, p) => (
                    <td
                      key={p}
                      style={{ background: cellColor(n / total, t === p), color: n / total > 0.5 ? '#fff' : undefined }}
                      title={`true ${labels[t]}, predicted ${labels[p]}: ${n}`}
                    >
                      {n || ''}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function PerClass({ c, labels }: { c: Classification; labels: string[] }) {
  return (
    <table className="summary-table per-class" data-testid="per-class">
      <thead>
        <tr>
          <th>class</th>
          <th className="num">precision</th>
          <th className="num">recall</th>
          <th className="num">F1</th>
          <th className="num">n</th>
        </tr>
      </thead>
      <tbody>
        {c.perClass.map((r, i) => (
          <tr key={i}>
            <td>{labels[i]}</td>
            <td className="num">{fmtValue(r.precision)}</td>
            <td className="num">{fmtValue(r.recall)}</td>
            <td className="num">{fmtValue(r.f1)}</td>
            <td className="num">{r.support}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Roc({ c, labels }: { c: Classification; labels: string[] }) {
  const data = useMemo(() => rocAligned(c.roc), [c.roc]);
  return (
    <Chart
      testId="chart-roc"
      title={`ROC (one vs rest), macro AUC ${fmtValue(c.auc)}`}
      xLabel="false positive rate"
      xRange={[0, 1]}
      yRange={[0, 1.02]}
      height={220}
      data={data}
      series={[
        { label: 'chance', color: '#adb5bd', thin: true, dash: [4, 4] },
        ...c.roc.map((r, i) => ({ label: `${labels[r.classIndex]} (AUC ${fmtValue(r.auc)})`, color: palette[i % palette.length], thin: true })),
      ]}
    />
  );
}

function Mistakes({ report, labels }: { report: RunReport; labels: string[] }) {
  if (!report.misclassified.length) return <p className="form-hint">No misclassified validation samples.</p>;
  return (
    <div className="mistakes" data-testid="misclassified">
      <div className="form-section">Most confident mistakes</div>
      <div className="sample-grid">
        {report.misclassified.map((m) => (
          <figure key={m.index} title={`validation sample ${m.index}`}>
            {m.image ? <SampleImage image={m.image} size={44} /> : <span className="muted">#{m.index}</span>}
            <figcaption>
              {labels[m.trueClass]} → <strong>{labels[m.predictedClass]}</strong> ({fmtValue(m.confidence)})
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

/** The evaluation of a finished run. */
export function EvaluationView({ report }: { report: RunReport }) {
  const c = report.classification;
  const labels = useMemo(() => {
    const n = c?.confusion.length ?? 0;
    return Array.from({ length: n }, (_, i) => report.classNames?.[i] ?? String(i));
  }, [c, report.classNames]);
  return (
    <section className="run-evaluation" data-testid="train-evaluation">
      <div className="form-section">Evaluation on {report.count} validation samples</div>
      {c ? (
        <>
          <dl className="run-metrics">
            {(['accuracy', 'precision', 'recall', 'f1', 'auc'] as const).map((k) => (
              <div key={k}>
                <dt>{k === 'accuracy' ? k : `macro ${k}`}</dt>
                <dd data-testid={`eval-${k}`}>{fmtValue(c[k])}</dd>
              </div>
            ))}
          </dl>
          <ConfusionMatrix c={c} labels={labels} />
          <PerClass c={c} labels={labels} />
          {c.roc.length ? <Roc c={c} labels={labels} /> : null}
          <Mistakes report={report} labels={labels} />
        </>
      ) : (
        <dl className="run-metrics">
          <div>
            <dt>loss</dt>
            <dd>{fmtValue(report.loss)}</dd>
          </div>
          <div>
            <dt>MSE</dt>
            <dd>{fmtValue(report.regression?.mse)}</dd>
          </div>
          <div>
            <dt>MAE</dt>
            <dd>{fmtValue(report.regression?.mae)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
