// The part of the ONNX protobuf schema Mote reads and writes, as plain objects, with their encoder and a
// bounded decoder. Field numbers and enum values are facts of onnx/onnx.proto (IR version 7+, the file at
// https://github.com/onnx/onnx/blob/main/onnx/onnx.proto). Fields Mote does not use are skipped when read
// and never written. Subgraphs (If/Loop bodies), sparse and external tensors are recognized and refused by
// the importer rather than decoded.

import { OnnxFormatError, ProtoReader, ProtoWriter, WIRE_BYTES, WIRE_FIXED32, WIRE_VARINT } from './protobuf';

/** TensorProto.DataType values Mote meets. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
const DATA_TYPE_NAMES: Record<number, string> = { 0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 16: 'BFLOAT16' };
export function dataTypeName(type: number): string {
  return DATA_TYPE_NAMES[type] ?? `data type ${type}`;
}

/** AttributeProto.AttributeType values. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface OnnxTensor {
  name: string;
  dataType: number;
  dims: number[];
  /** Little-endian values as stored (raw_data), a view into the file when decoded. */
  raw?: Uint8Array;
  floatData?: number[];
  int64Data?: number[];
  int32Data?: number[];
  doubleData?: number[];
  /** The tensor lives outside the file (data_location = EXTERNAL): Mote refuses it. */
  external?: boolean;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
  strings?: string[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A dimension: a number, a symbolic name (dim_param, a dynamic size), or null when left unknown. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** Undefined when the value has no shape at all. */
  dims?: OnnxDim[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Sparse initializers are counted only, to refuse them by name. */
  sparseInitializers: number;
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: OnnxGraph;
}

// --- encoding -------------------------------------------------------------------------------------

function encodeTensor(w: ProtoWriter, t: OnnxTensor): void {
  if (t.dims.length) w.packedInt64s(1, t.dims);
  w.varint(2, t.dataType);
  if (t.floatData) w.packedFloats(4, t.floatData);
  if (t.int32Data) w.packedInt64s(5, t.int32Data);
  if (t.int64Data) w.packedInt64s(7, t.int64Data);
  w.string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) w.varint(14, 1);
}

function encodeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  if (a.f !== undefined) w.float32(2, a.f);
  if (a.i !== undefined) w.varint(3, a.i);
  if (a.s !== undefined) w.string(4, a.s);
  if (a.t !== undefined) w.message(5, (m) => encodeTensor(m, a.t!));
  if (a.floats) for (const f of a.floats) w.float32(7, f);
  if (a.ints) w.packedInt64s(8, a.ints);
  w.varint(20, a.type);
}

function encodeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) => type.message(1, (tensor) => {
    tensor.varint(1, v.elemType);
    if (v.dims) {
      tensor.message(2, (shape) => {
        for (const d of v.dims!) {
          shape.message(1, (dim) => {
            if (typeof d === 'number') dim.varint(1, d);
            else if (typeof d === 'string') dim.string(2, d);
          });
        }
      });
    }
  }));
}

function encodeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, (m) => encodeAttribute(m, a));
  if (n.domain) w.string(7, n.domain);
}

