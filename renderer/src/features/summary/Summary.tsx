/** The model summary: each layer's output shape, params and FLOPs, and the totals (Keras' model.summary()). */
import { useMemo } from 'react';
import { messageOnNode } from '../../../../engine/graph/analyze.js';
import { fmtShape } from '../../../../engine/layers/common.js';
import { analysisOf } from '../../store/analysis.js';
import { useDocumentStore } from '../../store/document-store.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { useViewStore } from '../../store/view-store.js';
import { formatCount, formatFlops } from '../canvas/node-summary.js';

/** The Summary tab. */
export function Summary() {
  const readOnly = useViewStore((s) => s.readOnly);
  const editable = useDocumentStore((s) => s.doc);
  const doc = readOnly?.doc ?? editable;
  const candidate = useViewStore((s) => (s.readOnly ? null : s.candidate));
  const analysis = useMemo(() => analysisOf(doc, candidate), [doc, candidate]);
  const errors = [...analysis.nodes.values()].filter((r) => r.error).length;
  return (
    <div className="summary" data-testid="summary">
      {analysis.space ? (
        <p className="muted" data-testid="summary-candidate">
          A search space: the numbers are those of the candidate the canvas shows (see the space summary).
        </p>
      ) : null}
      <div className="summary-totals">
        <div>
          <span className="muted">Parameters</span>
          <strong data-testid="summary-total-params">{formatCount(analysis.total.params)}</strong>
        </div>
        <div>
          <span className="muted">FLOPs / sample</span>
          <strong data-testid="summary-total-flops" title={`${formatCount(analysis.total.flops)} FLOPs`}>
            {formatFlops(analysis.total.flops)}
          </strong>
        </div>
        <div>
          <span className="muted">Layers</span>
          <strong>{doc.nodes.length}</strong>
        </div>
      </div>
      {analysis.problems.map((p) => (
        <div key={p} className="summary-problem">
          {p}
        </div>
      ))}
      {errors ? (
        <div className="summary-problem">
          {errors} layer{errors === 1 ? ' has' : 's have'} an error; totals count the layers whose shapes are known.
        </div>
      ) : null}
      <table className="summary-table">
        <thead>
          <tr>
            <th>Layer</th>
            <th>Output</th>
            <th className="num">Params</th>
            <th className="num">FLOPs</th>
          </tr>
        </thead>
        <tbody>
          {doc.nodes.map((n) => {
            const r = analysis.nodes.get(n.id);
            return (
              <tr
                key={n.id}
                className={r?.error ? 'has-error' : undefined}
                onClick={() => useSelectionStore.getState().select([n.id])}
                title={r?.error ? messageOnNode(n.id, r.error) : undefined}
                data-testid={`summary-row-${n.id}`}
              >
                <td>
                  <div>{n.label || n.id}</div>
                  <div className="muted">{n.kind}</div>
                </td>
                <td className="mono">{r?.shapes ? r.shapes.map(fmtShape).join(' ') : r?.error ? 'error' : '—'}</td>
                <td className="num">{r?.cost ? formatCount(r.cost.params) : '—'}</td>
                <td className="num">{r?.cost ? formatFlops(r.cost.flops) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
