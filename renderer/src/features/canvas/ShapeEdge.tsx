/** An edge labelled with the shape of the tensor it carries, with the heat overlay. */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { heatColor } from './heat';
import type { ShapeFlowEdge } from './to-flow';

function ShapeEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected }: EdgeProps<ShapeFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const heat = data?.heat ?? null;
  const cls = ['shape-edge'];
  if (data?.highlighted) cls.push('highlighted');
  if (data?.error) cls.push('has-error');
  if (selected) cls.push('selected');
  const style = heat !== null ? { stroke: heatColor(heat), strokeWidth: 1.5 + 3 * heat } : undefined;
  const label = data?.shape ?? (data?.error ? '!' : null);
  return (
    <>
      <BaseEdge id={id} path={path} className={cls.join(' ')} style={style} data-testid={`edge-${id}`} />
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${data?.error ? ' has-error' : ''}${selected ? ' selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={data?.error ?? `tensor shape ${label} (batch first)`}
            data-testid={`edge-shape-${id}`}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

/** The edge component (memoized). */
export const ShapeEdge = memo(ShapeEdgeView);
