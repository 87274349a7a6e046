/**
 * The inspector: the selected node's id, label and params, as a form generated from its kind's
 * schema (a layer's, or a search-space container's), with a switch per param that makes it a
 * choice or range; the selected edge, with its optional switch.
 */
import { useState } from 'react';
import { messageOnNode } from '../../../../engine/graph/analyze.js';
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import { fmtShape } from '../../../../engine/layers/common.js';
import { paramDoc } from '../../../../engine/layers/explain.js';
import { getLayer } from '../../../../engine/layers/index.js';
import { explainNode } from '../../store/explain-node.js';
import { analysisOf } from '../../store/analysis.js';
import { renameNode, renameProblem, setLabel, setParam } from '../../store/commands/set-param.js';
import { setEdgeOptional, setGroup } from '../../store/commands/space.js';
import { containerDefs, isContainerKind, membersOf } from '../../store/containers.js';
import { canSearch, specOf } from '../../store/search-spec.js';
import { useDocumentStore } from '../../store/document-store.js';
import { perform } from '../../store/edit.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { useViewStore } from '../../store/view-store.js';
import { fieldsOf, formatCount, formatFlops } from '../canvas/node-summary.js';
import { ParamInput } from './ParamInput.js';
import { SearchSpecEditor, SearchToggle } from './SearchSpec.js';

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

/** Which container a member sits in, with the way out. */
function Membership({ node, doc, readOnly }: { node: LoomNode; doc: LoomDocument; readOnly: boolean }) {
  if (node.group === undefined) return null;
  const container = doc.nodes.find((n) => n.id === node.group);
  return (
    <div className="form-row">
      <span className="form-label">In</span>
      <span className="form-input inspector-membership" data-testid="inspector-group">
        {container?.kind ?? 'missing'} <strong>{node.group}</strong>
        {node.alternative !== undefined ? ` · alternative ${node.alternative}` : ''}
        <button type="button" className="btn btn-small" disabled={readOnly} onClick={() => perform(setGroup([node.id], {}))} data-testid="inspector-ungroup">
          Take out
        </button>
      </span>
    </div>
  );
}

/** What a container adds below its params: a Choice's lanes, a Cell's DAG switch. */
function ContainerExtras({ node, doc }: { node: LoomNode; doc: LoomDocument }) {
  const open = useViewStore((s) => s.openCells.has(node.id));
  if (node.kind === 'Cell') {
    return (
      <p className="muted">
        Each of the 6 edges chooses among none, skip, conv1x1, conv3x3 and avgpool3x3.{' '}
        <button type="button" className="btn btn-small" onClick={() => useViewStore.getState().toggleCell(node.id)} data-testid="inspector-cell-toggle">
          {open ? 'Close' : 'Open'} DAG
        </button>
      </p>
    );
  }
  const members = membersOf(doc, node.id);
  if (node.kind === 'Repeat') return <p className="muted">Block: {members.map((m) => m.id).join(' → ') || 'empty (drop layers into the frame)'}</p>;
  const lanes = [...new Set(members.map((m) => m.alternative ?? 0))].sort((a, b) => a - b);
  return (
    <ul className="inspector-lanes">
      {lanes.map((a) => (
        <li key={a}>
          alternative {a}:{' '}
          {members
            .filter((m) => (m.alternative ?? 0) === a)
            .map((m) => m.id)
            .join(' → ')}
        </li>
      ))}
      {lanes.length === 0 ? <li className="muted">no alternatives yet: drop layers into the frame</li> : null}
    </ul>
  );
}

