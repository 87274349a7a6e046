/**
 * Reading a drawn search space: a `.loom.json` document with searchable parts becomes a
 * {@link SpaceModel} (its decisions plus the structure materialization needs).
 *
 * Representation (all inside the version-1 schema, so the designer stores spaces unchanged):
 *
 * - **Searchable param**: a param whose value is an object `{"choice": [v, ...]}` (numbers,
 *   strings or booleans) or `{"range": [min, max, step]}`. A linear range is
 *   `min, min+step, ...` up to `max` (inclusive, within 1e-9 of a step). With `"log": true` the
 *   step is a *factor* > 1 and the values are `min, min*step, min*step^2, ...` up to `max`
 *   (so `{"range": [1e-4, 1e-1, 10], "log": true}` is 1e-4, 1e-3, 1e-2, 1e-1); `min` must be > 0.
 *   Values are rounded to 12 significant digits so 0.1+0.2 reads 0.3. Decision `<node>.<param>`.
 * - **Optional edge**: `"optional": true`; decision `edge:<source>-><target>`, options
 *   `true` (kept) / `false` (removed). If removal leaves an Add or Concatenate with one input,
 *   that merge is bypassed: its consumers read the remaining input directly.
 * - **Repeat** node (`params: {min, max}`, 1 <= min <= max <= 64): its block is the nodes
 *   with `"group": <repeatId>`, a chain (one entry, one exit, internal edges only). Decision
 *   `<repeatId>` with options min..max. Copies are named `<id>_r1`..`<id>_rk`; a searchable
 *   param inside the block is one decision shared by every copy (weights are not shared).
 * - **Choice** node (no params): alternative `i` is the chain of nodes with
 *   `"group": <choiceId>, "alternative": i`; alternatives must be numbered 0..n-1 without gaps.
 *   Decision `<choiceId>` with options 0..n-1; params of unkept alternatives are inert.
 * - **Cell** node (`params: {channels?}`): a NAS-Bench-201 cell, decisions `<cellId>.i->j`
 *   over the NB201 ops (see drawn-cell.ts). A Cell may sit inside a Repeat or Choice;
 *   Repeat and Choice nodes may not be nested in a group.
 *
 * Decision order (and so key order): searchable params in node order, then optional edges in
 * edge order, then Repeat/Choice/Cell decisions in node order.
 *
 * Edges reach a group's nodes only through the container: edges into the container feed the
 * chain's entry, edges out of it leave from the exit. Errors are GraphErrors naming the node,
 * edge or field at fault.
 */
import { GraphError } from '../../engine/graph/errors.js';
import type { LoomDocument, LoomNode } from '../../engine/graph/schema.js';
import { NB201_EDGES, NB201_OPS } from './nb201.js';
import type { Decision, DecisionValue } from './types.js';

/** Container kinds: not engine layers, removed by materialization. */
export const CONTAINER_KINDS = ['Repeat', 'Choice', 'Cell'] as const;

/** Largest option list a range may produce (a guard against a typo like step 1e-9). */
const MAX_OPTIONS = 10_000;
/** Largest repeat count: beyond this a drawn space is more likely a typo than a design. */
const MAX_REPEAT = 64;

/** One searchable param and its decision. */
export interface ParamSpec {
  node: string;
  param: string;
  decision: string;
}

