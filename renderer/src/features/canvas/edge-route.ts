/**
 * Orthogonal edge routes that go around nodes. Edges leave a node's bottom port and enter a
 * node's top port (the layout runs top to bottom); a route is a polyline of vertical and
 * horizontal segments that stays clear of every node box on the way. Cheap routes are tried
 * first: straight down, one bend in the gap between rows, then a lane beside the nodes in
 * between (how a residual connection bypasses its block, instead of looping over it). Back
 * edges (target above source) take a lane too. Pure and independent of React: the canvas
 * (ShapeEdge) and the test over examples/ use the same function.
 */

/** A point in flow coordinates. */
export interface XY {
  x: number;
  y: number;
}

/** A node's box in flow coordinates (absolute), and the frame it sits in, if any. */
export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Choice / Repeat frames: boxes around other nodes. */
  frame?: boolean;
  /** Ids of the frames this box sits in (innermost first). */
  inside?: string[];
}

/** Distance kept from node boxes, and the first / last run out of / into a port. */
export const ROUTE_GAP = 16;
/** Boxes are grown by this much when planning, so routes never graze an edge. */
const CLEARANCE = 6;
const CELL = 256;

/** Boxes by id with a uniform grid, so a segment checks only the boxes near it. */
export class ObstacleIndex {
  readonly boxes = new Map<string, Box>();
  private grid = new Map<string, Box[]>();

  constructor(boxes: Iterable<Box>) {
    for (const b of boxes) {
      this.boxes.set(b.id, b);
      for (const key of this.cells(b.x, b.y, b.x + b.width, b.y + b.height)) {
        const list = this.grid.get(key);
        if (list) list.push(b);
        else this.grid.set(key, [b]);
      }
    }
  }

  private *cells(x0: number, y0: number, x1: number, y1: number): Generator<string> {
    for (let i = Math.floor(x0 / CELL); i <= Math.floor(x1 / CELL); i++) for (let j = Math.floor(y0 / CELL); j <= Math.floor(y1 / CELL); j++) yield `${i},${j}`;
  }

  /** Boxes whose cells meet the rectangle (a superset of those that overlap it). */
  near(x0: number, y0: number, x1: number, y1: number): Set<Box> {
    const out = new Set<Box>();
    for (const key of this.cells(x0 - CLEARANCE, y0 - CLEARANCE, x1 + CLEARANCE, y1 + CLEARANCE)) for (const b of this.grid.get(key) ?? []) out.add(b);
    return out;
  }
}

/** True when the axis-aligned segment a-b passes through the inside of box `b` grown by `grow`. */
export function segmentHitsBox(a: XY, c: XY, b: Box, grow = 0): boolean {
  const x0 = b.x - grow;
  const x1 = b.x + b.width + grow;
  const y0 = b.y - grow;
  const y1 = b.y + b.height + grow;
  const [lx, hx] = a.x < c.x ? [a.x, c.x] : [c.x, a.x];
  const [ly, hy] = a.y < c.y ? [a.y, c.y] : [c.y, a.y];
  return lx < x1 && hx > x0 && ly < y1 && hy > y0;
}

/**
 * The boxes an edge between `source` and `target` must avoid: every node box but the frames
 * around either end (an edge inside a frame runs within it). The ends' own boxes stay in:
 * the route may only touch them with its first and last segment.
 */
function blocks(box: Box, source: string, target: string, index: ObstacleIndex): boolean {
  if (!box.frame) return true;
  const around = (id: string) => index.boxes.get(id)?.inside?.includes(box.id) ?? false;
  return !around(source) && !around(target);
}

/** How many boxes the polyline runs through (the ends' own boxes allowed on their end segments). */
export function routeHits(points: XY[], index: ObstacleIndex, source: string, target: string, grow = CLEARANCE): number {
  let hits = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, c] = [points[i], points[i + 1]];
    for (const b of index.near(Math.min(a.x, c.x), Math.min(a.y, c.y), Math.max(a.x, c.x), Math.max(a.y, c.y))) {
      if (!blocks(b, source, target, index)) continue;
      if ((i === 0 && b.id === source) || (i === points.length - 2 && b.id === target)) continue;
      // The first / last segment may start inside the grown box of its own end only.
      if (segmentHitsBox(a, c, b, b.id === source || b.id === target ? 0 : grow)) hits++;
    }
  }
  return hits;
}

function length(points: XY[]): number {
  let n = 0;
  for (let i = 0; i + 1 < points.length; i++) n += Math.abs(points[i + 1].x - points[i].x) + Math.abs(points[i + 1].y - points[i].y);
  return n;
}

