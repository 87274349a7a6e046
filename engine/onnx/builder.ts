/**
 * Builds an ONNX graph node by node and serialises it as a ModelProto (onnx-buf schema on
 * @bufbuild/protobuf). Layer kinds emit through this context in their `toOnnx`; it owns
 * unique naming, initializers, attribute encoding and the channels-last/first bookkeeping.
 *
 * Layout: tf.js tensors are channels-last (NHWC, NWC); ONNX Conv/Pool/BatchNorm want
 * channels-first. Every value carries its tf.js shape plus the physical `layout` of the ONNX
 * tensor; `asLayout` inserts (and caches) one Transpose when an op needs the other layout,
 * so a conv stack transposes once at the input and once at the output.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType as AT,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType as DT,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import type { Shape } from '../util/tensor-types.js';
import { transposeData as transposeCpu } from './transpose-data.js';
import type { WeightTensor } from '../util/tensor-types.js';
import {
  attr,
  toFirstPerm,
  toLastPerm,
  type Attr,
  type IrConstant,
  type IrGradRegion,
  type IrMask,
  type IrNode,
  type IrParam,
  type IrState,
  type Layout,
  type OnnxValue,
} from './values.js';

export {
  attr,
  physicalShape,
  toFirstPerm,
  toLastPerm,
  type Attr,
  type IrConstant,
  type IrGradRegion,
  type IrMask,
  type IrNode,
  type IrParam,
  type IrState,
  type Layout,
  type OnnxValue,
} from './values.js';

/** ONNX IR version matching an opset, as converters write it (onnx's VERSION_TABLE). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

function encodeAttr(name: string, a: Attr): AttributeProto {
  if ('i' in a) return create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(a.i) });
  if ('f' in a) return create(AttributeProtoSchema, { name, type: AT.FLOAT, f: a.f });
  if ('s' in a) return create(AttributeProtoSchema, { name, type: AT.STRING, s: new TextEncoder().encode(a.s) });
  if ('ints' in a) return create(AttributeProtoSchema, { name, type: AT.INTS, ints: a.ints.map(BigInt) });
  if ('floats' in a) return create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: a.floats });
  if ('strings' in a) return create(AttributeProtoSchema, { name, type: AT.STRINGS, strings: a.strings.map((v) => new TextEncoder().encode(v)) });
  return create(AttributeProtoSchema, { name, type: AT.TENSOR, t: a.t as TensorProto });
}

function valueInfo(name: string, shape: Shape, elemType: number): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
          shape: create(TensorShapeProtoSchema, {
            dim: shape.map((d, i) =>
              create(TensorShapeProto_DimensionSchema, {
                value: d === null ? { case: 'dimParam', value: i === 0 ? 'batch' : `d${i}` } : { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          }),
        }),
      },
    }),
  });
}

/** Makes a TensorProto from typed data (raw little-endian bytes, as exporters write them). */
export function tensorProto(name: string, data: Float32Array | Int32Array | BigInt64Array, dims: number[]): TensorProto {
  const dataType = data instanceof Float32Array ? DT.FLOAT : data instanceof Int32Array ? DT.INT32 : DT.INT64;
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, rawData: bytes });
}

/** Model-level options for serialisation. */
export interface ModelOptions {
  opset: number;
  producerVersion: string;
  metadata: Record<string, string>;
  graphName: string;
  docString?: string;
}

/** Element types the builder declares for graph inputs and outputs. */
export type ElemType = 'float32' | 'int32' | 'int64';

const ELEM: Record<ElemType, number> = { float32: DT.FLOAT, int32: DT.INT32, int64: DT.INT64 };

/** A declared graph input or output. */
export interface IoDecl {
  name: string;
  shape: Shape;
  elemType: ElemType;
}

/**
 * Emission mode. `inference`: weights are initializers (export). `eval`: weights and state
 * are graph inputs, inference semantics (validation during ONNX training). `training`:
 * weights are inputs, training semantics (dropout masks, batch statistics).
 */
