/**
 * Canvas heat from the search: DARTS / ENAS per-choice probabilities drawn on the nodes and
 * edges their decisions belong to, and the parts a failed shape check blames. Decisions are
 * tied to the drawing by `space.summary` (`kind` + `node` / `edge`).
 */
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import type { CheckMarks } from '../../store/view-store.js';
import { clamp01, decisionHeat } from '../canvas/heat.js';
import type { DecisionInfo, Probabilities } from './types.js';

export { decisionHeat } from '../canvas/heat.js';

/** Node id -> heat and edge id -> heat, each in [0, 1]. */
export interface HeatMaps {
  nodeHeat: Record<string, number>;
  edgeHeat: Record<string, number>;
}

/**
 * The canvas keys of the part a decision belongs to. An optional edge is named by its id; an
 * edge without one is named by the summary with its index in the document, and the canvas
 * calls it `edge_<index>` (canvas/to-flow.ts), so both keys are given.
 */
export function decisionTargets(d: DecisionInfo, doc?: LoomDocument): { nodes: string[]; edges: string[] } {
  if (d.kind !== 'edge') return { nodes: d.node ? [d.node] : [], edges: [] };
  if (d.edge === undefined) return { nodes: [], edges: [] };
  const isIndex = /^\d+$/.test(d.edge) && !doc?.edges.some((e) => e.id === d.edge);
  if (!isIndex) return { nodes: [], edges: [d.edge] };
  const id = doc?.edges[Number(d.edge)]?.id;
  return { nodes: [], edges: id ? [id] : [d.edge, `edge_${d.edge}`] };
}

/** Adds `value` to a heat map, keeping the larger value where two decisions share a part. */
function paint(maps: HeatMaps, d: DecisionInfo, value: number, doc?: LoomDocument): void {
  const { nodes, edges } = decisionTargets(d, doc);
  for (const n of nodes) maps.nodeHeat[n] = Math.max(maps.nodeHeat[n] ?? 0, value);
  for (const e of edges) maps.edgeHeat[e] = Math.max(maps.edgeHeat[e] ?? 0, value);
}

/** Heat for the latest probabilities of a weight-sharing search. */
export function probabilityHeat(decisions: readonly DecisionInfo[], choices: Probabilities, doc?: LoomDocument): HeatMaps {
  const maps: HeatMaps = { nodeHeat: {}, edgeHeat: {} };
  for (const d of decisions) {
    const probs = choices[d.name];
    if (probs) paint(maps, d, decisionHeat(d, probs), doc);
  }
  return maps;
}

/** Full heat on the parts the named decisions belong to (a shape-check failure's blame). */
export function blameHeat(decisions: readonly DecisionInfo[], blamed: readonly string[], doc?: LoomDocument): HeatMaps {
  const maps: HeatMaps = { nodeHeat: {}, edgeHeat: {} };
  for (const d of decisions) if (blamed.includes(d.name)) paint(maps, d, 1, doc);
  return maps;
}

/** One decision's bar list entry. */
export interface DecisionBars {
  decision: string;
  options: { option: string; p: number }[];
  /** The option with the highest probability. */
  leading: string;
}

/** Per-decision probabilities, most likely option first, decisions in the space's order. */
export function probabilityBars(choices: Probabilities, decisions: readonly DecisionInfo[] = []): DecisionBars[] {
  const order = new Map(decisions.map((d, i) => [d.name, i]));
  return Object.entries(choices)
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b))
    .map(([decision, probs]) => {
      const options = Object.entries(probs)
        .map(([option, p]) => ({ option, p: clamp01(p) }))
        .sort((a, b) => b.p - a.p);
      return { decision, options, leading: options[0]?.option ?? '' };
    });
}

/** At most this many blamed values are listed on one node or edge. */
const MARKS_SHOWN = 3;

/**
 * What the shape check blames on each node and edge: the decision values named by the failures
 * (e.g. `head.kernelSize=9`), on the parts those decisions belong to.
 */
export function failureMarks(
  decisions: readonly DecisionInfo[],
  failures: readonly { sample: Record<string, unknown>; decisions: readonly string[] }[],
  doc?: LoomDocument,
): CheckMarks {
  const byName = new Map(decisions.map((d) => [d.name, d]));
  const lists = { nodes: new Map<string, Set<string>>(), edges: new Map<string, Set<string>>() };
  const add = (map: Map<string, Set<string>>, key: string, text: string) => map.set(key, (map.get(key) ?? new Set()).add(text));
  for (const f of failures) {
    for (const name of f.decisions) {
      const d = byName.get(name);
      if (!d) continue;
      const text = `${name}=${String(f.sample[name])}`;
      const { nodes, edges } = decisionTargets(d, doc);
      for (const n of nodes) add(lists.nodes, n, text);
      for (const e of edges) add(lists.edges, e, text);
    }
  }
  const flat = (m: Map<string, Set<string>>) =>
    Object.fromEntries([...m].map(([k, set]) => [k, [...set].slice(0, MARKS_SHOWN).join(', ') + (set.size > MARKS_SHOWN ? ', …' : '')]));
  return { nodes: flat(lists.nodes), edges: flat(lists.edges) };
}
