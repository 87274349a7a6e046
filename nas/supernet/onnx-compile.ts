/**
 * Compiles a supernet into ONNX graphs for onnxruntime, with the training-step machinery of
 * engine/train/onnx-step (static shape inference, reverse-mode autodiff with one gradient
 * rule per ONNX op, the loss as ONNX nodes):
 *
 * - `weights`: forward in training semantics (batch statistics, dropout masks fed per step),
 *   the loss, and the gradient of every shared weight, plus the BatchNorm moving averages'
 *   next values;
 * - `arch`: forward on batch statistics, the loss and its gradient with respect to each
 *   decision's probabilities (DARTS's α step; α → softmax stays outside, see darts.ts);
 * - `score`: forward on batch statistics, the predictions.
 *
 * Each decision of the drawn space is one input of probabilities (onnx-algebra.ts).
 */
import { OnnxBuilder } from '../../engine/onnx/builder.js';
import { DEFAULT_OPSET } from '../../engine/onnx/export.js';
import type { IrMask, IrParam, IrState } from '../../engine/onnx/values.js';
import { emitBackward } from '../../engine/train/onnx-step/autodiff.js';
import { emitLoss } from '../../engine/train/onnx-step/loss.js';
import { inferIrShapes } from '../../engine/train/onnx-step/shapes.js';
import type { Shape } from '../../engine/layers/index.js';
import { OnnxAlgebra, SharedBuilder, type OnnxSupValue, type OpDropoutInput } from './onnx-algebra.js';
import type { SupernetParts } from './parts.js';
import { Walk } from './traverse.js';

/** Which graph to compile; see the module comment. */
export type SupernetGraphKind = 'weights' | 'arch' | 'score';

/** How the graph is compiled. */
export interface SupernetGraphOptions {
  kind: SupernetGraphKind;
  /** Inputs are one-hot paths (SPOS, ENAS): see `exactPaths` in onnx-algebra.ts. */
  exactPaths: boolean;
  /** Parameter-free ops get a dropout mask input (the collapse remedy). */
  opDropout?: boolean;
  /** Relaxed edges get DARTS-'s auxiliary skip, weighted by the scalar input `aux_beta`. */
  auxSkip?: boolean;
}

/** A compiled supernet graph and the names to feed and fetch. */
export interface SupernetGraph {
  bytes: Uint8Array;
  kind: SupernetGraphKind;
  input: string;
  /** Target input (absent in `score`): class ids (int32) or dense float rows. */
  target?: { name: string; sparse: boolean };
  /** Probability input per drawn decision, in the structure's decision order. */
  probs: { decision: string; name: string; options: number }[];
  auxBeta?: string;
  params: IrParam[];
  /** BatchNorm moving statistics; `next` is fetched in `weights` graphs only. */
  states: IrState[];
  /** Dropout-layer masks (rate fixed by the layer). */
  masks: IrMask[];
  /** Parameter-free ops' dropout masks (rate chosen per step). */
  opDropout: OpDropoutInput[];
  outputs: { loss?: string; prediction: string; grads: string[]; states: string[] };
}

