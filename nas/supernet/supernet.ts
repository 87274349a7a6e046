/**
 * The supernet of a drawn search space: every candidate in one set of shared tf.js weights
 * (Bender et al. 2018; Guo et al. 2020), built by `buildSupernet(tf, space)`.
 *
 * It is not a `tf.LayersModel`: a layers model has one fixed graph, while a supernet switches
 * path every batch (SPOS, ENAS) or runs every option at once under architecture weights
 * (DARTS). It is a {@link WeightBank} of built tf.js layers plus a forward function that
 * walks the drawn space (traverse.ts) with those weights. A candidate's own graph is what
 * `space.materialize` gives; `extractSubnet` (extract.ts) compiles it and copies the path's
 * weights in.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { inferShapes } from '../../engine/graph/infer.js';
import { validateDocument } from '../../engine/graph/validate.js';
import type { Tf } from '../../engine/layers/types.js';
import { Output } from '../../engine/layers/output.js';
import { computeLoss, type LossName } from '../../engine/train/losses.js';
import type { WeightSharingSpace } from '../space/drawn.js';
import type { Sample } from '../space/types.js';
import { WeightBank } from './bank.js';
import type { Value } from './channels.js';
import { TensorAlgebra, type MixWeights } from './forward.js';
import { staticPass, type StaticInfo } from './static.js';
import { InvalidPathError, Structure, Walk, type Picker } from './traverse.js';
import { OnnxSupernet } from './onnx-supernet.js';
import type { SupernetGraphOptions } from './onnx-compile.js';

export type { WeightSharingSpace } from '../space/drawn.js';

/** Options of {@link buildSupernet}. */
export interface SupernetOptions {
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /**
   * Where weight steps and scoring run (default `onnxruntime`, falling back to tf.js when the
   * supernet does not compile to ONNX; {@link Supernet.onnxFallback} says why).
   */
  trainer?: 'onnxruntime' | 'tfjs';
  /**
   * onnxruntime intra-op threads (default 1): a supernet graph is thousands of small ops, and
   * handing each to a second thread cost more than it saved (bench/one-shot's supernet, A/B in
   * one process: a SPOS step 44-68 ms on 1 thread, 93-117 ms on 2; BENCHMARKS.md).
   */
  threads?: number;
}

/** How one forward pass behaves. */
export interface ForwardOptions {
  /** Dropout on, BatchNorm on batch statistics with moving averages updated (default false). */
  training?: boolean;
  /** BatchNorm on batch statistics without training (evaluating a candidate); default `training`. */
  batchStats?: boolean;
  /** Update BatchNorm moving averages; default `training`. */
  updateStats?: boolean;
  /** DARTS-: weight of the auxiliary skip on relaxed edges (default 0). */
  auxSkip?: number;
  /** Operation-level dropout on parameter-free cell ops (P-DARTS; default 0). */
  paramFreeDropout?: number;
  /** Collects each weighted site's weights as the path used them (extraction). */
  record?: Map<string, tfNs.Tensor[]>;
}

/** One supernet; see the module comment. */
export class Supernet {
  readonly structure: Structure;
  readonly statics: StaticInfo;
  readonly bank: WeightBank;
  /** Loss of the space's Output node. */
  readonly output: { loss: LossName; fromLogits: boolean };
  readonly seed: number;
  readonly trainer: 'onnxruntime' | 'tfjs';
  /** Why a graph kind trains on tf.js instead of onnxruntime (its compile error), by graph options. */
  readonly onnxFallback = new Map<string, string>();
  private readonly valid = new Map<string, boolean>();
  private onnxRt?: Promise<OnnxSupernet>;
  private readonly threads: number;

  constructor(
    readonly tf: Tf,
    readonly space: WeightSharingSpace,
    options: SupernetOptions = {},
  ) {
    this.seed = options.seed ?? 0;
    this.trainer = options.trainer ?? 'onnxruntime';
    this.threads = options.threads ?? 1;
    this.structure = new Structure(space.drawn.model);
    this.statics = staticPass(this.structure);
    this.bank = new WeightBank(tf, this.seed);
    this.bank.build(this.statics.units);
    const out = Output.params.parse(this.structure.byId.get(this.structure.outputId)!.params);
    this.output = { loss: out.loss, fromLogits: out.fromLogits };
  }

