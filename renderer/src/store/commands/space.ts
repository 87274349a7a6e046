/**
 * Edits that make a graph a search space: a param becomes a choice or range (or concrete
 * again), nodes join or leave a Choice / Repeat frame, an edge becomes optional. Each writes
 * the exact document format nas/space/drawn-parse.ts reads.
 */
import type { LoomDocument, LoomNode } from '../../../../engine/graph/schema.js';
import type { Command } from '../document-store.js';
import { updateNode } from './set-param.js';

function setParamValue(n: LoomNode, name: string, value: unknown): LoomNode {
  if (JSON.stringify(n.params[name]) === JSON.stringify(value)) return n;
  const params = { ...n.params };
  if (value === undefined) delete params[name];
  else params[name] = value;
  return { ...n, params };
}

/** Turns a param into a searchable `choice` / `range` value (one undo step). */
export function makeSearchable(nodeId: string, name: string, spec: Record<string, unknown>): Command {
  return {
    name: 'make-searchable',
    label: `Search ${nodeId}.${name}`,
    apply: (doc) => updateNode(doc, nodeId, (n) => setParamValue(n, name, spec)),
  };
}

/** Turns a searchable param back into a concrete value (`undefined`: the kind's default). */
export function makeConcrete(nodeId: string, name: string, value: unknown): Command {
  return {
    name: 'make-concrete',
    label: `Fix ${nodeId}.${name}`,
    apply: (doc) => updateNode(doc, nodeId, (n) => setParamValue(n, name, value)),
  };
}

/** Where a node sits: a container id (and a Choice lane), or nothing for the top level. */
export interface Placement {
  group?: string;
  alternative?: number;
}

function place(n: LoomNode, to: Placement): LoomNode {
  if (n.group === to.group && n.alternative === to.alternative) return n;
  const { group: _g, alternative: _a, ...rest } = n;
  return {
    ...rest,
    ...(to.group !== undefined ? { group: to.group } : {}),
    ...(to.group !== undefined && to.alternative !== undefined ? { alternative: to.alternative } : {}),
  };
}

/** Renumbers the lanes of the given Choice containers 0..n-1 in order, closing gaps a move left. */
function compactLanes(nodes: LoomNode[], choices: ReadonlySet<string>): LoomNode[] {
  const used = new Map<string, number[]>();
  for (const n of nodes) {
    if (n.group === undefined || n.alternative === undefined || !choices.has(n.group)) continue;
    const list = used.get(n.group) ?? [];
    if (!list.includes(n.alternative)) list.push(n.alternative);
    used.set(n.group, list);
  }
  return nodes.map((n) => {
    const list = n.group === undefined ? undefined : used.get(n.group);
    if (!list || n.alternative === undefined) return n;
    const dense = [...list].sort((a, b) => a - b).indexOf(n.alternative);
    return dense === n.alternative ? n : { ...n, alternative: dense };
  });
}

/**
 * Puts nodes into a container (a Choice lane when `alternative` is given), or takes them out.
 * Choice lanes left empty are closed up, so alternatives stay numbered without gaps.
 */
export function setGroup(nodeIds: Iterable<string>, to: Placement): Command {
  const ids = new Set(nodeIds);
  const what = ids.size === 1 ? [...ids][0] : `${ids.size} nodes`;
  const where =
    to.group === undefined ? 'out of its container' : to.alternative === undefined ? `into ${to.group}` : `into ${to.group} (alternative ${to.alternative})`;
  return {
    name: 'set-group',
    label: `Move ${what} ${where}`,
    apply(doc) {
      const touched = new Set<string>();
      const nodes = doc.nodes.map((n) => {
        if (!ids.has(n.id) || n.id === to.group) return n;
        const next = place(n, to);
        if (next === n) return n;
        for (const g of [n.group, next.group]) if (g !== undefined) touched.add(g);
        return next;
      });
      if (!touched.size) return doc;
      const choices = new Set(doc.nodes.filter((n) => touched.has(n.id) && n.kind === 'Choice').map((n) => n.id));
      return { ...doc, nodes: choices.size ? compactLanes(nodes, choices) : nodes };
    },
  };
}

/** Makes an edge optional (the search may drop it: a skip connection) or required again. */
export function setEdgeOptional(edgeId: string, optional: boolean): Command {
  return {
    name: 'set-edge-optional',
    label: optional ? `Make ${edgeId} optional` : `Make ${edgeId} required`,
    apply(doc) {
      let changed = false;
      const edges = doc.edges.map((e) => {
        if (e.id !== edgeId || (e.optional === true) === optional) return e;
        changed = true;
        const { optional: _o, ...rest } = e;
        return optional ? { ...rest, optional: true } : rest;
      });
      return changed ? { ...doc, edges } : doc;
    },
  };
}

/** Several commands as one undo step (e.g. a drop that moves a node and puts it into a frame). */
export function composite(name: string, label: string, commands: Command[]): Command {
  return {
    name,
    label,
    apply: (doc: LoomDocument) => commands.reduce((d, c) => c.apply(d), doc),
  };
}
