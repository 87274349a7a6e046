/**
 * The node boxes edges are routed around (edge-route.ts), from a document: layer boxes at
 * their positions and sizes, Choice / Repeat frames at the bounding box the canvas draws
 * (frames.ts), each box knowing the frames it sits in. Pure.
 */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { isFrameKind } from '../../store/containers.js';
import { ObstacleIndex, type Box, type XY } from './edge-route.js';
import { computeFrames } from './frames.js';

type Size = { width: number; height: number };

/** The obstacle index of a document's nodes. */
export function routeObstacles(doc: LoomDocument, positionOf: (id: string) => XY, sizeOf: (id: string) => Size): ObstacleIndex {
  const frames = computeFrames(doc, positionOf, sizeOf);
  const group = new Map(doc.nodes.map((n) => [n.id, n.group]));
  const inside = (id: string): string[] => {
    const out: string[] = [];
    for (let g = group.get(id); g !== undefined && !out.includes(g); g = group.get(g)) out.push(g);
    return out;
  };
  const boxes: Box[] = doc.nodes.map((n) => {
    const f = isFrameKind(n.kind) ? frames.get(n.id) : undefined;
    const box = f ? { x: f.x, y: f.y, width: f.width, height: f.height } : { ...positionOf(n.id), ...sizeOf(n.id) };
    return { id: n.id, ...box, ...(f ? { frame: true } : {}), inside: inside(n.id) };
  });
  return new ObstacleIndex(boxes);
}

/** The ports an edge joins: the bottom centre of its source's box, the top centre of its target's. */
export function portsOf(index: ObstacleIndex, source: string, target: string): { s: XY; t: XY } | null {
  const a = index.boxes.get(source);
  const b = index.boxes.get(target);
  if (!a || !b) return null;
  return { s: { x: a.x + a.width / 2, y: a.y + a.height }, t: { x: b.x + b.width / 2, y: b.y } };
}
