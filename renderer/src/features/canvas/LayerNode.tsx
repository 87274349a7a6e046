/**
 * One layer on the canvas: kind, name, key params, searchable-param badges, output shape,
 * typed ports and its error. The pieces are shared with the Cell and frame nodes.
 */
import { Handle, NodeToolbar, Position, type NodeProps } from '@xyflow/react';
import { memo, useState, type CSSProperties, type ReactNode } from 'react';
import { getLayer } from '../../../../engine/layers/index.js';
import type { PortSpec } from '../../../../engine/layers/types.js';
import { containerDefs, isContainerKind } from '../../store/containers.js';
import { useNodeStatsStore, type NodeStats } from '../../store/node-stats-store.js';
import { heatColor } from './heat.js';
import { formatCount, formatFlops } from './node-summary.js';
import type { LayerFlowNode, LayerNodeData } from './to-flow.js';

function portTitle(p: PortSpec, input: boolean): string {
  if (!input) return `${p.name}: output tensor (drag to an input to connect)`;
  return p.multi ? `${p.name}: ${p.min ?? 1} or more inputs, merged in edge order` : `${p.name}: one input tensor`;
}

/** A node's input (top) or output (bottom) handles. */
function Ports({ id, ports, input }: { id: string; ports: PortSpec[]; input: boolean }) {
  return ports.map((p, i) => (
    <Handle
      key={p.name}
      id={p.name}
      type={input ? 'target' : 'source'}
      position={input ? Position.Top : Position.Bottom}
      className={`port${p.multi ? ' port-multi' : ''}`}
      style={ports.length > 1 ? { left: `${((i + 1) * 100) / (ports.length + 1)}%` } : undefined}
      title={portTitle(p, input)}
      data-testid={`port-${id}-${p.name}`}
    />
  ));
}

function statRows(s: NodeStats | undefined): [string, string][] {
  if (!s) return [];
  const f = (v: number) => (Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(3));
  const rows: [string, string][] = [];
  if (s.weightNorm !== undefined) rows.push(['weight norm', f(s.weightNorm)]);
  if (s.activationMean !== undefined) rows.push(['activation mean', f(s.activationMean)]);
  if (s.activationStd !== undefined) rows.push(['activation std', f(s.activationStd)]);
  if (s.zeroFraction !== undefined) rows.push(['zero activations', `${(s.zeroFraction * 100).toFixed(1)} %`]);
  return rows;
}

function Facts({ rows, testId }: { rows: [string, string][]; testId?: string }) {
  return (
    <dl data-testid={testId}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The hover card of a node: what it is, its output, params and FLOPs, and measured statistics. */
export function NodeTooltip({ id, data }: { id: string; data: LayerNodeData }) {
  const stats = useNodeStatsStore((s) => s.stats[id]);
  const runId = useNodeStatsStore((s) => s.runId);
  const rows: [string, string][] = [['output', data.shape ?? '—']];
  if (data.params !== null) rows.push(['params', formatCount(data.params)]);
  if (data.flops !== null) rows.push(['FLOPs', formatFlops(data.flops)]);
  const measured = statRows(stats);
  return (
    <NodeToolbar isVisible position={Position.Right} align="start" className="node-tooltip" data-testid={`node-tooltip-${id}`}>
      <div className="node-tooltip-title">
        {data.kind} <span className="muted">{id}</span>
      </div>
      <div className="node-tooltip-doc">{getLayer(data.kind)?.doc ?? (isContainerKind(data.kind) ? containerDefs[data.kind].doc : 'unknown layer kind')}</div>
      <Facts rows={rows} />
      {measured.length ? (
        <>
          <div className="node-tooltip-section">Last training run{runId ? ` (${runId})` : ''}</div>
          <Facts rows={measured} testId={`node-stats-${id}`} />
        </>
      ) : null}
    </NodeToolbar>
  );
}

/** The classes and heat style every node kind shares. */
export function nodeLook(base: string, data: LayerNodeData, selected: boolean): { className: string; style: CSSProperties | undefined } {
  const cls = [base, `cat-${data.category}`];
  if (selected) cls.push('selected');
  if (data.error) cls.push('has-error');
  if (data.blocked) cls.push('blocked');
  if (data.highlighted) cls.push('highlighted');
  if (data.heat !== null) cls.push('heated');
  if (data.failing) cls.push('failing');
  if (data.absent) cls.push('absent');
  const style = data.heat !== null ? ({ '--heat': heatColor(data.heat) } as CSSProperties) : undefined;
  return { className: cls.join(' '), style };
}

/** The output shape line; in a drawn space, the shape of the candidate shown. */
function ShapeLine({ id, data }: { id: string; data: LayerNodeData }) {
  const text = data.absent ? 'not in the candidate shown' : data.shape ? `→ ${data.shape}` : data.blocked ? 'waiting for an upstream fix' : '→ ?';
  const title = data.example && data.shape ? `e.g. ${data.shape}: the output in the candidate shown; other candidates may differ` : undefined;
  return (
    <div className={`layer-node-shape${data.example ? ' example' : ''}`} title={title} data-testid={`node-shape-${id}`}>
      {text}
    </div>
  );
}

/** Searchable-param badges, the node's error and what the shape check blames on it. */
function NodeNotes({ id, data }: { id: string; data: LayerNodeData }) {
  return (
    <>
      {data.badges.length ? (
        <div className="node-badges">
          {data.badges.map((b) => (
            <span key={b} className="node-badge" data-testid={`badge-${id}-${b.slice(0, b.indexOf(' '))}`}>
              {b}
            </span>
          ))}
        </div>
      ) : null}
      {data.error ? (
        <div className="layer-node-error" data-testid={`node-error-${id}`} role="alert">
          {data.error}
        </div>
      ) : null}
      {data.failing ? (
        <div
          className="layer-node-failing"
          data-testid={`node-failing-${id}`}
          title="Candidates with these values fail the shape check (see the space summary)"
        >
          shape check fails: {data.failing}
        </div>
      ) : null}
    </>
  );
}

/** Hover state for the tooltip. */
export function useHover() {
  const [hover, setHover] = useState(false);
  return { hover, bind: { onMouseEnter: () => setHover(true), onMouseLeave: () => setHover(false) } };
}

/**
 * What a layer and a Cell share: ports, kind and name, `children` (key params, a Cell's DAG),
 * the output shape, badges, errors, shape-check marks and the hover card.
 */
export function NodeShell({
  id,
  data,
  selected,
  className,
  children,
}: {
  id: string;
  data: LayerNodeData;
  selected: boolean;
  className: string;
  children?: ReactNode;
}) {
  const { hover, bind } = useHover();
  const look = nodeLook(className, data, selected);
  return (
    <div className={look.className} style={look.style} data-testid={`node-${id}`} {...bind}>
      <Ports id={id} ports={data.inputs} input />
      <div className="layer-node-head">
        <span className="layer-node-kind">{data.kind}</span>
        <span className="layer-node-title">{data.title}</span>
      </div>
      {children}
      <ShapeLine id={id} data={data} />
      <NodeNotes id={id} data={data} />
      <Ports id={id} ports={data.outputs} input={false} />
      {hover ? <NodeTooltip id={id} data={data} /> : null}
    </div>
  );
}

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  return (
    <NodeShell id={id} data={data} selected={selected} className="layer-node">
      {data.summary ? <div className="layer-node-params">{data.summary}</div> : null}
    </NodeShell>
  );
}

/** The node component (memoized: a drag re-renders only the dragged node). */
export const LayerNode = memo(LayerNodeView);