/** The model as the bytes of an .onnx file (fields in schema order, so the same model gives the same bytes). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    for (const n of model.graph.nodes) g.message(1, (m) => encodeNode(m, n));
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (m) => encodeTensor(m, t));
    for (const v of model.graph.inputs) g.message(11, (m) => encodeValueInfo(m, v));
    for (const v of model.graph.outputs) g.message(12, (m) => encodeValueInfo(m, v));
  });
  for (const o of model.opsets) w.message(8, (m) => {
    if (o.domain) m.string(1, o.domain);
    m.varint(2, o.version);
  });
  return w.finish();
}

// --- decoding -------------------------------------------------------------------------------------

function decodeTensor(r: ProtoReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dataType: 0, dims: [] };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1: r.int64s(wire, t.dims); break;
      case 2: r.expect(wire, WIRE_VARINT, 'data_type'); t.dataType = r.varint(); break;
      case 4: r.floats(wire, (t.floatData ??= [])); break;
      case 5: r.int64s(wire, (t.int32Data ??= [])); break;
      case 7: r.int64s(wire, (t.int64Data ??= [])); break;
      case 8: r.expect(wire, WIRE_BYTES, 'name'); t.name = r.string(); break;
      case 9: r.expect(wire, WIRE_BYTES, 'raw_data'); t.raw = r.bytesField(); break;
      case 10: {
        // double_data: packed fixed64 or one per key; each value spans 8 bytes of the file.
        const values = (t.doubleData ??= []);
        const span = wire === WIRE_BYTES ? r.bytesField() : undefined;
        if (span) {
          if (span.length % 8) r.fail(`double_data spans ${span.length} bytes, not a multiple of 8`);
          const view = new DataView(span.buffer, span.byteOffset, span.length);
          for (let i = 0; i < span.length; i += 8) values.push(view.getFloat64(i, true));
        } else r.skip(wire);
        break;
      }
      case 13: t.external = true; r.skip(wire); break;
      case 14: r.expect(wire, WIRE_VARINT, 'data_location'); if (r.varint() === 1) t.external = true; break;
      default: r.skip(wire);
    }
  }
  return t;
}

function decodeAttribute(r: ProtoReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0 };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1: r.expect(wire, WIRE_BYTES, 'name'); a.name = r.string(); break;
      case 2: r.expect(wire, WIRE_FIXED32, 'f'); a.f = r.float32(); break;
      case 3: r.expect(wire, WIRE_VARINT, 'i'); a.i = r.int64(); break;
      case 4: r.expect(wire, WIRE_BYTES, 's'); a.s = r.string(); break;
      case 5: r.expect(wire, WIRE_BYTES, 't'); a.t = decodeTensor(r.message(`${r.where}.t`)); break;
      case 7: r.floats(wire, (a.floats ??= [])); break;
      case 8: r.int64s(wire, (a.ints ??= [])); break;
      case 9: r.expect(wire, WIRE_BYTES, 'strings'); (a.strings ??= []).push(r.string()); break;
      case 20: r.expect(wire, WIRE_VARINT, 'type'); a.type = r.varint(); break;
      default: r.skip(wire); // subgraphs, sparse tensors, type protos: the type field names them
    }
  }
  return a;
}

function decodeNode(r: ProtoReader): OnnxNode {
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1: r.expect(wire, WIRE_BYTES, 'input'); n.inputs.push(r.string()); break;
      case 2: r.expect(wire, WIRE_BYTES, 'output'); n.outputs.push(r.string()); break;
      case 3: r.expect(wire, WIRE_BYTES, 'name'); n.name = r.string(); break;
      case 4: r.expect(wire, WIRE_BYTES, 'op_type'); n.opType = r.string(); break;
      case 5: r.expect(wire, WIRE_BYTES, 'attribute'); n.attributes.push(decodeAttribute(r.message(`${r.where}.attribute[${n.attributes.length}]`))); break;
      case 7: r.expect(wire, WIRE_BYTES, 'domain'); n.domain = r.string(); break;
      default: r.skip(wire);
    }
  }
  return n;
}

function decodeDim(r: ProtoReader): OnnxDim {
  let dim: OnnxDim = null;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) { r.expect(wire, WIRE_VARINT, 'dim_value'); dim = r.int64(); }
    else if (field === 2) { r.expect(wire, WIRE_BYTES, 'dim_param'); dim = r.string(); }
    else r.skip(wire);
  }
  return dim;
}

function decodeValueInfo(r: ProtoReader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0 };
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1) { r.expect(wire, WIRE_BYTES, 'name'); v.name = r.string(); continue; }
    if (field !== 2) { r.skip(wire); continue; }
    r.expect(wire, WIRE_BYTES, 'type');
    const type = r.message(`${r.where}.type`);
    while (!type.done) {
      const k = type.key();
      if (k.field !== 1) { type.skip(k.wire); continue; } // sequence/map/optional types: elemType stays 0
      type.expect(k.wire, WIRE_BYTES, 'tensor_type');
      const tensor = type.message(`${r.where}.type.tensor_type`);
      while (!tensor.done) {
        const t = tensor.key();
        if (t.field === 1) { tensor.expect(t.wire, WIRE_VARINT, 'elem_type'); v.elemType = tensor.varint(); }
        else if (t.field === 2) {
          tensor.expect(t.wire, WIRE_BYTES, 'shape');
          const shape = tensor.message(`${r.where}.type.tensor_type.shape`);
          v.dims = [];
          while (!shape.done) {
            const s = shape.key();
            if (s.field === 1) { shape.expect(s.wire, WIRE_BYTES, 'dim'); v.dims.push(decodeDim(shape.message(`${r.where}.shape.dim[${v.dims.length}]`))); }
            else shape.skip(s.wire);
          }
        } else tensor.skip(t.wire);
      }
    }
  }
  return v;
}

function decodeGraph(r: ProtoReader): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], sparseInitializers: 0 };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1: r.expect(wire, WIRE_BYTES, 'node'); g.nodes.push(decodeNode(r.message(`graph.node[${g.nodes.length}]`))); break;
      case 2: r.expect(wire, WIRE_BYTES, 'name'); g.name = r.string(); break;
      case 5: r.expect(wire, WIRE_BYTES, 'initializer'); g.initializers.push(decodeTensor(r.message(`graph.initializer[${g.initializers.length}]`))); break;
      case 11: r.expect(wire, WIRE_BYTES, 'input'); g.inputs.push(decodeValueInfo(r.message(`graph.input[${g.inputs.length}]`))); break;
      case 12: r.expect(wire, WIRE_BYTES, 'output'); g.outputs.push(decodeValueInfo(r.message(`graph.output[${g.outputs.length}]`))); break;
      case 15: g.sparseInitializers++; r.skip(wire); break;
      default: r.skip(wire);
    }
  }
  return g;
}

/** Decodes an .onnx file. Only views into `bytes` and arrays bounded by its length are made. */
export function decodeOnnxModel(bytes: Uint8Array, source = 'the ONNX file'): OnnxModel {
  if (bytes.length === 0) throw new OnnxFormatError(`${source} is empty; export the model again`);
  const r = new ProtoReader(bytes, 'the ModelProto', 0, bytes.length, source);
  const model: OnnxModel = { irVersion: 0, opsets: [], producerName: '', producerVersion: '', docString: '', graph: undefined as unknown as OnnxGraph };
  while (!r.done) {
    const { field, wire } = r.key();
    switch (field) {
      case 1: r.expect(wire, WIRE_VARINT, 'ir_version'); model.irVersion = r.int64(); break;
      case 2: r.expect(wire, WIRE_BYTES, 'producer_name'); model.producerName = r.string(); break;
      case 3: r.expect(wire, WIRE_BYTES, 'producer_version'); model.producerVersion = r.string(); break;
      case 6: r.expect(wire, WIRE_BYTES, 'doc_string'); model.docString = r.string(); break;
      case 7: r.expect(wire, WIRE_BYTES, 'graph'); model.graph = decodeGraph(r.message('graph')); break;
      case 8: {
        r.expect(wire, WIRE_BYTES, 'opset_import');
        const o = r.message(`opset_import[${model.opsets.length}]`);
        const opset = { domain: '', version: 0 };
        while (!o.done) {
          const k = o.key();
          if (k.field === 1) { o.expect(k.wire, WIRE_BYTES, 'domain'); opset.domain = o.string(); }
          else if (k.field === 2) { o.expect(k.wire, WIRE_VARINT, 'version'); opset.version = o.int64(); }
          else o.skip(k.wire);
        }
        model.opsets.push(opset);
        break;
      }
      default: r.skip(wire);
    }
  }
  if (!model.graph) throw new OnnxFormatError(`${source} holds no graph (ModelProto field 7); it is not an ONNX model or it is truncated`);
  return model;
}
