/** One layer on the canvas: kind, name, key params, output shape, typed ports and its error. */
import { Handle, NodeToolbar, Position, type NodeProps } from '@xyflow/react';
import { memo, useState, type CSSProperties } from 'react';
import { getLayer } from '../../../../engine/layers/index.js';
import type { PortSpec } from '../../../../engine/layers/types.js';
import { useNodeStatsStore, type NodeStats } from '../../store/node-stats-store';
import { heatColor } from './heat';
import { formatCount, formatFlops } from './node-summary';
import type { LayerFlowNode, LayerNodeData } from './to-flow';

function portTitle(p: PortSpec, input: boolean): string {
  if (!input) return `${p.name}: output tensor (drag to an input to connect)`;
  return p.multi ? `${p.name}: ${p.min ?? 1} or more inputs, merged in edge order` : `${p.name}: one input tensor`;
}

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

function NodeTooltip({ id, data }: { id: string; data: LayerNodeData }) {
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
      <div className="node-tooltip-doc">{getLayer(data.kind)?.doc ?? 'unknown layer kind'}</div>
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

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const [hover, setHover] = useState(false);
  const cls = ['layer-node', `cat-${data.category}`];
  if (selected) cls.push('selected');
  if (data.error) cls.push('has-error');
  if (data.blocked) cls.push('blocked');
  if (data.highlighted) cls.push('highlighted');
  if (data.heat !== null) cls.push('heated');
  const style = data.heat !== null ? ({ '--heat': heatColor(data.heat) } as CSSProperties) : undefined;
  return (
    <div className={cls.join(' ')} style={style} data-testid={`node-${id}`} onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)}>
      <Ports id={id} ports={data.inputs} input />
      <div className="layer-node-head">
        <span className="layer-node-kind">{data.kind}</span>
        <span className="layer-node-title">{data.title}</span>
      </div>
      {data.summary ? <div className="layer-node-params">{data.summary}</div> : null}
      <div className="layer-node-shape" data-testid={`node-shape-${id}`}>
        {data.shape ? `→ ${data.shape}` : data.blocked ? 'waiting for an upstream fix' : '→ ?'}
      </div>
      {data.error ? (
        <div className="layer-node-error" data-testid={`node-error-${id}`} role="alert">
          {data.error}
        </div>
      ) : null}
      <Ports id={id} ports={data.outputs} input={false} />
      {hover ? <NodeTooltip id={id} data={data} /> : null}
    </div>
  );
}

/** The node component (memoized: a drag re-renders only the dragged node). */
export const LayerNode = memo(LayerNodeView);
