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
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import type { Shape } from '../layers/types.js';
import { attr, toFirstPerm, toLastPerm, type Attr, type Layout, type OnnxValue } from './values.js';

export { attr, physicalShape, toFirstPerm, toLastPerm, type Attr, type Layout, type OnnxValue } from './values.js';

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

/** The emission context: collects nodes, initializers, inputs and outputs. */
export class OnnxBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly layoutCache = new Map<string, OnnxValue>();

  constructor(readonly opset: number) {}

  /** A name not used yet, derived from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input (batch dimension symbolic). */
  addInput(name: string, shape: Shape, elemType: 'float32' | 'int32' = 'float32'): OnnxValue {
    this.used.add(name);
    this.inputs.push(valueInfo(name, shape, elemType === 'float32' ? DT.FLOAT : DT.INT32));
    return { name, shape, layout: 'last' };
  }

  /** Declares a graph output under `name`, converting to tf.js layout first. */
  addOutput(name: string, value: OnnxValue): void {
    const v = this.asLayout(value, 'last');
    this.used.add(name);
    this.node('Identity', [v.name], {}, [name]);
    this.outputs.push(valueInfo(name, v.shape, DT.FLOAT));
  }

  /** Adds a float initializer and returns its name. */
  weight(base: string, data: Float32Array, dims: number[]): string {
    const name = this.fresh(base);
    this.initializers.push(tensorProto(name, data, dims));
    return name;
  }

  /** Adds an int64 constant initializer (shapes, axes, pads) and returns its name. */
  int64s(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push(tensorProto(name, BigInt64Array.from(values.map(BigInt)), [values.length]));
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
    this.nodes.push(
      create(NodeProtoSchema, {
        name: this.fresh(`n_${op}`),
        opType: op,
        domain,
        input: inputs,
        output: outs,
        attribute: Object.entries(attrs).map(([k, a]) => encodeAttr(k, a)),
      }),
    );
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
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
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