export type BuildMode = 'inference' | 'eval' | 'training';

/**
 * The emission context: collects nodes (as plain IR until serialisation), constants, inputs
 * and outputs. In training mode, tf.js weights brought in through `param` become graph
 * inputs in their tf.js layout, re-laid out by graph nodes, so gradients flow back to the
 * tf.js-layout tensor and checkpoints stay backend-neutral.
 */
export class OnnxBuilder {
  /** Emitted nodes in order. */
  readonly irNodes: IrNode[] = [];
  /** Constant initializers by name. */
  readonly constants = new Map<string, IrConstant>();
  /** Trainable weights that are graph inputs (training mode only). */
  readonly params: IrParam[] = [];
  /** Non-trainable state inputs with their updates (training mode only). */
  readonly states: IrState[] = [];
  /** Dropout masks fed per step (training mode only). */
  readonly masks: IrMask[] = [];
  /** Spans differentiated by a fused rule (training mode only; see IrGradRegion). */
  readonly gradRegions: IrGradRegion[] = [];
  readonly inputs: IoDecl[] = [];
  readonly outputs: IoDecl[] = [];
  private readonly used = new Set<string>();
  private readonly layoutCache = new Map<string, OnnxValue>();
  private currentNode = '';

  constructor(
    readonly opset: number,
    readonly mode: BuildMode = 'inference',
  ) {}

  /** True while emitting training semantics (dropout on, BatchNorm on batch statistics). */
  get training(): boolean {
    return this.mode === 'training';
  }

  /** True when weights and state are graph inputs rather than initializers. */
  get weightsAsInputs(): boolean {
    return this.mode !== 'inference';
  }

  /** Sets the graph node whose layer is being emitted (for `param` bookkeeping). */
  beginNode(id: string): void {
    this.currentNode = id;
  }

  /** A name not used yet, derived from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input (batch dimension symbolic when null). */
  addInput(name: string, shape: Shape, elemType: ElemType = 'float32'): OnnxValue {
    this.used.add(name);
    this.inputs.push({ name, shape, elemType });
    return { name, shape, layout: 'last' };
  }

  /** Declares a graph output under `name`, converting to tf.js layout first. */
  addOutput(name: string, value: OnnxValue): void {
    const v = this.asLayout(value, 'last');
    this.used.add(name);
    this.node('Identity', [v.name], {}, [name]);
    this.outputs.push({ name, shape: v.shape, elemType: 'float32' });
  }

  /** Declares an existing value as a graph output as is (training step outputs). */
  addRawOutput(name: string, shape: Shape, elemType: ElemType = 'float32'): void {
    this.outputs.push({ name, shape, elemType });
  }

  /** Adds a float constant initializer and returns its name. */
  weight(base: string, data: Float32Array, dims: number[]): string {
    const name = this.fresh(base);
    this.constants.set(name, { data, dims });
    return name;
  }

  /**
   * Brings in a trainable tf.js weight, optionally transposed by `perm` and then reshaped to
   * `reshape`. Inference: the transform runs on the CPU and the result is an initializer.
   * Training: the tf.js-layout tensor is a graph input and the transform is graph nodes.
   */
  param(base: string, w: WeightTensor, index: number, perm?: number[], reshape?: number[]): string {
    if (!this.weightsAsInputs) {
      let data = w.data;
      let dims = w.shape;
      if (perm) ({ data, shape: dims } = transposeCpu(data, dims, perm));
      return this.weight(base, data, reshape ?? dims);
    }
    const name = this.fresh(base);
    this.inputs.push({ name, shape: w.shape, elemType: 'float32' });
    this.params.push({ name, node: this.currentNode, index, shape: w.shape.slice() });
    let out = name;
    if (perm) [out] = this.node('Transpose', [out], { perm: attr.ints(perm) });
    if (reshape) [out] = this.node('Reshape', [out, this.int64s(`${base}_shape`, reshape)]);
    return out;
  }

