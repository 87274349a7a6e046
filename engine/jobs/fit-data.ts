/**
 * Checks that a dataset fits a graph's Input and Output nodes before training starts, and
 * adapts what can be adapted without surprise: features are reinterpreted to the Input's
 * shape when the element counts match (8×8×1 digits into an Input of [64]), and
 * autoencoders get their features as targets. Errors name the node and both shapes.
 */
import { GraphError } from '../graph/errors.js';
import type { ShapeMap } from '../graph/infer.js';
import type { Graph } from '../graph/validate.js';
import { fmtShape } from '../layers/common.js';
import type { Dataset } from '../data/types.js';

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

function reshapeTo<T extends Omit<Dataset, 'test'>>(ds: T, inputShape: number[]): T {
  return { ...ds, inputShape };
}

/** Returns the dataset adapted to the graph, or throws GraphError naming the node. */
export function fitDataset(graph: Graph, shapes: ShapeMap, ds: Dataset, opts: { targetIsInput: boolean }): Dataset {
  const inputs = graph.order.filter((id) => graph.nodes.get(id)!.kind === 'Input');
  const outputs = graph.order.filter((id) => graph.nodes.get(id)!.kind === 'Output');
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new GraphError(
      'schema',
      `training needs exactly one Input and one Output node; this graph has ${inputs.length} Input and ${outputs.length} Output nodes`,
      { node: inputs[1] ?? outputs[1] },
    );
  }
  const inId = inputs[0];
  const outId = outputs[0];
  const inParams = graph.nodes.get(inId)!.params as { shape: (number | null)[] };
  const want = inParams.shape;
  let fitted: Dataset = ds;
  const sameShape = want.length === ds.inputShape.length && want.every((d, i) => d === null || d === ds.inputShape[i]);
  if (!sameShape) {
    if (want.some((d) => d === null) || prod(want as number[]) !== prod(ds.inputShape)) {
      throw new GraphError(
        'shape',
        `node "${inId}": Input expects samples of shape ${fmtShape(want)} but dataset "${ds.name}" has ${fmtShape(ds.inputShape)}`,
        { node: inId, field: 'params.shape' },
      );
    }
    const shape = want as number[];
    fitted = { ...reshapeTo(ds, shape), test: ds.test ? reshapeTo(ds.test, shape) : undefined };
  }
  const outShape = shapes.get(outId)![0];
  const perSample = outShape.slice(1);
  const loss = (graph.nodes.get(outId)!.params as { loss: string }).loss;
  if (opts.targetIsInput) {
    if (perSample.some((d) => d === null) || prod(perSample as number[]) !== prod(fitted.inputShape)) {
      throw new GraphError(
        'shape',
        `node "${outId}": an autoencoder's output must match its input ${fmtShape([null, ...fitted.inputShape])}, got ${fmtShape(outShape)}`,
        { node: outId },
      );
    }
    const asTarget = <T extends Omit<Dataset, 'test'>>(d: T): T => ({
      ...d,
      task: 'regression',
      y: d.x,
      targetShape: perSample as number[],
      numClasses: undefined,
    });
    return { ...asTarget(fitted), test: fitted.test ? asTarget(fitted.test) : undefined };
  }
  const classLoss = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'].includes(loss);
  if (fitted.task === 'classification') {
    const k = fitted.numClasses ?? 0;
    const width = perSample.length === 1 ? perSample[0] : null;
    if (!classLoss) {
      throw new GraphError(
        'schema',
        `node "${outId}": loss ${loss} is for regression but dataset "${ds.name}" is a classification set; use sparseCategoricalCrossentropy`,
        { node: outId, field: 'params.loss' },
      );
    }
    const ok = loss === 'binaryCrossentropy' ? width === 1 && k === 2 : width === k;
    if (!ok) {
      const wantOut = loss === 'binaryCrossentropy' ? '1 value (binary classes)' : `${k} values (one per class)`;
      throw new GraphError(
        'shape',
        `node "${outId}": the model outputs ${fmtShape(outShape)} but dataset "${ds.name}" has ${k} classes; the last layer should give ${wantOut}`,
        { node: outId },
      );
    }
  } else {
    if (classLoss) {
      throw new GraphError('schema', `node "${outId}": loss ${loss} is for classification but dataset "${ds.name}" is a regression set; use meanSquaredError`, {
        node: outId,
        field: 'params.loss',
      });
    }
    if (perSample.some((d) => d === null) || prod(perSample as number[]) !== prod(fitted.targetShape)) {
      throw new GraphError(
        'shape',
        `node "${outId}": the model outputs ${fmtShape(outShape)} but dataset "${ds.name}" has targets of shape ${fmtShape([null, ...fitted.targetShape])}`,
        { node: outId },
      );
    }
  }
  return fitted;
}
