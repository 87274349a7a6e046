/**
 * Where Choice and Repeat frames are drawn, and what a drop lands in. A frame is not stored:
 * it is the bounding box of its members (plus a header), so it follows them; an empty frame
 * sits at its container's own position. A Choice frame is split into one lane per
 * alternative and ends with an "add alternative" lane. Pure.
 */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { isFrameKind } from '../../store/containers.js';

type XY = { x: number; y: number };
type Size = { width: number; height: number };

/** Frame geometry (pixels in flow coordinates). */
export const FRAME = { pad: 18, header: 30, addLane: 120, emptyWidth: 260, emptyHeight: 130 } as const;

/** One lane of a Choice frame, x relative to the frame. */
export interface Lane {
  alternative: number;
  x: number;
  width: number;
}

/** A frame: absolute top-left and size; lanes for a Choice (the last is the "add" lane). */
export interface Frame {
  id: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
  lanes: Lane[];
  /** No member (besides those being dragged). */
  empty: boolean;
}

/** Where a dropped node goes: a container (and Choice lane). */
export interface DropTarget {
  group: string;
  alternative?: number;
}

/**
 * The frames of `doc`'s Choice and Repeat nodes. `exclude` are members being dragged: the
 * frame keeps its shape without them, so dragging one out shows it leaving.
 */
export function computeFrames(
  doc: LoomDocument,
  positionOf: (id: string) => XY,
  sizeOf: (id: string) => Size,
  exclude: ReadonlySet<string> = new Set(),
): Map<string, Frame> {
  const frames = new Map<string, Frame>();
  const containers = doc.nodes.filter((n) => isFrameKind(n.kind));
  if (!containers.length) return frames;
  for (const c of containers) {
    const members = doc.nodes.filter((n) => n.group === c.id && n.id !== c.id && !exclude.has(n.id));
    const choice = c.kind === 'Choice';
    if (!members.length) {
      const p = positionOf(c.id);
      const lanes = choice ? [{ alternative: 0, x: 0, width: FRAME.emptyWidth }] : [];
      frames.set(c.id, { id: c.id, kind: c.kind, x: p.x, y: p.y, width: FRAME.emptyWidth, height: FRAME.emptyHeight, lanes, empty: true });
      continue;
    }
    const rects = members.map((m) => ({ alt: m.alternative ?? 0, ...positionOf(m.id), ...sizeOf(m.id) }));
    const left = Math.min(...rects.map((r) => r.x));
    const top = Math.min(...rects.map((r) => r.y));
    const right = Math.max(...rects.map((r) => r.x + r.width));
    const bottom = Math.max(...rects.map((r) => r.y + r.height));
    const x = left - FRAME.pad;
    const y = top - FRAME.pad - FRAME.header;
    let width = right - left + 2 * FRAME.pad;
    const lanes: Lane[] = [];
    if (choice) {
      const alts = [...new Set(rects.map((r) => r.alt))].sort((a, b) => a - b);
      for (const alt of alts) {
        const mine = rects.filter((r) => r.alt === alt);
        const l = Math.min(...mine.map((r) => r.x)) - FRAME.pad;
        const r = Math.max(...mine.map((m) => m.x + m.width)) + FRAME.pad;
        lanes.push({ alternative: alt, x: l - x, width: r - l });
      }
      lanes.push({ alternative: alts[alts.length - 1] + 1, x: width, width: FRAME.addLane });
      width += FRAME.addLane;
    }
    frames.set(c.id, { id: c.id, kind: c.kind, x, y, width, height: bottom - top + 2 * FRAME.pad + FRAME.header, lanes, empty: false });
  }
  return frames;
}

/** The centre of a box. */
export function centre(p: XY, s: Size): XY {
  return { x: p.x + s.width / 2, y: p.y + s.height / 2 };
}

/** The frame (and lane) a node of `kind` dropped with its centre at `p` joins; null for none. Frames do not nest. */
export function dropTarget(frames: ReadonlyMap<string, Frame>, p: XY, kind: string): DropTarget | null {
  if (isFrameKind(kind)) return null;
  let best: Frame | null = null;
  for (const f of frames.values()) {
    if (p.x < f.x || p.x > f.x + f.width || p.y < f.y || p.y > f.y + f.height) continue;
    if (!best || f.width * f.height < best.width * best.height) best = f;
  }
  if (!best) return null;
  if (best.kind !== 'Choice') return { group: best.id };
  const rx = p.x - best.x;
  const inside = best.lanes.find((l) => rx >= l.x && rx <= l.x + l.width);
  const lane = inside ?? best.lanes.reduce((a, b) => (Math.abs(rx - (a.x + a.width / 2)) <= Math.abs(rx - (b.x + b.width / 2)) ? a : b));
  return { group: best.id, alternative: lane.alternative };
}
