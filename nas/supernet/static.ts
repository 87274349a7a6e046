/**
 * The static pass: one walk over every option of every decision with shapes as values, taking
 * the elementwise largest shape wherever options meet. It yields the largest input shape of
 * every weight-holding site (so the bank can allocate the shared tensors once) and the layout
 * size of every value (so a path knows which rows its channels are).
 */
import type { Shape } from '../../engine/layers/index.js';
import { getLayer } from '../../engine/layers/index.js';
import type { UnitSpec } from './bank.js';
import { hasWeights, Walk, type Algebra, type LayerCall, type MixPart, type Structure } from './traverse.js';

/** What the static pass learns. */
export interface StaticInfo {
  /** Largest output shape per layer key (site, or `site~variant`) and per merge site. */
  out: Map<string, Shape>;
  /** Layout size of each input slot of a channel Concatenate, by site. */
  slots: Map<string, number[]>;
  /** Weight sets to allocate. */
  units: UnitSpec[];
  /** Largest output of the whole network. */
  output: Shape;
}

/** Bank / static key of a layer call. */
export function unitKey(call: Pick<LayerCall<unknown>, 'site' | 'variant'>): string {
  return call.variant ? `${call.site}~${call.variant}` : call.site;
}

/** Elementwise largest of two shapes of equal rank (unknown dims stay unknown). */
export function maxShape(where: string, a: Shape, b: Shape): Shape {
  if (a.length !== b.length) throw new Error(`supernet: the options at "${where}" give outputs of different rank ([${a}] and [${b}])`);
  return a.map((d, i) => (d === null || b[i] === null ? null : Math.max(d, b[i]!)));
}

/** Whether a Concatenate joins along the channel (last) axis. */
export function isChannelConcat(params: Record<string, unknown>, rank: number): boolean {
  const axis = (params.axis as number | undefined) ?? -1;
  return axis === -1 || axis === rank - 1;
}

class ShapeAlgebra implements Algebra<Shape, never> {
  readonly out = new Map<string, Shape>();
  readonly slots = new Map<string, number[]>();
  private readonly units = new Map<string, UnitSpec>();

  constructor(private readonly s: Structure) {}

  specs(): UnitSpec[] {
    return [...this.units.values()];
  }

  input(site: string): Shape {
    return [null, ...(this.s.byId.get(site)!.params.shape as (number | null)[])];
  }

  layer(call: LayerCall<never>, inputs: Shape[]): Shape {
    const def = getLayer(call.kind);
    if (!def) throw new Error(`supernet: node "${call.site}": unknown kind ${call.kind}`);
    let out: Shape;
    try {
      out = def.inferShape(def.params.parse(call.params), inputs)[0];
    } catch (e) {
      throw new Error(`supernet: node "${call.site}" (${call.kind}) on its largest input [${inputs.map((s) => `[${s}]`).join(', ')}]: ${(e as Error).message}`);
    }
    const key = unitKey(call);
    if (hasWeights(call.kind)) {
      const prev = this.units.get(key);
      const inShapes = prev ? prev.inShapes.map((s, i) => maxShape(call.site, s, inputs[i])) : inputs;
      this.units.set(key, { key, kind: call.kind, params: call.params, inShapes });
    }
    return this.record(key, out);
  }

  merge(site: string, kind: string, params: Record<string, unknown>, inputs: (Shape | null)[]): Shape {
    const present = inputs.filter((s): s is Shape => s !== null);
    if (kind === 'Concatenate' && isChannelConcat(params, present[0].length)) {
      const sizes = present.map((s) => this.lastDim(site, s));
      this.slots.set(site, sizes);
      const joined = present.reduce((a, b) => maxShape(site, a, b));
      return this.record(site, [...joined.slice(0, -1), sizes.reduce((a, b) => a + b, 0)]);
    }
    if (kind === 'Concatenate') return this.record(site, getLayer(kind)!.inferShape(getLayer(kind)!.params.parse(params), present)[0]);
    return this.record(
      site,
      present.reduce((a, b) => maxShape(site, a, b)),
    );
  }

  mix(site: string, _w: undefined, parts: MixPart<Shape>[]): Shape {
    return parts.map((p) => p.value).reduce((a, b) => maxShape(site, a, b));
  }

  gate(value: Shape): Shape {
    return value;
  }

  dropout(value: Shape): Shape {
    return value;
  }

  channels(v: Shape): number {
    return this.lastDim('a Cell input', v);
  }

  private lastDim(site: string, s: Shape): number {
    const c = s[s.length - 1];
    if (c === null) throw new Error(`supernet: "${site}": the channel (last) axis must be known, got [${s}]`);
    return c;
  }

  private record(key: string, shape: Shape): Shape {
    const prev = this.out.get(key);
    const merged = prev ? maxShape(key, prev, shape) : shape;
    this.out.set(key, merged);
    return merged;
  }
}

/** Walks every option of every decision and returns the static bounds. */
export function staticPass(s: Structure): StaticInfo {
  const alg = new ShapeAlgebra(s);
  const output = new Walk<Shape, never>(s, alg, { pick: () => ({ kind: 'all' }) }).run();
  return { out: alg.out, slots: alg.slots, units: alg.specs(), output };
}