function NodeInspector({ node, doc, readOnly }: { node: LoomNode; doc: LoomDocument; readOnly: boolean }) {
  const def = getLayer(node.kind);
  const container = isContainerKind(node.kind) ? containerDefs[node.kind] : undefined;
  const candidate = useViewStore((s) => s.candidate);
  const analysis = analysisOf(doc, readOnly ? null : candidate);
  const report = analysis.nodes.get(node.id);
  if (!def && !container) return <p className="field-error">Unknown layer kind “{node.kind}”.</p>;
  const schema = def?.params ?? container!.params;
  // Layer params can become choices or ranges (Input and Output describe the data: no).
  const searchable = !!def && node.kind !== 'Input' && node.kind !== 'Output';
  const eg = analysis.space ? 'e.g. ' : '';
  const explanation = explainNode(doc, analysis, node.id);
  return (
    <div className="inspector" data-testid="inspector">
      <header className="inspector-head">
        <div className="inspector-kind">{def?.label ?? container!.label}</div>
        <div className="muted">{def?.doc ?? container!.doc}</div>
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
            <input
              type="text"
              value={node.label ?? ''}
              placeholder="optional"
              disabled={readOnly}
              onChange={(e) => perform(setLabel(node.id, e.target.value))}
              data-testid="inspector-label"
            />
          </span>
        </label>
        <Membership node={node} doc={doc} readOnly={readOnly} />
        {fieldsOf(node.kind).length ? (
          <div className="form-section">Parameters</div>
        ) : container ? null : (
          <p className="muted">This layer has no parameters.</p>
        )}
        {fieldsOf(node.kind).map((f) => {
          const value = node.params[f.name];
          const spec = specOf(value) !== null;
          return (
            <div className="form-row" key={`${node.id}:${f.name}`}>
              <span
                className="form-label param-label"
                data-doc={def ? `${paramDoc(def, f.name) ?? f.name} Accepts ${f.hint}.` : `Accepts ${f.hint}.`}
                data-testid={`inspector-param-${f.name}`}
              >
                {f.name}
                {f.required ? <span className="required">*</span> : null}
                {searchable && canSearch(f) ? <SearchToggle nodeId={node.id} field={f} value={value} disabled={readOnly} /> : null}
              </span>
              <span className="form-input">
                {spec ? (
                  <SearchSpecEditor nodeId={node.id} field={f} value={value} disabled={readOnly} schema={schema} />
                ) : (
                  <ParamInput schema={schema} field={f} value={value} disabled={readOnly} onCommit={(v) => perform(setParam(node.id, f.name, v))} />
                )}
                {!spec && (f.kind === 'number' || f.kind === 'list' || f.kind === 'text') ? <span className="form-hint">{f.hint}</span> : null}
              </span>
            </div>
          );
        })}
        {container ? <ContainerExtras node={node} doc={doc} /> : null}
      </div>
      <div className="form-section">Output{analysis.space ? ' (in the candidate shown)' : ''}</div>
      <dl className="facts">
        <div>
          <dt>shape</dt>
          <dd data-testid="inspector-shape">{report?.shapes ? eg + report.shapes.map(fmtShape).join(', ') : '—'}</dd>
        </div>
        {explanation ? (
          <div className="shape-why">
            <dt>why</dt>
            <dd data-testid="inspector-shape-why">
              {eg}
              {explanation}
            </dd>
          </div>
        ) : null}
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

/** The selected edge: what it carries, and (editable) whether the search may drop it. */
function EdgeInspector({ doc, index, readOnly }: { doc: LoomDocument; index: number; readOnly: boolean }) {
  const candidate = useViewStore((s) => s.candidate);
  const edge = doc.edges[index];
  const analysis = analysisOf(doc, readOnly ? null : candidate);
  const shape = analysis.edgeShapes.get(index);
  return (
    <div className="inspector" data-testid="inspector-edge">
      <div className="inspector-kind">Edge</div>
      <p>
        {edge.source} → {edge.target}
      </p>
      <p className="muted">Carries {shape ? `${analysis.space ? 'e.g. ' : ''}${fmtShape(shape)}` : 'an unknown shape'}. Press Delete to remove it.</p>
      {edge.id !== undefined ? (
        <label className="form-row">
          <span className="form-label" title="A skip connection the search may switch off (decision edge:source->target)">
            Optional
          </span>
          <span className="form-input">
            <input
              type="checkbox"
              checked={edge.optional === true}
              disabled={readOnly}
              onChange={(e) => perform(setEdgeOptional(edge.id!, e.target.checked))}
              data-testid="inspector-edge-optional"
            />
          </span>
        </label>
      ) : null}
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
    if (index >= 0) return <EdgeInspector doc={doc} index={index} readOnly={!!readOnly} />;
  }
  return (
    <p className="muted inspector-empty">Select a layer to edit its parameters. Drag layers from the palette, connect an output (bottom) to an input (top).</p>
  );
}
