/**
 * Checks over a whole drawn space: the smallest and largest candidate, and a shape check of
 * every candidate before a search starts (so a search never spends a training run on a graph
 * that cannot be built).
 *
 * Coverage: spaces of at most {@link EXHAUSTIVE_LIMIT} candidates are enumerated. Larger ones
 * use {@link SAMPLED} seeded uniform samples; `extremes` then refines each of its four
 * extremes greedily (coordinate search: try every option of one decision at a time, keep any
 * strict improvement, repeat until a full pass changes nothing), and `shapeCheck` adds those
 * extreme candidates, since the largest and smallest graphs are the likeliest to break shapes.
 *
 * A failure names the decision values that break it: those of the failing node's upstream
 * decisions for which changing that one decision to some other option makes the candidate
 * valid; when no single change fixes it, all upstream decisions. The single-change search runs
 * for the first {@link BLAME_LIMIT} failures only (it costs a few materializations each).
 */
import { GraphError } from '../../engine/graph/errors.js';
import { graphCost, inferShapes } from '../../engine/graph/infer.js';
import { validateDocument } from '../../engine/graph/validate.js';
import { Rng } from '../../engine/util/rng.js';
import type { Materialized } from './drawn-materialize.js';
import type { SpaceModel } from './drawn-parse.js';
import type { Sample, SearchSpace } from './types.js';

/**
 * What the checks read of a drawn space (DrawnSpace implements it): declared here so this
 * module does not import drawn.ts, which calls it.
 */
export interface DrawnSpace extends SearchSpace {
  readonly model: SpaceModel;
  materializeDetailed(s: Sample): Materialized;
}

/** Spaces up to this size are checked exhaustively. */
export const EXHAUSTIVE_LIMIT = 10_000;
/** Seeded samples drawn from larger spaces. */
export const SAMPLED = 2_000;
/** Failures that get the single-change blame search. */
export const BLAME_LIMIT = 100;

/** One candidate's outcome. */
export type Evaluation = { ok: true; params: number; flops: number } | { ok: false; message: string; node?: string; upstream: string[] };

/** A candidate at an extreme, with its cost. */
export interface Extreme {
  sample: Sample;
  params: number;
  flops: number;
}

/** The four extremes of a space (over valid candidates). */
export interface Extremes {
  minParams: Extreme;
  maxParams: Extreme;
  minFlops: Extreme;
  maxFlops: Extreme;
  /** True when every candidate was evaluated. */
  exhaustive: boolean;
}

/** The outcome of {@link shapeCheckSpace}. */
export interface ShapeCheck {
  checked: number;
  failures: { sample: Sample; message: string }[];
}

/** Materializes, validates, infers shapes and costs one candidate; never throws a GraphError. */
export function evaluateSample(space: DrawnSpace, s: Sample): Evaluation {
  let origin: Map<string, string> | undefined;
  let edges: { source: string; target: string }[] = [];
  try {
    const m = space.materializeDetailed(s);
    origin = m.origin;
    edges = m.doc.edges;
    const graph = validateDocument(m.doc);
    const { params, flops } = graphCost(graph, inferShapes(graph));
    return { ok: true, params, flops };
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    const node = e.where.node;
    // Decisions upstream of (or at) the failing node; everything when no node is named.
    let upstream: string[] = space.decisions.map((d) => d.name);
    if (node !== undefined) {
      const seen = new Set([node]);
      for (let grew = true; grew;) {
        grew = false;
        for (const ed of edges) {
          if (seen.has(ed.target) && !seen.has(ed.source)) {
            seen.add(ed.source);
            grew = true;
          }
        }
      }
      const names = new Set([...seen].flatMap((id) => space.model.decisionsOf.get(origin?.get(id) ?? id) ?? []));
      upstream = space.decisions.map((d) => d.name).filter((d) => names.has(d));
    }
    return { ok: false, message: e.message, node, upstream };
  }
}

/** Every sample of the space, in mixed-radix order over the decisions. */
export function* allSamples(space: DrawnSpace): Generator<Sample> {
  const sizes = space.decisions.map((d) => d.options.length);
  const total = space.size();
  for (let n = 0; n < total; n++) {
    let rest = n;
    const s: Sample = {};
    space.decisions.forEach((d, i) => {
      s[d.name] = d.options[rest % sizes[i]];
      rest = Math.floor(rest / sizes[i]);
    });
    yield s;
  }
}

/** The samples a check covers: all, or a seeded draw (deduplicated by key). */
function coverage(space: DrawnSpace, seed: number): { samples: Sample[]; exhaustive: boolean } {
  if (space.size() <= EXHAUSTIVE_LIMIT) return { samples: [...allSamples(space)], exhaustive: true };
  const rng = new Rng(seed);
  const byKey = new Map<string, Sample>();
  for (let i = 0; i < SAMPLED; i++) {
    const s = space.sample(rng);
    byKey.set(space.key(s), s);
  }
  return { samples: [...byKey.values()], exhaustive: false };
}

