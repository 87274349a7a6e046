/**
 * Compiles a graph plus its loss, metrics and optimizer into ONNX models for onnxruntime:
 *  - the training step: inputs x, y, batch size, learning rate, step number, weights (tf.js
 *    layout), optimizer state, BatchNorm state, dropout masks; outputs loss, correct count,
 *    new weights, new optimizer state, new BatchNorm state;
 *  - the evaluation model: the forward pass in inference semantics with weights as inputs.
 * The backward pass is reverse-mode differentiation over the forward IR (autodiff.ts).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { OutputSpec } from '../../compile/compile.js';
import type { Graph } from '../../graph/validate.js';
import type { Shape } from '../../layers/types.js';
import { OnnxBuilder } from '../../onnx/builder.js';
import { DEFAULT_OPSET, emitForward } from '../../onnx/export.js';
import type { IrMask, IrParam, IrState, OnnxValue } from '../../onnx/values.js';
import type { TrainingConfig } from '../config.js';
import { emitBackward } from './autodiff.js';
import { emitClipping } from './clip.js';
import { emitLoss } from './loss.js';
import { emitOptimizer } from './optimizers.js';
import { emitRegularization } from './regularizers.js';
import { inferIrShapes } from './shapes.js';
import type { StepProvider } from './types.js';

/** An optimizer state tensor of the step model. */
export interface OptStateSpec {
  input: string;
  output: string;
  shape: number[];
  init: number;
}

/** Everything the runner needs to feed and read the compiled models. */
export interface StepModel {
  train: Uint8Array;
  evaluate: Uint8Array;
  opset: number;
  inputName: string;
  inputDtype: 'float32' | 'int32';
  targetName: string;
  targetKind: 'sparse' | 'dense';
  batchName: string;
  lrName: string;
  stepName: string;
  params: IrParam[];
  /** Params of the evaluation model (same order and node/index as `params`). */
  evalParams: IrParam[];
  states: IrState[];
  evalStates: IrState[];
  masks: IrMask[];
  optState: (OptStateSpec & { param: string; slot: string })[];
  outputs: { loss: string; correct?: string; prediction: string; params: string[]; states: string[]; optState: string[]; grads?: string[] };
}

/** Options of compileStep. */
export interface CompileStepOptions {
  opset?: number;
  /** Per-sample target shape as the loss takes it ([] for class ids, [C] for one-hot). */
  targetShape: number[];
  /** Class ids (int32 [N]) rather than dense float targets. */
  sparseTargets?: boolean;
  numClasses?: number;
  /** Also output each weight's (regularised, clipped) gradient, for conformance tests. */
  exposeGradients?: boolean;
  /** The execution provider the step will run on (default 'cpu'); picks gradient formulations. */
  provider?: StepProvider;
}

/** Regularizer settings of a layer node, when its params carry l1/l2. */
function regularizerOf(graph: Graph, node: string): { l1: number; l2: number } | undefined {
  const p = graph.nodes.get(node)?.params as { l1?: number; l2?: number } | undefined;
  if (!p || (!p.l1 && !p.l2)) return undefined;
  return { l1: p.l1 ?? 0, l2: p.l2 ?? 0 };
}

/** Which tf.js weights the layer regularizes: its kernels (index 0), as tf.js does. */
function regularized(p: IrParam): boolean {
  return p.index === 0 && p.shape.length >= 2;
}