/** Compiles one graph of `net`. Throws (naming the node) when the supernet cannot be relaxed or has no ONNX form. */
export function compileSupernetGraph(net: SupernetParts, o: SupernetGraphOptions): SupernetGraph {
  const b = new SharedBuilder(DEFAULT_OPSET, 'training');
  const s = net.structure;
  const inShape = s.byId.get(s.inputId)!.params.shape as (number | null)[];
  const x = b.addInput('x', [null, ...inShape]);
  const probs = [...s.decisions.values()].map((d, i) => ({ decision: d.name, name: b.addInput(`p${i}`, [d.options.length]).name, options: d.options.length }));
  const byDecision = new Map(probs.map((p) => [p.decision, p.name]));
  const auxBeta = o.auxSkip ? b.addInput('aux_beta', []).name : undefined;
  const alg = new OnnxAlgebra(b, net.bank, net.statics, x, { exactPaths: o.exactPaths, auxBeta });
  const walk = new Walk<OnnxSupValue, string>(
    s,
    alg,
    { pick: (name) => ({ kind: 'mix', weights: byDecision.get(name)! }) },
    { auxSkip: o.auxSkip ? 1 : 0, paramFreeDropout: o.opDropout ? 1 : 0 },
  );
  const out = b.asLayout(walk.run().v, 'last');
  const [prediction] = b.node('Identity', [out.name], {}, ['prediction']);
  b.addRawOutput(prediction, out.shape);

  const outputs: SupernetGraph['outputs'] = { prediction, grads: [], states: [] };
  let target: SupernetGraph['target'];
  if (o.kind !== 'score') {
    const sparse = net.output.loss === 'sparseCategoricalCrossentropy';
    const t = b.addInput('y', sparse ? [null] : out.shape, sparse ? 'int32' : 'float32');
    target = { name: t.name, sparse };
    const batch = b.addInput('batch_size', [], 'float32');
    const producer = b.irNodes.find((n) => n.outputs.includes(out.name));
    const preActivation = producer && (producer.op === 'Softmax' || producer.op === 'Sigmoid') ? producer.inputs[0] : undefined;
    const classes = out.shape[out.shape.length - 1] ?? undefined;
    const loss = emitLoss(b, {
      output: out.name,
      preActivation,
      target: t.name,
      loss: net.output.loss,
      fromLogits: net.output.fromLogits,
      classes,
      batchSize: batch.name,
    });
    const known = new Map<string, Shape>(b.inputs.map((d) => [d.name, d.shape]));
    const shapes = inferIrShapes(b.irNodes, known, b.constants);
    const wrt = o.kind === 'weights' ? b.params.map((p) => p.name) : probs.map((p) => p.name);
    const grads = emitBackward(b, { seeds: loss.seeds, wrt, shapes });
    outputs.loss = loss.loss;
    b.addRawOutput(loss.loss, []);
    const shapeOf = (name: string) => known.get(name)!;
    outputs.grads = wrt.map((w, i) => {
      // A weight no option reaches (cannot happen in a walked supernet) gets zeros.
      const g = grads.get(w) ?? b.node('Mul', [w, b.floats('zero', [0], [])])[0];
      const [named] = b.node('Identity', [g], {}, [`grad_${i}`]);
      b.addRawOutput(named, shapeOf(w));
      return named;
    });
    if (o.kind === 'weights') {
      outputs.states = b.states.map((st, i) => {
        if (!st.next) throw new Error(`supernet: BatchNorm state "${st.name}" of "${st.node}" has no update`);
        const [named] = b.node('Identity', [st.next], {}, [`state_${i}`]);
        b.addRawOutput(named, st.shape);
        return named;
      });
    }
  }
  pruneDead(b);
  const used = new Set(b.inputs.map((i) => i.name));
  const bytes = b.toBytes({ opset: DEFAULT_OPSET, producerVersion: 'layerloom-supernet', metadata: {}, graphName: `supernet_${o.kind}` });
  return {
    bytes,
    kind: o.kind,
    input: x.name,
    target,
    probs: probs.filter((p) => used.has(p.name)),
    auxBeta: auxBeta && used.has(auxBeta) ? auxBeta : undefined,
    params: b.params,
    states: b.states.filter((st) => used.has(st.name)),
    masks: b.masks.filter((m) => used.has(m.name)),
    opDropout: alg.opDropout.filter((m) => used.has(m.name)),
    outputs,
  };
}

/**
 * Removes what no graph output needs: nodes (BatchNorm's moving-average updates outside
 * `weights` graphs, the loss's accuracy count), then the constants and graph inputs no
 * remaining node reads (moving averages outside `weights`, unused decisions).
 */
function pruneDead(b: OnnxBuilder): void {
  const needed = new Set(b.outputs.map((o) => o.name));
  const keep = new Array<boolean>(b.irNodes.length).fill(false);
  for (let i = b.irNodes.length - 1; i >= 0; i--) {
    const n = b.irNodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    keep[i] = true;
    for (const x of n.inputs) if (x) needed.add(x);
  }
  const kept = b.irNodes.filter((_, i) => keep[i]);
  b.irNodes.length = 0;
  b.irNodes.push(...kept);
  for (const name of [...b.constants.keys()]) if (!needed.has(name)) b.constants.delete(name);
  const inputs = b.inputs.filter((i) => needed.has(i.name));
  b.inputs.length = 0;
  b.inputs.push(...inputs);
}
