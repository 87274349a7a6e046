/**
 * Runs a supernet's compiled ONNX graphs (onnx-compile.ts) in onnxruntime-node: a weight
 * step's gradients, DARTS's gradients of the decision probabilities, and predictions.
 *
 * The shared tensors stay where the rest of the supernet keeps them (the tf.js WeightBank:
 * checkpoints, extraction and export read them there) and are fed to each run; the
 * gradients come back and the search's optimizer applies them, so optimizer state and
 * checkpoints are the same as on the tf.js path. Sessions are compiled once per graph kind
 * and options, on first use.
 */
import type * as ortNs from 'onnxruntime-node';
import type * as tfNs from '@tensorflow/tfjs';
import { sizeOf } from '../../engine/train/batches.js';
import { Rng } from '../../engine/util/rng.js';
import type { Batch } from './data.js';
import { compileSupernetGraph, type SupernetGraph, type SupernetGraphOptions } from './onnx-compile.js';
import type { SupernetParts } from './parts.js';

type Ort = typeof ortNs;

/** Probabilities of each option, per decision of the drawn space. */
export type DrawnProbs = Map<string, Float32Array>;

/** Per-run settings. */
export interface RunOptions {
  /** Seeds the dropout masks. */
  seed: number;
  /** Dropout layers active (weight steps). */
  training: boolean;
  /** Rate of the parameter-free ops' dropout (0: off). */
  opDropout?: number;
  /** DARTS-'s auxiliary skip weight. */
  auxBeta?: number;
}

/** One open session with what it was compiled from. */
interface Compiled {
  graph: SupernetGraph;
  session: ortNs.InferenceSession;
}

/** The onnxruntime side of a supernet; see the module comment. */
export class OnnxSupernet {
  private readonly sessions = new Map<string, Promise<Compiled>>();

  private constructor(
    private readonly ort: Ort,
    readonly net: SupernetParts,
    private readonly threads: number,
  ) {}

  /** Loads onnxruntime; sessions compile lazily. */
  static async create(net: SupernetParts, threads = 1): Promise<OnnxSupernet> {
    return new OnnxSupernet(await import('onnxruntime-node'), net, threads);
  }

