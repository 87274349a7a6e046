/**
 * The supernet's shared weights: one built tf.js layer per weight-holding site and variant,
 * at the largest shape any candidate needs there.
 *
 * Sites are materialized node ids (`stem`, `block_conv_r2`, `cell_13_conv`), so a weight set
 * maps one-to-one onto the layer of the same id in an extracted sub-network. A site whose
 * searchable params change its weights' shape other than by width (a kernel size choice)
 * holds one set per shape, the *variant* (`stem~kernelSize=5`); a width choice never makes a
 * variant: the candidate slices the largest tensor. Layers are built by the registry's own
 * `toTfjs` (so initializers match what `compileGraph` would use) inside a seeded
 * `Math.random`, each from its own seed derived from the key, so the weights do not depend on
 * build order.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { getLayer, type Shape } from '../../engine/layers/index.js';
import type { Tf } from '../../engine/layers/types.js';
import { loadTensor, saveTensor, type SavedTensor } from '../../engine/train/saved-tensor.js';
import { hashString, withSeededMathRandom } from '../../engine/util/rng.js';

/** One weight set to build. */
export interface UnitSpec {
  /** Bank key: site id, plus `~variant` when the site has several weight shapes. */
  key: string;
  kind: string;
  /** Params at the largest width (parsed by the kind's schema on build). */
  params: Record<string, unknown>;
  /** Largest input shapes (batch dim null). */
  inShapes: Shape[];
}

/** tf.js tensor names allow `[A-Za-z0-9._/-]` only. */
function tfName(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]/, 'u');
}

/** Built layers by key, with their variables in a fixed order for optimizers and checkpoints. */
export class WeightBank {
  private readonly units = new Map<string, tfNs.layers.Layer>();

  constructor(
    private readonly tf: Tf,
    private readonly seed: number,
  ) {}

  /** Builds every spec (keys sorted, so variable order is stable across processes). */
  build(specs: readonly UnitSpec[]): void {
    const sorted = [...specs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const s of sorted) {
      if (this.units.has(s.key)) throw new Error(`supernet: weight set "${s.key}" built twice`);
      const def = getLayer(s.kind);
      if (!def) throw new Error(`supernet: "${s.key}": unknown layer kind ${s.kind}`);
      const tf = this.tf;
      const layer = withSeededMathRandom(hashString(`${this.seed}:${s.key}`), () => {
        const l = def.toTfjs(tf, def.params.parse(s.params), tfName(s.key), s.inShapes);
        if (!l) throw new Error(`supernet: "${s.key}": kind ${s.kind} has no tf.js layer`);
        // Building through an eager call creates the weights at the right shapes.
        tf.tidy(() => {
          const ins = s.inShapes.map((sh) => tf.zeros([1, ...sh.slice(1).map((d) => d ?? 1)]));
          l.apply(ins.length === 1 ? ins[0] : ins);
        });
        return l;
      });
      this.units.set(s.key, layer);
    }
  }

  /** The built layer of `key`; throws when the static pass did not allocate it. */
  get(key: string): tfNs.layers.Layer {
    const u = this.units.get(key);
    if (!u) throw new Error(`supernet: no weight set "${key}" (the path reaches a site the static pass did not see)`);
    return u;
  }

  has(key: string): boolean {
    return this.units.has(key);
  }

  /** Keys in build order. */
  keys(): string[] {
    return [...this.units.keys()];
  }

  /** Trainable variables in a fixed order (optimizer slots are positional in tf.js). */
  trainable(): tfNs.Variable[] {
    return [...this.units.values()].flatMap((l) => l.trainableWeights.map((w) => w.read() as tfNs.Variable));
  }

  /** Number of scalar weights (trainable and not). */
  countParams(): number {
    let n = 0;
    for (const l of this.units.values()) for (const w of l.weights) n += w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    return n;
  }

  /** Every weight (moving statistics included), named `<key>/<weight>`. */
  async save(): Promise<SavedTensor[]> {
    const out: SavedTensor[] = [];
    for (const [key, l] of this.units) {
      for (const w of l.weights) out.push(await saveTensor(`${key}/${weightName(w)}`, w.read()));
    }
    return out;
  }

  /** Writes saved weights back; every weight must be present with its shape. */
  restore(saved: readonly SavedTensor[]): void {
    const byName = new Map(saved.map((s) => [s.name, s]));
    for (const [key, l] of this.units) {
      for (const w of l.weights) {
        const name = `${key}/${weightName(w)}`;
        const s = byName.get(name);
        if (!s) throw new Error(`supernet checkpoint has no weight "${name}"`);
        if (s.shape.join(',') !== w.shape.join(','))
          throw new Error(`supernet checkpoint weight "${name}" has shape [${s.shape}], the supernet needs [${w.shape}]`);
        this.tf.tidy(() => {
          w.write(loadTensor(this.tf, s));
        });
      }
    }
  }

  dispose(): void {
    for (const l of this.units.values()) for (const w of l.weights) w.dispose();
    this.units.clear();
  }
}

/** `kernel`, `bias`, `moving_mean`, …: the last part of a layer variable's original name. */
function weightName(w: { originalName: string }): string {
  return w.originalName.split('/').pop()!;
}