  /** The network's output for a batch `x`, along `picker` (a path or a relaxation). */
  forward(x: tfNs.Tensor, picker: Picker<MixWeights>, opts: ForwardOptions = {}): tfNs.Tensor {
    const training = opts.training ?? false;
    const ctx = {
      tf: this.tf,
      training,
      batchStats: opts.batchStats ?? training,
      updateStats: opts.updateStats ?? training,
      record: opts.record,
    };
    const alg = new TensorAlgebra(this.bank, this.statics, ctx, x);
    const v: Value = new Walk(this.structure, alg, picker, { auxSkip: opts.auxSkip, paramFreeDropout: opts.paramFreeDropout }).run();
    return v.t;
  }

  /** The Output node's loss of `forward(x)` against targets `y` (laid out as the loss wants). */
  loss(x: tfNs.Tensor, y: tfNs.Tensor, picker: Picker<MixWeights>, opts: ForwardOptions = {}): tfNs.Scalar {
    return computeLoss(this.tf, this.output.loss, y, this.forward(x, picker, opts), this.output.fromLogits);
  }

  /** The path of a sample of {@link space}. Throws for a sample outside the space. */
  path(s: Sample): Picker<MixWeights> {
    const drawn = this.space.toDrawn(s);
    const { decisions } = this.structure;
    return {
      pick: (name) => {
        const d = decisions.get(name);
        const index = d ? d.options.indexOf(drawn[name]) : -1;
        if (index < 0) throw new Error(`supernet: sample has no valid option for decision "${name}"`);
        return { kind: 'one', index };
      },
    };
  }

  /**
   * A relaxation: every decision of the drawn space mixes its options with the probabilities
   * `probs` gives for its source decision (tensors, so gradients reach the architecture
   * parameters). Decisions `probs` lacks are sampled from `fixed` instead.
   */
  relaxed(probs: Record<string, MixWeights>, fixed?: Sample): Picker<MixWeights> {
    const drawn = fixed ? this.space.toDrawn(fixed) : undefined;
    return {
      pick: (name) => {
        const w = probs[this.space.sourceOf(name)];
        if (w) return { kind: 'mix', weights: w };
        const index = drawn ? this.structure.decision(name).options.indexOf(drawn[name]) : -1;
        if (index < 0) throw new Error(`supernet: no weights and no fixed option for decision "${name}"`);
        return { kind: 'one', index };
      },
    };
  }

  /** Whether a sample is a buildable candidate (materializes, validates, infers shapes). Cached. */
  isValid(s: Sample): boolean {
    const key = this.space.key(s);
    let ok = this.valid.get(key);
    if (ok === undefined) {
      try {
        inferShapes(validateDocument(this.space.drawn.materialize(this.space.toDrawn(s))));
        ok = true;
      } catch {
        ok = false;
      }
      this.valid.set(key, ok);
    }
    return ok;
  }

  /**
   * The onnxruntime runner when graph `o` compiles, else null (the caller runs tf.js; the
   * compile error is kept in {@link onnxFallback}). Always null for `trainer: 'tfjs'`.
   */
  async onnx(o: SupernetGraphOptions): Promise<OnnxSupernet | null> {
    if (this.trainer === 'tfjs') return null;
    const key = JSON.stringify(o);
    if (this.onnxFallback.has(key)) return null;
    this.onnxRt ??= OnnxSupernet.create(this, this.threads);
    const rt = await this.onnxRt;
    try {
      await rt.compiled(o);
      return rt;
    } catch (e) {
      const why = (e as Error).message;
      this.onnxFallback.set(key, why);
      // stderr, so `search --json` output stays clean.
      process.emitWarning(`the ${o.kind} pass of the ${this.space.name} supernet runs on tf.js: ${why}`, 'SupernetOnTfjs');
      return null;
    }
  }

  /** Trainable shared weights, in a fixed order. */
  trainable(): tfNs.Variable[] {
    return this.bank.trainable();
  }

  dispose(): void {
    void this.onnxRt?.then((rt) => rt.dispose());
    this.bank.dispose();
  }
}

/** Builds the supernet of a space (see {@link Supernet}). */
export function buildSupernet(tf: Tf, space: WeightSharingSpace, options: SupernetOptions = {}): Supernet {
  return new Supernet(tf, space, options);
}

export { InvalidPathError };