/** Compiles the training step and evaluation models for a single-input, single-output graph. */
export function compileStep(graph: Graph, model: tfNs.LayersModel, output: OutputSpec, config: TrainingConfig, opts: CompileStepOptions): StepModel {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const b = new OnnxBuilder(opset, 'training');
  const values = emitForward(b, graph, model);
  const inputIds = graph.order.filter((id) => graph.nodes.get(id)!.kind === 'Input');
  if (inputIds.length !== 1) throw new Error('the onnxruntime trainer takes graphs with one Input node');
  const inputName = inputIds[0];
  const inputDtype = (graph.nodes.get(inputName)!.params as { dtype: 'float32' | 'int32' }).dtype;
  const out: OnnxValue = b.asLayout(values.get(output.nodeId)!, 'last');
  const producer = b.irNodes.find((n) => n.outputs.includes(out.name));
  const preActivation = producer && (producer.op === 'Softmax' || producer.op === 'Sigmoid') ? producer.inputs[0] : undefined;

  const sparse = opts.sparseTargets ?? output.loss === 'sparseCategoricalCrossentropy';
  const targetShape: Shape = sparse ? [null] : [null, ...opts.targetShape];
  const target = b.addInput('y', targetShape, sparse ? 'int32' : 'float32');
  const batch = b.addInput('batch_size', [], 'float32');
  const lr = b.addInput('learning_rate', [], 'float32');
  const step = b.addInput('step', [], 'float32');

  const loss = emitLoss(b, {
    output: out.name,
    preActivation,
    target: target.name,
    loss: output.loss as never,
    fromLogits: output.fromLogits,
    classes: opts.numClasses,
    batchSize: batch.name,
  });

  const known = new Map<string, Shape>(b.inputs.map((d) => [d.name, d.shape]));
  const shapes = inferIrShapes(b.irNodes, known, b.constants);
  const wrt = b.params.map((p) => p.name);
  const grads = emitBackward(b, { seeds: loss.seeds, wrt, shapes, provider: opts.provider });

  let lossName = loss.loss;
  const gradList = b.params.map((p) => {
    const g = grads.get(p.name);
    if (!g) throw new Error(`weight "${p.name}" of node "${p.node}" gets no gradient: it does not reach the loss`);
    return g;
  });
  // L1/L2 penalties on kernels, as tf.js layers apply them: added to the loss and gradients.
  const regs = b.params.map((p, i) => ({ p, i, r: regularized(p) ? regularizerOf(graph, p.node) : undefined })).filter((x) => x.r);
  if (regs.length) {
    const reg = emitRegularization(
      b,
      regs.map(({ p, i, r }) => ({ weight: p.name, grad: gradList[i], l1: r!.l1, l2: r!.l2 })),
    );
    lossName = b.node('Add', [lossName, reg.penalty])[0];
    regs.forEach(({ i }, k) => (gradList[i] = reg.grads[k]));
  }
  const clipped = emitClipping(b, gradList, { clipNorm: config.clipNorm, clipValue: config.clipValue });
  const opt = emitOptimizer(b, {
    params: b.params.map((p, i) => ({ name: p.name, grad: clipped[i], shape: p.shape, decay: p.shape.length >= 2 })),
    config: config.optimizer,
    lr: lr.name,
    step: step.name,
  });

  b.addRawOutput(lossName, []);
  if (loss.correct) b.addRawOutput(loss.correct, []);
  // Training-mode predictions, for the epoch's running training metrics.
  const [prediction] = b.node('Identity', [out.name], {}, [b.fresh('train_prediction')]);
  b.addRawOutput(prediction, out.shape);
  const paramOuts = b.params.map((p) => {
    const next = opt.updated.get(p.name)!;
    b.addRawOutput(next, p.shape);
    return next;
  });
  const stateOuts = b.states.map((s) => {
    if (!s.next) throw new Error(`state "${s.name}" of node "${s.node}" has no update in training mode`);
    b.addRawOutput(s.next, s.shape);
    return s.next;
  });
  for (const s of opt.state) b.addRawOutput(s.output, s.shape);
  let gradOuts: string[] | undefined;
  if (opts.exposeGradients) {
    gradOuts = b.params.map((p, i) => {
      const [g] = b.node('Identity', [clipped[i]], {}, [b.fresh(`grad_${p.name}`)]);
      b.addRawOutput(g, p.shape);
      return g;
    });
  }

  const meta = { opset, producerVersion: 'layerloom-train', metadata: {}, graphName: 'train_step' };
  const train = b.toBytes(meta);

  // Evaluation model: same forward pass, inference semantics, weights and state as inputs;
  // outputs the predictions and the mean data loss of the batch.
  const e = new OnnxBuilder(opset, 'eval');
  const evalOut = e.asLayout(emitForward(e, graph, model).get(output.nodeId)!, 'last');
  const [evalPrediction] = e.node('Identity', [evalOut.name], {}, ['prediction']);
  e.addRawOutput(evalPrediction, evalOut.shape);
  const evalTarget = e.addInput('y', targetShape, sparse ? 'int32' : 'float32');
  const evalBatch = e.addInput('batch_size', [], 'float32');
  const evalLoss = emitLoss(e, {
    output: evalOut.name,
    target: evalTarget.name,
    loss: output.loss as never,
    fromLogits: output.fromLogits,
    classes: opts.numClasses,
    batchSize: evalBatch.name,
  });
  const [evalLossOut] = e.node('Identity', [evalLoss.loss], {}, ['loss']);
  e.addRawOutput(evalLossOut, []);
  const evaluate = e.toBytes({ ...meta, graphName: 'evaluate' });

  return {
    train,
    evaluate,
    opset,
    inputName,
    inputDtype,
    targetName: target.name,
    targetKind: sparse ? 'sparse' : 'dense',
    batchName: batch.name,
    lrName: lr.name,
    stepName: step.name,
    params: b.params,
    evalParams: e.params,
    states: b.states,
    evalStates: e.states,
    masks: b.masks,
    optState: opt.state,
    outputs: {
      loss: lossName,
      correct: loss.correct,
      prediction,
      params: paramOuts,
      states: stateOuts,
      optState: opt.state.map((s) => s.output),
      grads: gradOuts,
    },
  };
}
