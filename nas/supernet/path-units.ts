/**
 * The weight sets a sampled path uses: a walk along the path over static shapes that notes
 * every weighted layer it calls. The onnxruntime step computes the whole supernet under
 * one-hot weights, so weights off the path get exact zero gradients; tf.js's path walk gives
 * them none, and an optimizer with momentum moves a weight with a zero gradient but not one
 * without. The step applies only the gradients (and BatchNorm statistics) of these sets, so
 * both backends update the same tensors.
 */
import { getLayer, type Shape } from '../../engine/layers/index.js';
import { isChannelConcat, maxShape, unitKey } from './static.js';
import { hasWeights, Walk, type Algebra, type LayerCall, type Picker, type Structure } from './traverse.js';

/** Shapes along one path, recording the weight sets of the layers called. */
class UnitsAlgebra implements Algebra<Shape, unknown> {
  readonly used = new Set<string>();

  constructor(private readonly s: Structure) {}

  input(site: string): Shape {
    return [null, ...(this.s.byId.get(site)!.params.shape as (number | null)[])];
  }

  layer(call: LayerCall<unknown>, inputs: Shape[]): Shape {
    if (hasWeights(call.kind)) this.used.add(unitKey(call));
    const def = getLayer(call.kind)!;
    return def.inferShape(def.params.parse(call.params), inputs)[0];
  }

  merge(site: string, kind: string, params: Record<string, unknown>, inputs: (Shape | null)[]): Shape {
    const present = inputs.filter((s): s is Shape => s !== null);
    if (kind === 'Concatenate' && isChannelConcat(params, present[0].length)) {
      const joined = present.reduce((a, b) => maxShape(site, a, b));
      return [...joined.slice(0, -1), present.reduce((n, s) => n + (s[s.length - 1] ?? 0), 0)];
    }
    return present.reduce((a, b) => maxShape(site, a, b));
  }

  mix(site: string, _w: unknown, parts: { value: Shape }[]): Shape {
    return parts.map((p) => p.value).reduce((a, b) => maxShape(site, a, b));
  }

  gate(value: Shape): Shape {
    return value;
  }

  dropout(value: Shape): Shape {
    return value;
  }

  channels(v: Shape): number {
    return v[v.length - 1] ?? 0;
  }
}

/** Bank keys of the weight sets the path `picker` calls. */
export function pathUnits(s: Structure, picker: Picker<unknown>): Set<string> {
  const alg = new UnitsAlgebra(s);
  new Walk<Shape, unknown>(s, alg, picker).run();
  return alg.used;
}
