/**
 * An edge labelled with the shape of the tensor it carries, with the heat overlay, routed
 * around the nodes in its way (edge-route.ts). In a drawn
 * space the shape is the candidate shown's ("e.g."), an optional edge is dashed, and its
 * label carries a toggle (also shown on a selected edge, to make it optional).
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { setEdgeOptional } from '../../store/commands/space.js';
import { perform } from '../../store/edit.js';
import { labelPoint, roundedPath, routeEdge, type XY } from './edge-route.js';
import { heatColor } from './heat.js';
import { useObstacles } from './route-context.js';
import type { ShapeEdgeData, ShapeFlowEdge } from './to-flow.js';

function labelTitle(d: ShapeEdgeData, label: string): string {
  if (d.error) return d.error;
  if (d.off) return 'Switched off in the candidate shown';
  const failing = d.failing ? `\nShape check fails: ${d.failing}` : '';
  return d.example
    ? `e.g. ${label}: the shape in the candidate shown (batch first); other candidates may differ${failing}`
    : `tensor shape ${label} (batch first)`;
}

/** How far a port may sit from its node's stored box before the box counts as stale (a drag, a handle's own offset). */
const STALE = 12;

/**
 * The route around the nodes in the way, or null to draw a plain curve: while either end's
 * stored box is stale (being dragged), or for an edge to or from a port not at the box's
 * bottom / top centre.
 */
function useRoute(source: string, target: string, s: XY, t: XY): XY[] | null {
  const index = useObstacles();
  return useMemo(() => {
    const a = index?.boxes.get(source);
    const b = index?.boxes.get(target);
    if (!index || !a || !b) return null;
    const off = (p: XY, q: XY) => Math.abs(p.x - q.x) > STALE || Math.abs(p.y - q.y) > STALE;
    if (off(s, { x: a.x + a.width / 2, y: a.y + a.height }) || off(t, { x: b.x + b.width / 2, y: b.y })) return null;
    return routeEdge(s, t, index, source, target);
  }, [index, source, target, s.x, s.y, t.x, t.y]); // eslint-disable-line react-hooks/exhaustive-deps
}

function ShapeEdgeView({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected }: EdgeProps<ShapeFlowEdge>) {
  const route = useRoute(source, target, { x: sourceX, y: sourceY }, { x: targetX, y: targetY });
  const [path, labelX, labelY] = route
    ? [roundedPath(route), labelPoint(route).x, labelPoint(route).y]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const heat = data?.heat ?? null;
  const cls = ['shape-edge'];
  if (data?.highlighted) cls.push('highlighted');
  if (data?.error) cls.push('has-error');
  if (data?.optional) cls.push('optional');
  if (data?.off) cls.push('off');
  if (data?.failing) cls.push('failing');
  if (selected) cls.push('selected');
  const style = heat !== null ? { stroke: heatColor(heat), strokeWidth: 1.5 + 3 * heat } : undefined;
  const label = data?.shape ?? (data?.error ? '!' : data?.off ? 'off' : null);
  const toggle = data?.editable && (data.optional || selected);
  const labelCls = ['edge-label'];
  if (data?.error || data?.failing) labelCls.push('has-error');
  if (data?.example && data.shape) labelCls.push('example');
  if (selected) labelCls.push('selected');
  return (
    <>
      <BaseEdge id={id} path={path} className={cls.join(' ')} style={style} data-testid={`edge-${id}`} data-route={route ? JSON.stringify(route) : undefined} />
      {label || toggle ? (
        <EdgeLabelRenderer>
          <div className="edge-label-box" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {label && data ? (
              <span className={labelCls.join(' ')} title={labelTitle(data, label)} data-testid={`edge-shape-${id}`}>
                {label}
              </span>
            ) : null}
            {toggle ? (
              <button
                type="button"
                className={`edge-optional-toggle nodrag nopan${data.optional ? ' on' : ''}`}
                aria-pressed={data.optional}
                title={
                  data.optional
                    ? 'Optional: the search may drop this edge. Click to make it required.'
                    : 'Make this edge optional: the search may drop it (a skip connection)'
                }
                onClick={(e) => {
                  e.stopPropagation(); // React bubbles through the label portal to the edge, which would select it
                  perform(setEdgeOptional(id, !data.optional));
                }}
                data-testid={`edge-optional-${id}`}
              >
                {data.optional ? 'optional' : 'make optional'}
              </button>
            ) : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

/** The edge component (memoized). */
export const ShapeEdge = memo(ShapeEdgeView);
