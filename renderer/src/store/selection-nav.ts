/**
 * Moving the selection along the graph with the arrow keys: Down follows an outgoing edge,
 * Up an incoming one, Left / Right step to the neighbour on that side among the nodes fed by
 * the same node (or feeding the same node), else the nearest node on that side in the same
 * row. Pure: the canvas's key handler applies the answer.
 */
import type { LoomDocument, LoomNode } from '../../../engine/graph/schema.js';

/** An arrow key. */
export type Direction = 'up' | 'down' | 'left' | 'right';

/** Nodes rows apart by less than this count as one row. */
const ROW_SLACK = 50;

function byX(a: LoomNode, b: LoomNode): number {
  return a.position.x - b.position.x || a.position.y - b.position.y;
}

/** The node the selection moves to from `from` (null: select where a walk starts, the first Input). */
export function stepSelection(doc: LoomDocument, from: string | null, dir: Direction): string | null {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const here = from === null ? undefined : byId.get(from);
  if (!here) return (doc.nodes.find((n) => n.kind === 'Input') ?? doc.nodes[0])?.id ?? null;
  const outs = doc.edges
    .filter((e) => e.source === here.id)
    .map((e) => byId.get(e.target)!)
    .filter(Boolean);
  const ins = doc.edges
    .filter((e) => e.target === here.id)
    .map((e) => byId.get(e.source)!)
    .filter(Boolean);
  // Up / down: the nearest along edges in x, so a straight chain is walked straight.
  const nearest = (list: LoomNode[]) =>
    [...list].sort((a, b) => Math.abs(a.position.x - here.position.x) - Math.abs(b.position.x - here.position.x))[0]?.id ?? null;
  if (dir === 'down') return nearest(outs) ?? here.id;
  if (dir === 'up') return nearest(ins) ?? here.id;
  const siblings = new Set<string>();
  for (const p of ins) for (const e of doc.edges) if (e.source === p.id) siblings.add(e.target);
  for (const c of outs) for (const e of doc.edges) if (e.target === c.id) siblings.add(e.source);
  siblings.delete(here.id);
  const side = (n: LoomNode) => (dir === 'left' ? n.position.x < here.position.x : n.position.x > here.position.x);
  const pick = (list: LoomNode[]) => {
    const sorted = list.filter(side).sort(byX);
    return (dir === 'left' ? sorted.at(-1) : sorted[0])?.id ?? null;
  };
  const fromSiblings = pick([...siblings].map((id) => byId.get(id)!).filter(Boolean));
  if (fromSiblings) return fromSiblings;
  return pick(doc.nodes.filter((n) => n.id !== here.id && Math.abs(n.position.y - here.position.y) < ROW_SLACK)) ?? here.id;
}
