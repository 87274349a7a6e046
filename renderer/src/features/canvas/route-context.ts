/**
 * The node boxes edges route around, shared with every edge through context. Rebuilt only
 * when positions, sizes or frames change (not on a param edit), so edges re-route only then;
 * while a node is dragged its stored box is stale and its edges draw as plain curves.
 */
import { createContext, useContext, useMemo, useRef } from 'react';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { ObstacleIndex } from './edge-route.js';
import { routeObstacles } from './route-boxes.js';

type Size = { width: number; height: number };

const Routes = createContext<ObstacleIndex | null>(null);

/** Provider of the obstacle index (null: draw edges as plain curves). */
export const RouteProvider = Routes.Provider;

/** The obstacle index edges route around. */
export function useObstacles(): ObstacleIndex | null {
  return useContext(Routes);
}

/** The index for `doc` with `sizeOf`, reused while no node moved, resized or changed frame. */
export function useObstacleIndex(doc: LoomDocument, sizeOf: (id: string) => Size): ObstacleIndex {
  const last = useRef<{ key: string; index: ObstacleIndex } | null>(null);
  return useMemo(() => {
    const key = doc.nodes
      .map((n) => {
        const s = sizeOf(n.id);
        return `${n.id}:${n.kind}:${n.position.x},${n.position.y}:${s.width}x${s.height}:${n.group ?? ''}/${n.alternative ?? ''}`;
      })
      .join('|');
    if (last.current?.key === key) return last.current.index;
    const byId = new Map(doc.nodes.map((n) => [n.id, n.position]));
    const index = routeObstacles(doc, (id) => byId.get(id) ?? { x: 0, y: 0 }, sizeOf);
    last.current = { key, index };
    return index;
  }, [doc, sizeOf]);
}
