/**
 * What a drag's drop does to the document, as one command (one undo step): the dropped nodes
 * move; a frame carries its members along; a node dropped into a Choice / Repeat frame joins
 * it (in the lane it lands in), one dropped outside its frame leaves it. Containers then take
 * their frame's top-left as their own position, so a frame emptied later stays where it was.
 * Pure.
 */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { isFrameKind } from '../../store/containers.js';
import type { Command } from '../../store/document-store.js';
import { moveNodes, type Positions } from '../../store/commands/move.js';
import { composite, setGroup, type Placement } from '../../store/commands/space.js';
import { centre, computeFrames, dropTarget, type Frame } from './frames.js';

type Size = { width: number; height: number };

/**
 * The command for nodes dropped at `dropped` (absolute top-left positions). `frames` are the
 * frames the drag showed (members being dragged left out).
 */
export function dropCommand(doc: LoomDocument, dropped: Positions, frames: ReadonlyMap<string, Frame>, sizeOf: (id: string) => Size): Command {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  if (!frames.size && Object.keys(dropped).every((id) => byId.get(id)?.group === undefined)) return moveNodes(dropped);
  const positions: Positions = { ...dropped };
  const moves = new Map<string, { to: Placement; ids: string[] }>();
  for (const [id, p] of Object.entries(dropped)) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = frames.get(id);
    if (frame) {
      // A frame moved: its members follow by the same offset.
      const dx = p.x - frame.x;
      const dy = p.y - frame.y;
      for (const m of doc.nodes) if (m.group === id && !(m.id in dropped)) positions[m.id] = { x: m.position.x + dx, y: m.position.y + dy };
      continue;
    }
    const hit = dropTarget(frames, centre(p, sizeOf(id)), node.kind);
    const to: Placement = hit ?? {};
    if (to.group === node.group && to.alternative === node.alternative) continue;
    if (hit === null && node.group !== undefined && !frames.has(node.group)) continue; // a group the canvas cannot draw: leave it
    const key = `${to.group ?? ''}#${to.alternative ?? ''}`;
    const entry = moves.get(key) ?? { to, ids: [] };
    entry.ids.push(id);
    moves.set(key, entry);
  }
  const commands: Command[] = [moveNodes(positions), ...[...moves.values()].map((m) => setGroup(m.ids, m.to))];
  const grouped = commands.reduce((d, c) => c.apply(d), doc);
  // Containers take their frame's new top-left.
  const at = new Map(grouped.nodes.map((n) => [n.id, n]));
  const after = computeFrames(grouped, (id) => at.get(id)!.position, sizeOf);
  const synced: Positions = {};
  for (const f of after.values()) {
    const c = at.get(f.id);
    if (c && isFrameKind(c.kind) && !f.empty && (c.position.x !== f.x || c.position.y !== f.y)) synced[f.id] = { x: f.x, y: f.y };
  }
  if (Object.keys(synced).length) commands.push(moveNodes(synced));
  const only = Object.keys(dropped);
  const label = moves.size
    ? [...moves.values()].map((m) => setGroup(m.ids, m.to).label).join('; ')
    : only.length === 1
      ? `Move ${only[0]}`
      : `Move ${only.length} nodes`;
  return composite('move', label, commands);
}
