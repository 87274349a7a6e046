/**
 * What changed between runs: their training settings and their graphs, each run against the
 * first one ticked (the baseline). Pure, so the Runs panel's comparison is tested in Node.
 */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';

/** One setting that differs between the runs: its dotted path and each run's value as text. */
export interface SettingDiff {
  key: string;
  values: string[];
}

/** How one run's graph differs from the baseline's. */
export interface GraphDiff {
  added: string[];
  removed: string[];
  /** Same id, another kind. */
  kindChanged: { id: string; from: string; to: string }[];
  /** Same id and kind, a param set to another value. */
  paramChanged: { id: string; param: string; from: string; to: string }[];
  edgesAdded: string[];
  edgesRemoved: string[];
}

const text = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Leaves of a JSON value by dotted path; arrays are leaves (a list of metrics is one setting). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
}

/** The settings whose values are not the same in every run, in first-seen key order. */
export function diffSettings(configs: unknown[]): SettingDiff[] {
  const flat = configs.map((c) => {
    const m = new Map<string, unknown>();
    flatten(c, '', m);
    return m;
  });
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))];
  return keys.map((key) => ({ key, values: flat.map((m) => text(m.get(key))) })).filter((d) => d.values.some((v) => v !== d.values[0]));
}

function edgeKeys(doc: LoomDocument): Set<string> {
  return new Set(doc.edges.map((e) => `${e.source} → ${e.target}${e.targetPort && e.targetPort !== 'in' ? `.${e.targetPort}` : ''}`));
}

/** Params after the node's kind defaults are not known here: compared as written, unset shown as —. */
function paramDiffs(a: LoomNode, b: LoomNode): GraphDiff['paramChanged'] {
  const names = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])];
  return names
    .filter((p) => JSON.stringify(a.params[p]) !== JSON.stringify(b.params[p]))
    .map((param) => ({ id: a.id, param, from: text(a.params[param]), to: text(b.params[param]) }));
}

/** How `other` differs from `base` (nodes matched by id; positions and labels ignored). */
export function diffGraphs(base: LoomDocument, other: LoomDocument): GraphDiff {
  const a = new Map(base.nodes.map((n) => [n.id, n]));
  const b = new Map(other.nodes.map((n) => [n.id, n]));
  const diff: GraphDiff = { added: [], removed: [], kindChanged: [], paramChanged: [], edgesAdded: [], edgesRemoved: [] };
  for (const [id, n] of b) if (!a.has(id)) diff.added.push(`${id} (${n.kind})`);
  for (const [id, n] of a) {
    const m = b.get(id);
    if (!m) diff.removed.push(`${id} (${n.kind})`);
    else if (m.kind !== n.kind) diff.kindChanged.push({ id, from: n.kind, to: m.kind });
    else diff.paramChanged.push(...paramDiffs(n, m));
  }
  const [ea, eb] = [edgeKeys(base), edgeKeys(other)];
  diff.edgesAdded = [...eb].filter((e) => !ea.has(e));
  diff.edgesRemoved = [...ea].filter((e) => !eb.has(e));
  return diff;
}

/** True when the graphs are the same up to positions and labels. */
export function sameGraph(d: GraphDiff): boolean {
  return Object.values(d).every((list) => list.length === 0);
}