/** Drops repeated points and merges collinear runs. */
function tidy(points: XY[]): XY[] {
  const out: XY[] = [];
  for (const p of points) {
    const last = out.at(-1);
    if (last && Math.abs(last.x - p.x) < 0.5 && Math.abs(last.y - p.y) < 0.5) continue;
    const prev = out.at(-2);
    if (
      prev &&
      last &&
      ((Math.abs(prev.x - last.x) < 0.5 && Math.abs(last.x - p.x) < 0.5) || (Math.abs(prev.y - last.y) < 0.5 && Math.abs(last.y - p.y) < 0.5))
    )
      out.pop();
    out.push(p);
  }
  return out;
}

/** Rows where a horizontal run may go: just past the port, and past the boxes that reach that row. */
function rowCandidates(y: number, dir: 1 | -1, x0: number, x1: number, index: ObstacleIndex): number[] {
  const rows = [y];
  for (const b of index.near(Math.min(x0, x1), y - 1, Math.max(x0, x1), y + 1)) {
    if (b.frame || y <= b.y - CLEARANCE || y >= b.y + b.height + CLEARANCE) continue;
    rows.push(dir > 0 ? b.y + b.height + ROUTE_GAP : b.y - ROUTE_GAP);
  }
  return rows;
}

/**
 * The route from port `s` (bottom of `source`) to port `t` (top of `target`), clear of
 * `index`'s boxes when any candidate is; otherwise the candidate through the fewest.
 */
export function routeEdge(s: XY, t: XY, index: ObstacleIndex, source: string, target: string): XY[] {
  const candidates: XY[][] = [];
  if (t.y > s.y) {
    if (Math.abs(s.x - t.x) < 0.5) candidates.push([s, t]);
    for (const y of [(s.y + t.y) / 2, t.y - ROUTE_GAP, s.y + ROUTE_GAP]) if (y > s.y && y < t.y) candidates.push([s, { x: s.x, y }, { x: t.x, y }, t]);
  }
  // A lane beside the boxes between the two rows.
  const y1s = rowCandidates(s.y + ROUTE_GAP, 1, s.x, t.x, index);
  const y2s = rowCandidates(t.y - ROUTE_GAP, -1, s.x, t.x, index);
  const lo = Math.min(s.y, t.y) - ROUTE_GAP;
  const hi = Math.max(s.y, t.y) + ROUTE_GAP;
  const band = [...index.near(Math.min(s.x, t.x) - 2 * CELL, lo, Math.max(s.x, t.x) + 2 * CELL, hi)].filter(
    (b) => b.y < hi && b.y + b.height > lo && blocks(b, source, target, index),
  );
  const lanes = new Set<number>([s.x, t.x]);
  for (const b of band) {
    lanes.add(b.x - ROUTE_GAP);
    lanes.add(b.x + b.width + ROUTE_GAP);
  }
  for (const x of lanes)
    for (const y1 of y1s.slice(0, 3))
      for (const y2 of y2s.slice(0, 3)) candidates.push([s, { x: s.x, y: y1 }, { x, y: y1 }, { x, y: y2 }, { x: t.x, y: y2 }, t]);

  // Cheapest first, so the first clear route is the best one and most edges stop at one check.
  // Each bend costs like 40 px of length: of two clear routes, the calmer one wins.
  const scored = candidates.map((c) => {
    const points = tidy(c);
    return { points, score: length(points) + 40 * (points.length - 2) };
  });
  scored.sort((a, b) => a.score - b.score);
  let best: XY[] | null = null;
  let fewest = Infinity;
  for (const { points } of scored) {
    const hits = routeHits(points, index, source, target);
    if (hits === 0) return points;
    if (hits < fewest) {
      best = points;
      fewest = hits;
    }
  }
  return best ?? [s, t];
}

/** SVG path of a polyline with rounded corners (radius ≤ 8, less on short runs). */
export function roundedPath(points: XY[], radius = 8): string {
  if (points.length < 2) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, (Math.abs(b.x - a.x) + Math.abs(b.y - a.y)) / 2, (Math.abs(c.x - b.x) + Math.abs(c.y - b.y)) / 2);
    const into = { x: b.x - Math.sign(b.x - a.x) * r, y: b.y - Math.sign(b.y - a.y) * r };
    const out = { x: b.x + Math.sign(c.x - b.x) * r, y: b.y + Math.sign(c.y - b.y) * r };
    d += ` L ${into.x} ${into.y} Q ${b.x} ${b.y} ${out.x} ${out.y}`;
  }
  const end = points[points.length - 1];
  return `${d} L ${end.x} ${end.y}`;
}

/** Where the label goes: the middle of the longest vertical run (else of the longest run). */
export function labelPoint(points: XY[]): XY {
  let best = { len: -1, at: points[0] };
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, c] = [points[i], points[i + 1]];
    const vertical = Math.abs(a.x - c.x) < 0.5;
    const len = Math.abs(a.x - c.x) + Math.abs(a.y - c.y) + (vertical ? 1e4 : 0);
    if (len > best.len) best = { len, at: { x: (a.x + c.x) / 2, y: (a.y + c.y) / 2 } };
  }
  return best.at;
}