  /** The compiled session for `o` (compiled on first use; a compile error rejects). */
  compiled(o: SupernetGraphOptions): Promise<Compiled> {
    const key = JSON.stringify(o);
    let hit = this.sessions.get(key);
    if (!hit) {
      hit = (async () => {
        const graph = compileSupernetGraph(this.net, o);
        const session = await this.ort.InferenceSession.create(graph.bytes, {
          intraOpNumThreads: this.threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        return { graph, session };
      })();
      this.sessions.set(key, hit);
    }
    return hit;
  }

  /**
   * Runs a compiled graph on a batch: the loss (graphs with a target), the outputs by name.
   * Weights and moving statistics come from the bank as they are now.
   */
  async run(c: Compiled, batch: Batch, probs: DrawnProbs, o: RunOptions): Promise<ortNs.InferenceSession.OnnxValueMapType> {
    const g = c.graph;
    const n = batch.x.shape[0];
    const T = this.ort.Tensor;
    const feeds: Record<string, ortNs.Tensor> = { [g.input]: new T('float32', batch.x.dataSync() as Float32Array, batch.x.shape) };
    if (g.target) {
      const y = batch.y.dataSync();
      feeds[g.target.name] = g.target.sparse ? new T('int32', Int32Array.from(y), [n]) : new T('float32', Float32Array.from(y), batch.y.shape);
      feeds.batch_size = new T('float32', Float32Array.of(n), []);
    }
    for (const p of g.probs) {
      const v = probs.get(p.decision);
      if (!v || v.length !== p.options) throw new Error(`supernet on onnxruntime: no probabilities of ${p.options} options for decision "${p.decision}"`);
      feeds[p.name] = new T('float32', v, [p.options]);
    }
    if (g.auxBeta) feeds[g.auxBeta] = new T('float32', Float32Array.of(o.auxBeta ?? 0), []);
    for (const p of [...g.params, ...g.states]) {
      const w = this.net.bank.get(p.node).weights[p.index];
      feeds[p.name] = new T('float32', w.read().dataSync() as Float32Array, p.shape);
    }
    const rng = new Rng(o.seed);
    const maskOf = (shape: (number | null)[], rate: number) => {
      const dims = shape.map((d, i) => (i === 0 ? n : (d ?? 1)));
      const data = new Float32Array(sizeOf(dims));
      if (rate <= 0) data.fill(1);
      else for (let i = 0; i < data.length; i++) data[i] = rng.next() >= rate ? 1 / (1 - rate) : 0;
      return new T('float32', data, dims);
    };
    for (const m of g.masks) feeds[m.name] = maskOf(m.shape, o.training ? m.rate : 0);
    for (const m of g.opDropout) feeds[m.name] = maskOf(m.shape, o.opDropout ?? 0);
    return c.session.run(feeds);
  }

  /**
   * One weight step's gradients: returns the loss, the gradient of each trainable tf.js
   * variable of the weight sets in `units` (all when null), and writes those sets' new
   * BatchNorm moving averages into the bank.
   */
  async weightGradients(
    tf: typeof tfNs,
    batch: Batch,
    probs: DrawnProbs,
    units: Set<string> | null,
    o: RunOptions & { exactPaths: boolean; auxSkip?: boolean },
  ): Promise<{ loss: number; grads: Record<string, tfNs.Tensor> }> {
    const c = await this.compiled({
      kind: 'weights',
      exactPaths: o.exactPaths,
      opDropout: (o.opDropout ?? 0) > 0 || undefined,
      auxSkip: o.auxSkip || undefined,
    });
    const out = await this.run(c, batch, probs, o);
    const g = c.graph;
    const grads: Record<string, tfNs.Tensor> = {};
    g.params.forEach((p, i) => {
      if (units && !units.has(p.node)) return;
      const v = this.net.bank.get(p.node).weights[p.index].read() as tfNs.Variable;
      grads[v.name] = tf.tensor(out[g.outputs.grads[i]].data as Float32Array, p.shape);
    });
    g.states.forEach((s, i) => {
      if (units && !units.has(s.node)) return;
      const w = this.net.bank.get(s.node).weights[s.index];
      tf.tidy(() => {
        w.write(tf.tensor(out[g.outputs.states[i]].data as Float32Array, s.shape));
      });
    });
    return { loss: (out[g.outputs.loss!].data as Float32Array)[0], grads };
  }

  /** DARTS's α step: the loss on `batch` and its gradient for each drawn decision's probabilities. */
  async probGradients(batch: Batch, probs: DrawnProbs, o: RunOptions & { auxSkip?: boolean }): Promise<{ loss: number; grads: DrawnProbs }> {
    const c = await this.compiled({ kind: 'arch', exactPaths: false, opDropout: (o.opDropout ?? 0) > 0 || undefined, auxSkip: o.auxSkip || undefined });
    const out = await this.run(c, batch, probs, o);
    const g = c.graph;
    const grads: DrawnProbs = new Map(g.probs.map((p, i) => [p.decision, Float32Array.from(out[g.outputs.grads[i]].data as Float32Array)]));
    return { loss: (out[g.outputs.loss!].data as Float32Array)[0], grads };
  }

  /** The network's predictions on `batch` (BatchNorm on the batch's statistics, no dropout). */
  async predict(batch: Batch, probs: DrawnProbs, exactPaths: boolean): Promise<Float32Array> {
    const c = await this.compiled({ kind: 'score', exactPaths });
    const out = await this.run(c, batch, probs, { seed: 0, training: false });
    return out[c.graph.outputs.prediction].data as Float32Array;
  }

  dispose(): void {
    for (const s of this.sessions.values())
      void s.then(
        (c) => c.session.release(),
        () => undefined,
      );
    this.sessions.clear();
  }
}