/** A parsed drawn space: the document, its decisions and the structure to materialize. */
export interface SpaceModel {
  doc: LoomDocument;
  decisions: Decision[];
  params: ParamSpec[];
  /** Optional edges by index in `doc.edges`. */
  optionalEdges: { index: number; decision: string }[];
  /** Repeat id -> its block (entry first). */
  repeats: Map<string, { min: number; max: number; chain: string[] }>;
  /** Choice id -> one chain per alternative (entry first). */
  choices: Map<string, { alternatives: string[][] }>;
  /** Cell id -> fixed channel count, if given. */
  cells: Map<string, { channels?: number }>;
  /** Original node id -> the decisions that shape it (for blaming shape failures). */
  decisionsOf: Map<string, string[]>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when a param value is a `choice` or `range` object rather than a concrete value. */
export function isSearchableValue(v: unknown): boolean {
  return isPlainObject(v) && ('choice' in v || 'range' in v);
}

/** True when the document holds any searchable part (param, optional edge, container, group). */
export function hasSearchableParts(doc: LoomDocument): boolean {
  return (
    doc.nodes.some(
      (n) =>
        (CONTAINER_KINDS as readonly string[]).includes(n.kind) ||
        n.group !== undefined ||
        n.alternative !== undefined ||
        Object.values(n.params).some(isSearchableValue),
    ) || doc.edges.some((e) => e.optional === true)
  );
}

/** Rounds to 12 significant digits, so accumulated float steps print as written. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** The options a `choice`/`range` object denotes; throws naming the node and field. */
export function paramOptions(node: string, field: string, spec: Record<string, unknown>): DecisionValue[] {
  const fail = (msg: string): never => {
    throw new GraphError('invalid-param', `node "${node}": ${field}: ${msg}`, { node, field });
  };
  const keys = Object.keys(spec);
  const bad = keys.find((k) => !['choice', 'range', 'log'].includes(k));
  if (bad !== undefined) fail(`unknown key "${bad}" in a searchable param; use {"choice": [...]} or {"range": [min, max, step]}`);
  if ('choice' in spec && 'range' in spec) fail('give "choice" or "range", not both');
  if ('choice' in spec) {
    if ('log' in spec) fail('"log" applies to "range" only');
    const c = spec.choice;
    if (!Array.isArray(c) || c.length === 0) return fail('"choice" must be a non-empty array');
    const seen = new Set<string>();
    for (const v of c) {
      if (!['number', 'string', 'boolean'].includes(typeof v)) fail(`choice ${JSON.stringify(v)}: options must be numbers, strings or booleans`);
      const text = String(v);
      if (text.includes(',')) fail(`choice ${JSON.stringify(v)}: options may not contain ","`);
      if (seen.has(text)) fail(`choice ${JSON.stringify(v)} is listed twice`);
      seen.add(text);
    }
    return c as DecisionValue[];
  }
  const r = spec.range;
  if (!Array.isArray(r) || r.length !== 3 || !r.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return fail('"range" must be [min, max, step] with finite numbers');
  }
  const [min, max, step] = r as number[];
  if (min > max) fail(`range min ${min} exceeds max ${max}`);
  if (spec.log !== undefined && typeof spec.log !== 'boolean') fail('"log" must be true or false');
  const out: number[] = [];
  if (spec.log === true) {
    if (min <= 0) fail(`log range needs min > 0, got ${min}`);
    if (step <= 1) fail(`log range step is a factor and must be > 1, got ${step}`);
    for (let v = min; v <= max * (1 + 1e-9) && out.length <= MAX_OPTIONS; v *= step) out.push(tidy(v));
  } else {
    if (step <= 0) fail(`range step must be > 0, got ${step}`);
    const n = Math.floor((max - min) / step + 1e-9);
    if (n >= MAX_OPTIONS) fail(`range gives ${n + 1} options; at most ${MAX_OPTIONS}`);
    for (let i = 0; i <= n; i++) out.push(tidy(min + i * step));
  }
  if (out.length > MAX_OPTIONS) fail(`range gives more than ${MAX_OPTIONS} options`);
  return out;
}

/**
 * Orders a group's members as a chain using its internal edges; throws naming the container
 * (and the offending member) when they are not a single path.
 */
function chainOf(what: string, container: string, members: string[], internal: { source: string; target: string }[]): string[] {
  const fail = (msg: string): never => {
    throw new GraphError('schema', `node "${container}": ${what} is not a chain: ${msg}`, { node: container });
  };
  const next = new Map<string, string>();
  const hasIn = new Set<string>();
  for (const e of internal) {
    if (next.has(e.source)) fail(`node "${e.source}" has more than one outgoing edge inside it`);
    if (hasIn.has(e.target)) fail(`node "${e.target}" has more than one incoming edge inside it`);
    next.set(e.source, e.target);
    hasIn.add(e.target);
  }
  const entries = members.filter((m) => !hasIn.has(m));
  if (entries.length !== 1) fail(`expected one entry node, found ${entries.length === 0 ? 'none (a cycle)' : entries.map((m) => `"${m}"`).join(', ')}`);
  const chain = [entries[0]];
  while (next.has(chain[chain.length - 1]) && chain.length <= members.length) chain.push(next.get(chain[chain.length - 1])!);
  if (chain.length !== members.length) {
    const off = members.filter((m) => !chain.includes(m));
    fail(`node "${off[0]}" is not on the path from "${chain[0]}"`);
  }
  return chain;
}

function intParam(node: LoomNode, key: string, min: number, max: number, required: boolean): number | undefined {
  const v = node.params[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new GraphError('invalid-param', `node "${node.id}": params.${key}: expected an integer in ${min}..${max}, got ${JSON.stringify(v)}`, {
      node: node.id,
      field: `params.${key}`,
    });
  }
  return v;
}

/** Parses the searchable parts of a (schema-checked) document into a {@link SpaceModel}. */
export function parseSpace(doc: LoomDocument): SpaceModel {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const decisions: Decision[] = [];
  const decisionsOf = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  const addDecision = (name: string, options: readonly DecisionValue[], owner: string, where: { node?: string; edge?: string }): void => {
    if (decisions.some((d) => d.name === name)) throw new GraphError('schema', `decision "${name}" is defined twice`, where);
    decisions.push({ name, options });
    decisionsOf.get(owner)?.push(name);
  };
  const model: SpaceModel = { doc, decisions, params: [], optionalEdges: [], repeats: new Map(), choices: new Map(), cells: new Map(), decisionsOf };

  // Containers first, so group references can be checked against them.
  for (const n of doc.nodes) {
    if (!(CONTAINER_KINDS as readonly string[]).includes(n.kind)) continue;
    const allowed = n.kind === 'Repeat' ? ['min', 'max'] : n.kind === 'Cell' ? ['channels'] : [];
    const extra = Object.keys(n.params).find((k) => !allowed.includes(k));
    if (extra !== undefined) {
      throw new GraphError('invalid-param', `node "${n.id}": unknown param "${extra}" for ${n.kind}; its params: ${allowed.join(', ') || '(none)'}`, {
        node: n.id,
        field: `params.${extra}`,
      });
    }
    if (n.group !== undefined && n.kind !== 'Cell') {
      throw new GraphError('schema', `node "${n.id}": a ${n.kind} cannot sit inside group "${n.group}"; containers do not nest`, {
        node: n.id,
        field: 'group',
      });
    }
    if (n.kind === 'Cell') model.cells.set(n.id, { channels: intParam(n, 'channels', 1, 1 << 16, false) });
  }

  for (const n of doc.nodes) {
    for (const [key, value] of Object.entries(n.params)) {
      if (!isSearchableValue(value)) continue;
      const decision = `${n.id}.${key}`;
      addDecision(decision, paramOptions(n.id, `params.${key}`, value as Record<string, unknown>), n.id, { node: n.id });
      model.params.push({ node: n.id, param: key, decision });
    }
    if (n.alternative !== undefined && n.group === undefined) {
      throw new GraphError('schema', `node "${n.id}": "alternative" needs a "group" naming a Choice node`, { node: n.id, field: 'alternative' });
    }
    if (n.group === undefined) continue;
    const g = byId.get(n.group);
    if (!g) throw new GraphError('schema', `node "${n.id}": group "${n.group}": no node has that id`, { node: n.id, field: 'group' });
    if (g.kind !== 'Repeat' && g.kind !== 'Choice') {
      throw new GraphError('schema', `node "${n.id}": group "${n.group}" is a ${g.kind}; only Repeat and Choice nodes hold groups`, {
        node: n.id,
        field: 'group',
      });
    }
    if (g.kind === 'Choice' && n.alternative === undefined) {
      throw new GraphError('schema', `node "${n.id}": member of Choice "${g.id}" needs "alternative" (0-based)`, { node: n.id, field: 'alternative' });
    }
    if (g.kind === 'Repeat' && n.alternative !== undefined) {
      throw new GraphError('schema', `node "${n.id}": "alternative" applies to Choice groups; "${g.id}" is a Repeat`, { node: n.id, field: 'alternative' });
    }
  }

  // Edges: internal to one chain, or top-level; nothing crosses a group boundary.
  const slot = (id: string): string => {
    const n = byId.get(id);
    return n?.group === undefined ? '' : `${n.group}#${n.alternative ?? 0}`;
  };
  doc.edges.forEach((e, i) => {
    const where = { edge: e.id ?? String(i), field: `edges[${i}]` };
    const label = `edge ${i} ("${e.source}" -> "${e.target}")`;
    const [s, t] = [slot(e.source), slot(e.target)];
    if (s !== t) {
      const inner = s ? e.source : e.target;
      throw new GraphError(
        'schema',
        `${label}: node "${inner}" belongs to group "${byId.get(inner)!.group}" and connects outside it only through that node`,
        where,
      );
    }
    if (e.optional !== true) return;
    if (s) throw new GraphError('schema', `${label}: an optional edge cannot sit inside group "${byId.get(e.source)!.group}"`, where);
    const owner = byId.has(e.target) ? e.target : e.source;
    addDecision(`edge:${e.source}->${e.target}`, [true, false], owner, where);
    model.optionalEdges.push({ index: i, decision: `edge:${e.source}->${e.target}` });
  });

  const internal = (ids: string[]): { source: string; target: string }[] => doc.edges.filter((e) => ids.includes(e.source) && ids.includes(e.target));
  for (const n of doc.nodes) {
    const members = doc.nodes.filter((m) => m.group === n.id);
    if (n.kind === 'Repeat') {
      const min = intParam(n, 'min', 1, MAX_REPEAT, true)!;
      const max = intParam(n, 'max', 1, MAX_REPEAT, true)!;
      if (min > max) throw new GraphError('invalid-param', `node "${n.id}": params.min ${min} exceeds params.max ${max}`, { node: n.id, field: 'params.min' });
      if (members.length === 0) throw new GraphError('schema', `node "${n.id}": Repeat block is empty; give its nodes "group": "${n.id}"`, { node: n.id });
      const ids = members.map((m) => m.id);
      model.repeats.set(n.id, { min, max, chain: chainOf('Repeat block', n.id, ids, internal(ids)) });
      addDecision(
        n.id,
        Array.from({ length: max - min + 1 }, (_, k) => min + k),
        n.id,
        { node: n.id },
      );
      for (const id of ids) decisionsOf.get(id)!.push(n.id);
    } else if (n.kind === 'Choice') {
      const count = members.length === 0 ? 0 : Math.max(...members.map((m) => m.alternative!)) + 1;
      if (count === 0)
        throw new GraphError('schema', `node "${n.id}": Choice has no alternatives; give nodes "group": "${n.id}", "alternative": 0`, { node: n.id });
      const alternatives: string[][] = [];
      for (let a = 0; a < count; a++) {
        const ids = members.filter((m) => m.alternative === a).map((m) => m.id);
        if (ids.length === 0) throw new GraphError('schema', `node "${n.id}": Choice alternative ${a} is empty`, { node: n.id });
        alternatives.push(chainOf(`Choice alternative ${a}`, n.id, ids, internal(ids)));
      }
      model.choices.set(n.id, { alternatives });
      addDecision(
        n.id,
        alternatives.map((_, a) => a),
        n.id,
        { node: n.id },
      );
      for (const m of members) decisionsOf.get(m.id)!.push(n.id);
    } else if (n.kind === 'Cell') {
      for (const edge of NB201_EDGES) addDecision(`${n.id}.${edge}`, NB201_OPS, n.id, { node: n.id });
      if (n.group !== undefined) decisionsOf.get(n.id)!.push(n.group);
    }
  }
  return model;
}
