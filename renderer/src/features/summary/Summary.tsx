/** The model summary: each layer's output shape, params and FLOPs, and the totals (Keras' model.summary()). */
import { useMemo } from 'react';
import { messageOnNode } from '../../../../engine/graph/analyze.js';
import { describeMemory, formatBytes, memoryProblem } from '../../../../engine/graph/memory.js';
import { fmtShape } from '../../../../engine/layers/common.js';
import { analysisOf } from '../../store/analysis.js';
import { useDocumentStore } from '../../store/document-store.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { useViewStore } from '../../store/view-store.js';
import { formatCount, formatFlops } from '../canvas/node-summary.js';

/** Training memory above which the Summary warns (the engine checks against its machine's own memory). */
const SUMMARY_MEMORY_LIMIT = 256e9;

/** The Summary tab. */
export function Summary() {
  const readOnly = useViewStore((s) => s.readOnly);
  const editable = useDocumentStore((s) => s.doc);
  const doc = readOnly?.doc ?? editable;
  const candidate = useViewStore((s) => (s.readOnly ? null : s.candidate));
  const analysis = useMemo(() => analysisOf(doc, candidate), [doc, candidate]);
  const errors = [...analysis.nodes.values()].filter((r) => r.error).length;
  // The engine refuses to train what exceeds its machine's memory; the page cannot know that
  // machine, so it warns above a size no desktop has and always for a tensor no runtime allocates.
  const memoryWarning = analysis.memory ? memoryProblem(analysis.memory, SUMMARY_MEMORY_LIMIT)?.message : undefined;
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
        {analysis.memory ? (
          <div title={describeMemory(analysis.memory)}>
            <span className="muted">Training memory</span>
            <strong data-testid="summary-memory">{formatBytes(analysis.memory.total)}</strong>
          </div>
        ) : null}
      </div>
      {memoryWarning ? (
        <div className="summary-problem" data-testid="summary-memory-problem">
          {memoryWarning}
        </div>
      ) : null}
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
