/** The inspector: the selected node's id, label and params, as a form generated from its kind's schema. */
import { useState } from 'react';
import { messageOnNode } from '../../../../engine/graph/analyze.js';
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import { fmtShape } from '../../../../engine/layers/common.js';
import { getLayer } from '../../../../engine/layers/index.js';
import { analysisOf } from '../../store/analysis';
import { renameNode, renameProblem, setLabel, setParam } from '../../store/commands/set-param';
import { useDocumentStore } from '../../store/document-store';
import { perform } from '../../store/edit';
import { useSelectionStore } from '../../store/selection-store';
import { useViewStore } from '../../store/view-store';
import { fieldsOf, formatCount, formatFlops } from '../canvas/node-summary';
import { ParamInput } from './ParamInput';

function IdField({ node, disabled }: { node: LoomNode; disabled: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  const doc = useDocumentStore((s) => s.doc);
  const problem = draft === null ? null : renameProblem(doc, node.id, draft);
  const commit = () => {
    if (draft !== null && !problem && draft !== node.id) {
      perform(renameNode(node.id, draft));
      useSelectionStore.getState().select([draft]);
    }
    setDraft(null);
  };
  return (
    <>
      <input
        type="text"
        value={draft ?? node.id}
        disabled={disabled}
        aria-invalid={!!problem}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(null);
        }}
        data-testid="inspector-id"
      />
      {problem ? <div className="field-error">{problem}</div> : null}
    </>
  );
}

function NodeInspector({ node, doc, readOnly }: { node: LoomNode; doc: LoomDocument; readOnly: boolean }) {
  const def = getLayer(node.kind);
  const report = analysisOf(doc).nodes.get(node.id);
  if (!def) return <p className="field-error">Unknown layer kind “{node.kind}”.</p>;
  return (
    <div className="inspector" data-testid="inspector">
      <header className="inspector-head">
        <div className="inspector-kind">{def.label}</div>
        <div className="muted">{def.doc}</div>
      </header>
      {report?.error ? (
        <div className="inspector-problem" data-testid="inspector-problem">
          {messageOnNode(node.id, report.error)}
        </div>
      ) : null}
      <div className="form">
        <label className="form-row">
          <span className="form-label" title="Also the layer and weight name in exported models">
            Id
          </span>
          <span className="form-input">
            <IdField key={node.id} node={node} disabled={readOnly} />
          </span>
        </label>
        <label className="form-row">
          <span className="form-label">Label</span>
          <span className="form-input">
            <input type="text" value={node.label ?? ''} placeholder="optional" disabled={readOnly} onChange={(e) => perform(setLabel(node.id, e.target.value))} data-testid="inspector-label" />
          </span>
        </label>
        {fieldsOf(node.kind).length ? <div className="form-section">Parameters</div> : <p className="muted">This layer has no parameters.</p>}
        {fieldsOf(node.kind).map((f) => (
          <div className="form-row" key={`${node.id}:${f.name}`}>
            <span className="form-label" title={f.hint}>
              {f.name}
              {f.required ? <span className="required">*</span> : null}
            </span>
            <span className="form-input">
              <ParamInput def={def} field={f} value={node.params[f.name]} disabled={readOnly} onCommit={(v) => perform(setParam(node.id, f.name, v))} />
              {f.kind === 'number' || f.kind === 'list' || f.kind === 'text' ? <span className="form-hint">{f.hint}</span> : null}
            </span>
          </div>
        ))}
      </div>
      <div className="form-section">Output</div>
      <dl className="facts">
        <div>
          <dt>shape</dt>
          <dd data-testid="inspector-shape">{report?.shapes ? report.shapes.map(fmtShape).join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>params</dt>
          <dd>{report?.cost ? formatCount(report.cost.params) : '—'}</dd>
        </div>
        <div>
          <dt>FLOPs</dt>
          <dd>{report?.cost ? formatFlops(report.cost.flops) : '—'}</dd>
        </div>
      </dl>
    </div>
  );
}

/** The Inspector tab. */
export function Inspector() {
  const readOnly = useViewStore((s) => s.readOnly);
  const editable = useDocumentStore((s) => s.doc);
  const selected = useSelectionStore((s) => s.nodes);
  const selectedEdges = useSelectionStore((s) => s.edges);
  const doc = readOnly?.doc ?? editable;
  if (selected.size === 1) {
    const node = doc.nodes.find((n) => selected.has(n.id));
    if (node) return <NodeInspector node={node} doc={doc} readOnly={!!readOnly} />;
  }
  if (selected.size > 1) return <p className="muted inspector-empty">{selected.size} nodes selected. Delete, copy or move them together.</p>;
  if (selectedEdges.size === 1) {
    const index = doc.edges.findIndex((e) => e.id !== undefined && selectedEdges.has(e.id));
    const edge = doc.edges[index];
    if (edge) {
      const shape = analysisOf(doc).edgeShapes.get(index);
      return (
        <div className="inspector">
          <div className="inspector-kind">Edge</div>
          <p>
            {edge.source} → {edge.target}
          </p>
          <p className="muted">Carries {shape ? fmtShape(shape) : 'an unknown shape'}. Press Delete to remove it.</p>
        </div>
      );
    }
  }
  return (
    <p className="muted inspector-empty">
      Select a layer to edit its parameters. Drag layers from the palette, connect an output (bottom) to an input (top).
    </p>
  );
}
