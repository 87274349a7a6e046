/**
 * Reading and rewriting an ONNX ModelProto for the quantizers: parse and serialise, float
 * data of an initializer (raw bytes or float_data), new int8/uint8/int32/float initializers,
 * nodes with attributes, and names not used yet in the graph.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType as AT,
  AttributeProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProto_DataType as DT,
  TensorProtoSchema,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';

/** Parses ONNX bytes; throws naming the file when they are not a model. */
export function readModel(bytes: Uint8Array, file = 'the model'): ModelProto {
  let m: ModelProto;
  try {
    m = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new Error(`${file}: not an ONNX model (${(e as Error).message})`);
  }
  if (!m.graph) throw new Error(`${file}: the ONNX model has no graph`);
  return m;
}

/** Serialises a model. */
export function writeModel(m: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, m);
}

/** The model's default-domain opset. */
export function opsetOf(m: ModelProto): number {
  const o = m.opsetImport.find((i) => i.domain === '' || i.domain === 'ai.onnx');
  return o ? Number(o.version) : 0;
}

/** The float32 values of an initializer, or undefined when it is not a float tensor. */
export function floatData(t: TensorProto): Float32Array | undefined {
  if (t.dataType !== DT.FLOAT) return undefined;
  if (t.rawData.length) return new Float32Array(t.rawData.slice().buffer, 0, t.rawData.length / 4);
  return Float32Array.from(t.floatData);
}

/** The dims of a tensor as numbers. */
export function dimsOf(t: TensorProto): number[] {
  return t.dims.map(Number);
}

function tensor(name: string, dims: number[], dataType: DT, raw: Uint8Array<ArrayBuffer>): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, rawData: raw });
}

/** A float32 initializer. */
export const floatTensor = (name: string, dims: number[], data: Float32Array): TensorProto =>
  tensor(name, dims, DT.FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
/** An int8 initializer. */
export const int8Tensor = (name: string, dims: number[], data: Int8Array): TensorProto =>
  tensor(name, dims, DT.INT8, new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
/** A uint8 initializer. */
export const uint8Tensor = (name: string, dims: number[], data: Uint8Array): TensorProto => tensor(name, dims, DT.UINT8, data.slice());
/** An int32 initializer. */
export const int32Tensor = (name: string, dims: number[], data: Int32Array): TensorProto =>
  tensor(name, dims, DT.INT32, new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());

/** An integer attribute. */
export const intAttr = (name: string, i: number): AttributeProto => create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(i) });

/** A node of the default domain. */
export function makeNode(op: string, inputs: string[], outputs: string[], name: string, attrs: AttributeProto[] = []): NodeProto {
  return create(NodeProtoSchema, { opType: op, input: inputs, output: outputs, name, attribute: attrs });
}

/** An integer attribute of a node, or `fallback`. */
export function nodeInt(n: NodeProto, name: string, fallback: number): number {
  const a = n.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : fallback;
}

/** Hands out names the graph does not use yet. */
export class Names {
  private readonly used = new Set<string>();

  constructor(g: GraphProto) {
    for (const n of g.node) for (const v of [...n.input, ...n.output, n.name]) this.used.add(v);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) this.used.add(v.name);
    for (const t of g.initializer) this.used.add(t.name);
  }

  /** `base`, or `base_1`, `base_2`, … */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