  /**
   * Brings in a non-trainable tf.js weight that training updates (BatchNorm moving mean and
   * variance). Inference: an initializer. Training: a graph input; the layer reports its new
   * value with `updateState`.
   */
  state(base: string, w: WeightTensor, index: number): string {
    if (!this.weightsAsInputs) return this.weight(base, w.data, w.shape);
    const name = this.fresh(base);
    this.inputs.push({ name, shape: w.shape, elemType: 'float32' });
    this.states.push({ name, node: this.currentNode, index, shape: w.shape.slice() });
    return name;
  }

  /** Records the updated value of a state input (training mode). */
  updateState(stateName: string, next: string): void {
    const s = this.states.find((x) => x.name === stateName);
    if (!s) throw new Error(`"${stateName}" is not a state input`);
    s.next = next;
  }

  /**
   * A dropout mask input (training mode): the runner fills it each step with 0 or
   * 1/(1-rate) from the run's seeded Rng, so masks reproduce on resume.
   */
  mask(base: string, shape: Shape, rate: number): string {
    const name = this.fresh(base);
    this.inputs.push({ name, shape, elemType: 'float32' });
    this.masks.push({ name, node: this.currentNode, shape, rate });
    return name;
  }

  /** Adds an int64 constant initializer (shapes, axes, pads) and returns its name. */
  int64s(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.constants.set(name, { data: BigInt64Array.from(values.map(BigInt)), dims: [values.length] });
    return name;
  }

  /** Adds a scalar or vector float constant and returns its name. */
  floats(base: string, values: number[], dims: number[] = [values.length]): string {
    return this.weight(base, Float32Array.from(values), dims);
  }

  /**
   * Appends a node. `outputs` gives explicit output names, or a count of fresh names
   * derived from the op type. Returns the output names.
   */
  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: string[] | number = 1, domain = ''): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(op.toLowerCase())) : outputs;
    for (const o of outs) this.used.add(o);
    this.irNodes.push({ op, inputs, outputs: outs, attrs, domain });
    return outs;
  }

  /** The value in the requested layout, adding one cached Transpose when needed. */
  asLayout(v: OnnxValue, layout: Layout): OnnxValue {
    if (v.layout === layout || v.shape.length < 3) return { ...v, layout };
    const key = `${v.name}->${layout}`;
    const hit = this.layoutCache.get(key);
    if (hit) return hit;
    const perm = layout === 'first' ? toFirstPerm(v.shape.length) : toLastPerm(v.shape.length);
    const [name] = this.node('Transpose', [v.name], { perm: attr.ints(perm) }, [this.fresh(`${v.name}_${layout === 'first' ? 'cf' : 'cl'}`)]);
    const out: OnnxValue = { name, shape: v.shape, layout };
    this.layoutCache.set(key, out);
    return out;
  }

  /** Serialises the collected graph as a ModelProto. */
  toBytes(opts: ModelOptions): Uint8Array {
    const graph = create(GraphProtoSchema, {
      name: opts.graphName,
      node: this.irNodes.map((n, i) =>
        create(NodeProtoSchema, {
          name: `n${i}_${n.op}`,
          opType: n.op,
          domain: n.domain,
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attrs).map(([k, a]) => encodeAttr(k, a)),
        }),
      ),
      initializer: [...this.constants].map(([name, c]) => tensorProto(name, c.data, c.dims)),
      input: this.inputs.map((d) => valueInfo(d.name, d.shape, ELEM[d.elemType])),
      output: this.outputs.map((d) => valueInfo(d.name, d.shape, ELEM[d.elemType])),
      docString: opts.docString ?? '',
    });
    const model = create(ModelProtoSchema, {
      irVersion: BigInt(irVersionForOpset(opts.opset)),
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opts.opset) })],
      producerName: 'Layerloom',
      producerVersion: opts.producerVersion,
      graph,
      metadataProps: Object.entries(opts.metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
    });
    return toBinary(ModelProtoSchema, model);
  }
}