type Metric = 'params' | 'flops';
type Ok = Extract<Evaluation, { ok: true }>;

/** Greedy coordinate search from `start` towards the extreme of `metric` (sign -1: minimum). */
function refine(space: DrawnSpace, start: Extreme, metric: Metric, sign: 1 | -1, score: (s: Sample) => Ok | undefined): Extreme {
  let best = start;
  for (let improved = true; improved;) {
    improved = false;
    for (const d of space.decisions) {
      for (const o of d.options) {
        if (o === best.sample[d.name]) continue;
        const s = { ...best.sample, [d.name]: o };
        const r = score(s);
        if (r && sign * (r[metric] - best[metric]) > 0) {
          best = { sample: s, params: r.params, flops: r.flops };
          improved = true;
        }
      }
    }
  }
  return best;
}

/** Smallest and largest candidate by params and FLOPs; throws when no candidate is valid. */
export function spaceExtremes(space: DrawnSpace, seed = 0): Extremes {
  const memo = new Map<string, Evaluation>();
  const score = (s: Sample): Ok | undefined => {
    const k = space.key(s);
    let r = memo.get(k);
    if (!r) memo.set(k, (r = evaluateSample(space, s)));
    return r.ok ? r : undefined;
  };
  const { samples, exhaustive } = coverage(space, seed);
  let ext: Omit<Extremes, 'exhaustive'> | undefined;
  for (const s of samples) {
    const r = score(s);
    if (!r) continue;
    const e: Extreme = { sample: s, params: r.params, flops: r.flops };
    if (!ext) {
      ext = { minParams: e, maxParams: e, minFlops: e, maxFlops: e };
      continue;
    }
    if (e.params < ext.minParams.params) ext.minParams = e;
    if (e.params > ext.maxParams.params) ext.maxParams = e;
    if (e.flops < ext.minFlops.flops) ext.minFlops = e;
    if (e.flops > ext.maxFlops.flops) ext.maxFlops = e;
  }
  if (!ext) throw new Error(`space ${space.name}: none of the ${samples.length} candidates checked passes the shape check`);
  if (!exhaustive) {
    ext = {
      minParams: refine(space, ext.minParams, 'params', -1, score),
      maxParams: refine(space, ext.maxParams, 'params', 1, score),
      minFlops: refine(space, ext.minFlops, 'flops', -1, score),
      maxFlops: refine(space, ext.maxFlops, 'flops', 1, score),
    };
  }
  return { ...ext, exhaustive };
}

/** The decisions among `upstream` that, changed alone, make `s` valid. */
function blame(space: DrawnSpace, s: Sample, upstream: string[]): string[] {
  return upstream.filter((name) => {
    const d = space.decisions.find((x) => x.name === name)!;
    return d.options.some((o) => o !== s[name] && evaluateSample(space, { ...s, [name]: o }).ok);
  });
}

/** Shape-checks every candidate (or a seeded sample plus the extremes of a large space). */
export function shapeCheckSpace(space: DrawnSpace, seed = 0): ShapeCheck {
  const { samples, exhaustive } = coverage(space, seed);
  if (!exhaustive) {
    const keys = new Set(samples.map((s) => space.key(s)));
    try {
      const ext = spaceExtremes(space, seed);
      for (const e of [ext.minParams, ext.maxParams, ext.minFlops, ext.maxFlops]) {
        if (keys.has(space.key(e.sample))) continue;
        keys.add(space.key(e.sample));
        samples.push(e.sample);
      }
    } catch {
      // No valid candidate among the draws: the failures below say why.
    }
  }
  const failures: ShapeCheck['failures'] = [];
  for (const s of samples) {
    const message = describeFailure(space, s, failures.length < BLAME_LIMIT);
    if (message !== undefined) failures.push({ sample: s, message });
  }
  return { checked: samples.length, failures };
}

/**
 * Why `s` fails, prefixed with the decision values to blame (`a=1, b=2: node "x": ...`), or
 * undefined when it is valid. `search` false skips the single-change search (upstream only).
 */
export function describeFailure(space: DrawnSpace, s: Sample, search = true): string | undefined {
  const r = evaluateSample(space, s);
  if (r.ok) return undefined;
  const named = search ? blame(space, s, r.upstream) : [];
  const culprits = named.length > 0 ? named : r.upstream;
  const prefix = culprits.map((d) => `${d}=${String(s[d])}`).join(', ');
  return prefix ? `${prefix}: ${r.message}` : r.message;
}
