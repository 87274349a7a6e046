/**
 * A Choice or Repeat node drawn as a frame around its members (React Flow parent node): a
 * header with the kind, the repeat range or the alternative shown, and for a Choice one
 * labelled lane per alternative plus a lane that adds one. Edges into the frame feed the
 * first node of its chain; edges out of it leave from the last.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { FRAME } from './frames.js';
import { nodeLook, NodeTooltip, useHover } from './LayerNode.js';
import type { LayerFlowNode } from './to-flow.js';

function ContainerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const { hover, bind } = useHover();
  const frame = data.frame;
  const look = nodeLook('frame-node', data, selected);
  const className = `${look.className} frame-${data.kind.toLowerCase()}${frame?.dropTarget ? ' drop-target' : ''}`;
  const lanes = frame?.lanes ?? [];
  return (
    <div className={className} style={look.style} data-testid={`node-${id}`}>
      <Handle id="in" type="target" position={Position.Top} className="port" title="in: feeds the first node inside" data-testid={`port-${id}-in`} />
      <div className="frame-head" {...bind}>
        <span className="layer-node-kind">{data.kind}</span>
        {frame?.range ? (
          <span className="frame-range" data-testid={`repeat-range-${id}`}>
            {frame.range}
          </span>
        ) : null}
        <span className="layer-node-title">{data.title}</span>
        {frame?.shown ? <span className="frame-shown">{frame.shown}</span> : null}
      </div>
      {lanes.map((l, i) => {
        const add = i === lanes.length - 1 && lanes.length > 1;
        return (
          <div
            key={l.alternative}
            className={`frame-lane${add ? ' add' : ''}`}
            style={{ left: l.x, width: l.width, top: FRAME.header }}
            data-testid={`lane-${id}-${l.alternative}`}
          >
            <span>{add ? '+ alternative' : `alternative ${l.alternative}`}</span>
          </div>
        );
      })}
      {frame?.empty ? (
        <div className="frame-hint">
          {data.kind === 'Repeat' ? 'Drop layers here: they form the repeated block' : 'Drop layers into a lane: one lane per alternative'}
        </div>
      ) : null}
      {data.error ? (
        <div className="frame-error" data-testid={`node-error-${id}`} role="alert">
          {data.error}
        </div>
      ) : null}
      <Handle id="out" type="source" position={Position.Bottom} className="port" title="out: the last node inside" data-testid={`port-${id}-out`} />
      {hover ? <NodeTooltip id={id} data={data} /> : null}
    </div>
  );
}

/** The frame node component (memoized). */
export const ContainerNode = memo(ContainerNodeView);
