// ONNX → Mote graph. The file is hostile until proven otherwise: the decoder (schema.ts) only takes views of
// its bytes; a tensor's values are materialized only after its declared dims are checked against Mote's
// per-layer cap and against the bytes that actually hold them; every refusal names the node, the tensor or
// the byte offset, and says what to change. Each node is imported by the layer kind whose ONNX facet
// claims its operator (layers/<kind>/onnx.ts); this engine keeps the layout bookkeeping: channels-first
// values become channels_last Mote tensors, a Transpose to channels-last is remembered until the Flatten
// that reads it, and a channels-first Flatten's order is carried to the Gemm whose weights absorb it.

import { MAX_LAYER_VALUES } from '../../base/limits';
import type { OnnxConstant, OnnxFacet, OnnxImportContext, OnnxValue } from '../../layers/facets/onnx';
import { shapeText, sizeOf } from '../../layers/shared/geometry';
import { layerTable, type Layer } from '../../layers/table';
import { MODEL_GRAPH_FORMAT_VERSION, type ModelGraph, type Tensor } from '../graph';
import { inferShapes, layerOutputShape, weightShapes } from '../shapes';
import { OnnxFormatError } from './protobuf';
import { AttributeType, DataType, dataTypeName, decodeOnnxModel, type OnnxAttribute, type OnnxDim, type OnnxModel, type OnnxNode, type OnnxTensor } from './schema';

export { OnnxFormatError };

/** The default-domain opsets whose semantics the facets handle (attribute-to-input moves included). */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

interface Claim {
  kind: string;
  facet: OnnxFacet<any>;
  attributes: readonly string[];
}

/** Operator → the kind that imports it, from the layer table (a clash is a programming error, caught here). */
function claims(): Map<string, Claim> {
  const map = new Map<string, Claim>();
  for (const definition of Object.values(layerTable)) {
    const facet = (definition as { onnx?: OnnxFacet<any> }).onnx;
    for (const [op, attributes] of Object.entries(facet?.imports ?? {})) {
      if (map.has(op)) throw new Error(`ONNX operator ${op} is claimed by both ${map.get(op)!.kind} and ${definition.kind}`);
      map.set(op, { kind: definition.kind, facet: facet!, attributes });
    }
  }
  return map;
}

const ELEMENT_BYTES: Record<number, number> = { [DataType.FLOAT]: 4, [DataType.INT32]: 4, [DataType.INT64]: 8, [DataType.DOUBLE]: 8 };

function dimsText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

/** A tensor's values as float32, after checking its dims fit the cap and the bytes that hold them. */
function tensorValues(t: OnnxTensor, what: string, source: string): OnnxConstant {
  const fail = (message: string): never => {
    throw new OnnxFormatError(`${source}: ${what}: ${message}`);
  };
  if (t.external) fail('its data lives in an external file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))');
  if (!(t.dataType in ELEMENT_BYTES)) fail(`its data type ${dataTypeName(t.dataType)} is not supported; Mote reads FLOAT weights (and INT64/INT32 shapes)`);
  let count = 1;
  for (const d of t.dims) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`dims ${dimsText(t.dims)} hold an invalid size ${d} (the file is corrupt)`);
    count *= d;
    if (count > MAX_LAYER_VALUES) fail(`dims ${dimsText(t.dims)} declare more than ${MAX_LAYER_VALUES.toLocaleString('en-US')} values, Mote's cap for one layer; this is not a model for a microcontroller (or the file is corrupt)`);
  }
  const size = ELEMENT_BYTES[t.dataType];
  const values = new Float32Array(count);
  if (t.raw) {
    if (t.raw.length !== count * size) fail(`dims ${dimsText(t.dims)} declare ${count} values (${count * size} bytes of ${dataTypeName(t.dataType)}) but raw_data holds ${t.raw.length} bytes; the initializer is corrupt or truncated`);
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.length);
    for (let i = 0; i < count; i++) {
      if (t.dataType === DataType.FLOAT) values[i] = view.getFloat32(i * 4, true);
      else if (t.dataType === DataType.INT32) values[i] = view.getInt32(i * 4, true);
      else if (t.dataType === DataType.INT64) values[i] = Number(view.getBigInt64(i * 8, true));
      else values[i] = view.getFloat64(i * 8, true);
    }
    return { dims: [...t.dims], values };
  }
  const stored = t.dataType === DataType.FLOAT ? t.floatData : t.dataType === DataType.INT64 ? t.int64Data : t.dataType === DataType.INT32 ? t.int32Data : t.doubleData;
  const list = stored ?? [];
  if (list.length !== count) fail(`dims ${dimsText(t.dims)} declare ${count} values but the tensor holds ${list.length}; the initializer is corrupt or truncated`);
  values.set(list);
  return { dims: [...t.dims], values };
}

/** Constant node → its tensor (the forms torch.onnx.export and onnx's helpers write). */
function constantTensor(node: OnnxNode): OnnxTensor | undefined {
  const a = node.attributes[0];
  if (node.attributes.length !== 1 || !a) return undefined;
  if (a.name === 'value' && a.t) return a.t;
  const raw = (values: number[], type: number, dims: number[]): OnnxTensor => ({ name: node.outputs[0], dataType: type, dims, ...(type === DataType.FLOAT ? { floatData: values } : { int64Data: values }) });
  if (a.name === 'value_float' && a.f !== undefined) return raw([a.f], DataType.FLOAT, []);
  if (a.name === 'value_floats' && a.floats) return raw(a.floats, DataType.FLOAT, [a.floats.length]);
  if (a.name === 'value_int' && a.i !== undefined) return raw([a.i], DataType.INT64, []);
  if (a.name === 'value_ints' && a.ints) return raw(a.ints, DataType.INT64, [a.ints.length]);
  return undefined;
}

function nodeLabel(node: OnnxNode, index: number): string {
  return `node '${node.name || node.outputs[0] || `#${index}`}' (${node.opType})`;
}

/** A C-identifier-safe, unique layer name from an ONNX value name (`/conv1/Conv_output_0` → `conv1_Conv_output_0`). */
function layerNamer(): (onnxName: string) => string {
  const used = new Set<string>(['input']);
  return (onnxName) => {
    let base = onnxName.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+/, '').slice(0, 64);
    if (!/^[A-Za-z_]/.test(base)) base = `v_${base}`;
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
}

function checkSupported(model: OnnxModel, table: Map<string, Claim>, source: string): void {
  const unknown: string[] = [];
  const attributes: string[] = [];
  model.graph.nodes.forEach((node, index) => {
    if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) return;
    const claim = node.domain === '' || node.domain === 'ai.onnx' ? table.get(node.opType) : undefined;
    if (!claim) {
      unknown.push(`${nodeLabel(node, index)}${node.domain ? ` in domain '${node.domain}'` : ''}`);
      return;
    }
    for (const a of node.attributes) if (!claim.attributes.includes(a.name)) attributes.push(`${nodeLabel(node, index)}: attribute '${a.name}'`);
  });
  if (!unknown.length && !attributes.length) return;
  const parts: string[] = [];
  if (unknown.length) parts.push(`unsupported operators: ${unknown.join(', ')}`);
  if (attributes.length) parts.push(`unsupported attributes: ${attributes.join(', ')}`);
  throw new OnnxFormatError(
    `${source} uses what Mote cannot import — ${parts.join('; ')}. Mote imports these operators: Constant, ${[...table.keys()].join(', ')} ` +
      '(re-export with constant folding and standard operators, or simplify the model with onnx-simplifier)',
  );
}

function inputShape(dims: OnnxDim[] | undefined, name: string, source: string): number[] {
  const fail = (message: string): never => {
    throw new OnnxFormatError(`${source}: graph input '${name}' ${message}`);
  };
  if (!dims) fail('has no shape; Mote needs the input size (export with a fixed example input)');
  if (dims!.length < 2 || dims!.length > 4) fail(`has rank ${dims!.length}; Mote reads [N, features], [N, C, steps] or [N, C, H, W]`);
  const rest = dims!.slice(1).map((d, i) => {
    if (typeof d !== 'number') fail(`has a dynamic dim ${d === null ? '(unknown)' : `'${d}'`} at axis ${i + 1}; only the batch (axis 0) may be dynamic, so export with a fixed input size`);
    if (!Number.isSafeInteger(d) || (d as number) < 1) fail(`has an invalid size ${d} at axis ${i + 1}`);
    return d as number;
  });
  let count = 1;
  for (const d of rest) {
    count *= d;
    if (count > MAX_LAYER_VALUES) fail(`declares [${dims!.map((d) => d ?? '?').join(', ')}], more than ${MAX_LAYER_VALUES.toLocaleString('en-US')} values per sample; Mote's cap for one layer`);
  }
  return rest.length === 1 ? rest : [...rest.slice(1), rest[0]];
}

export interface ImportOnnxOptions {
  /** The model's name in Mote (default: the ONNX graph's name, made C-safe). */
  name?: string;
  /** How messages name the file. */
  source?: string;
}

/** Reads an .onnx file as a Mote graph (float weights, channels_last), checked by shape inference. */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): ModelGraph {
  const source = options.source ?? 'the ONNX file';
  const model = decodeOnnxModel(bytes, source);
  const fail = (message: string): never => {
    throw new OnnxFormatError(`${source}: ${message}`);
  };
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  if (opset === undefined) fail('declares no default-domain opset (opset_import); it is not a standard ONNX model');
  if (opset! < MIN_OPSET || opset! > MAX_OPSET) fail(`uses opset ${opset}; Mote reads opsets ${MIN_OPSET}–${MAX_OPSET} (convert it with onnx.version_converter)`);
  const { graph } = model;
  if (graph.sparseInitializers) fail(`holds ${graph.sparseInitializers} sparse initializer(s); Mote reads dense weights only`);

  const table = claims();
  checkSupported(model, table, source);

  // Constants: initializers and Constant nodes, materialized (and checked) on first use.
  const constantSources = new Map<string, { tensor: OnnxTensor; what: string }>();
  for (const t of graph.initializers) constantSources.set(t.name, { tensor: t, what: `initializer '${t.name}'` });
  graph.nodes.forEach((node, index) => {
    if (node.opType !== 'Constant') return;
    const tensor = constantTensor(node);
    if (!tensor) fail(`${nodeLabel(node, index)} holds no tensor value Mote reads (value, value_float(s), value_int(s))`);
    constantSources.set(node.outputs[0], { tensor: tensor!, what: `the output of ${nodeLabel(node, index)}` });
  });
  const constants = new Map<string, OnnxConstant>();
  const constantOf = (name: string): OnnxConstant | undefined => {
    if (!constantSources.has(name)) return undefined;
    if (!constants.has(name)) {
      const { tensor, what } = constantSources.get(name)!;
      constants.set(name, tensorValues(tensor, what, source));
    }
    return constants.get(name);
  };

  // The graph input: the one input that is not an initializer.
  const realInputs = graph.inputs.filter((v) => !constantSources.has(v.name));
  if (realInputs.length !== 1) fail(`has ${realInputs.length} graph inputs (${realInputs.map((v) => `'${v.name}'`).join(', ') || 'none'}); Mote models take exactly one`);
  const input = realInputs[0];
  if (input.elemType !== DataType.FLOAT) fail(`graph input '${input.name}' is ${dataTypeName(input.elemType)}; Mote models take FLOAT input`);
  const shape = inputShape(input.dims, input.name, source);

  const layers: Layer[] = [{ kind: 'Input', name: 'input', inputs: [], shape }];
  const shapes: Record<string, number[]> = { input: shape };
  const weights: Record<string, Tensor> = {};
  const values = new Map<string, { layer: string; value: OnnxValue }>([[input.name, { layer: 'input', value: { shape } }]]);
  const nameOf = layerNamer();
  const consumed = new Set(graph.nodes.flatMap((n) => n.inputs));
  for (const o of graph.outputs) consumed.add(o.name);

  graph.nodes.forEach((node, index) => {
    if (node.opType === 'Constant') return;
    const label = nodeLabel(node, index);
    const nodeFail = (message: string): never => fail(`${label}: ${message}`);
    const claim = table.get(node.opType)!;
    let inputCount = node.inputs.length;
    while (inputCount > 0 && node.inputs[inputCount - 1] === '') inputCount--;
    const attribute = (name: string, type: number): OnnxAttribute | undefined => {
      const a = node.attributes.find((x) => x.name === name);
      if (a && a.type !== type && a.type !== 0) nodeFail(`attribute '${name}' has the wrong type (${a.type}, expected ${type})`);
      return a;
    };
    const ctx: OnnxImportContext = {
      op: node.opType,
      node: node.name || node.outputs[0] || `#${index}`,
      opset: opset!,
      inputCount,
      absent: (i) => i >= inputCount || node.inputs[i] === '',
      value(i) {
        const name = node.inputs[i];
        if (ctx.absent(i)) nodeFail(`input ${i} is missing`);
        if (constantSources.has(name)) nodeFail(`input ${i} ('${name}') is a constant; Mote needs a computed tensor there`);
        const v = values.get(name);
        if (!v) nodeFail(`input ${i} ('${name}') is not produced by an earlier node (nodes must be in topological order)`);
        return v!.value;
      },
      constant: (i) => (ctx.absent(i) ? undefined : constantOf(node.inputs[i])),
      needConstant(i, what) {
        const c = ctx.constant(i);
        if (!c) nodeFail(`${what} must be an initializer or a Constant`);
        return c!;
      },
      int: (name, fallback) => attribute(name, AttributeType.INT)?.i ?? fallback,
      ints: (name, fallback) => attribute(name, AttributeType.INTS)?.ints ?? fallback,
      float: (name, fallback) => attribute(name, AttributeType.FLOAT)?.f ?? fallback,
      string: (name, fallback) => attribute(name, AttributeType.STRING)?.s ?? fallback,
      fail: nodeFail,
    };
    if (node.outputs.length === 0 || !node.outputs[0]) nodeFail('has no output');
    for (const extra of node.outputs.slice(1)) if (extra && consumed.has(extra)) nodeFail(`its output '${extra}' is used, but Mote imports only a node's first output`);

    const result = claim.facet.import!(ctx);
    if ('alias' in result) {
      const source = values.get(node.inputs[result.alias]);
      if (!source) ctx.value(result.alias);
      values.set(node.outputs[0], { layer: source!.layer, value: { ...source!.value, ...(result.channelsLast ? { channelsLast: true as const } : {}) } });
      return;
    }
    const read = result.inputs.map((i) => ({ i, v: ctx.value(i) }));
    const orders = read.map(({ v }) => v.order).filter((o) => o !== undefined);
    if (!result.readsChannelsLast && read.some(({ v }) => v.channelsLast)) nodeFail('reads a tensor transposed to channels-last; Mote imports that Transpose only right before a Flatten/Reshape');
    if (orders.length && result.order !== 'inherit' && result.order !== 'consumed') {
      nodeFail('reads the flattened output of a channels-first tensor; Mote keeps channels_last order and can only reorder it into the weights of a Gemm/MatMul right after the Flatten');
    }
    if (result.order === 'inherit' && orders.length && (orders.length !== read.length || orders.some((o) => o !== orders[0]))) {
      nodeFail('mixes tensors flattened in different orders');
    }
    const name = nameOf(node.outputs[0]);
    const layer = { ...result.layer, name, inputs: read.map(({ i }) => values.get(node.inputs[i])!.layer) } as Layer;
    let outShape: number[];
    try {
      outShape = layerOutputShape(layer, layer.inputs.map((n) => shapes[n]));
      const expected = weightShapes(layer, shapes[layer.inputs[0]]);
      for (const [role, expectedShape] of Object.entries(expected)) {
        const w = result.weights?.[role];
        if (!w) nodeFail(`has no ${role}`);
        if (w!.shape.join() !== expectedShape.join() || w!.data.length !== sizeOf(expectedShape)) nodeFail(`its ${role} has shape ${shapeText(w!.shape)}, expected ${shapeText(expectedShape)}`);
        weights[`${name}/${role}`] = w!;
      }
    } catch (error) {
      if (error instanceof OnnxFormatError) throw error;
      return nodeFail((error as Error).message);
    }
    shapes[name] = outShape!;
    layers.push(layer);
    const order = result.makesOrder ?? (result.order === 'inherit' ? orders[0] : undefined);
    values.set(node.outputs[0], { layer: name, value: { shape: outShape!, ...(order ? { order } : {}) } });
  });

  if (graph.outputs.length !== 1) fail(`has ${graph.outputs.length} graph outputs; Mote models have exactly one (export only the classifier's output)`);
  const output = values.get(graph.outputs[0].name);
  if (!output) fail(`graph output '${graph.outputs[0].name}' is not computed by any node`);
  if (output!.layer === 'input') fail('computes nothing (its output is its input)');
  if (output!.value.order) fail(`graph output '${graph.outputs[0].name}' is a channels-first tensor flattened; Mote's output would be in another order (add the classifier after the Flatten)`);
  if (layers[layers.length - 1].name !== output!.layer) {
    fail(`graph output '${graph.outputs[0].name}' is not computed by the last node; remove the nodes after it (Mote models end at their output)`);
  }

  const name = options.name ?? (graph.name.replace(/[^A-Za-z0-9_]/g, '_') || 'onnx_model');
  const result: ModelGraph = { formatVersion: MODEL_GRAPH_FORMAT_VERSION, name, layers, shapes: {}, weights };
  try {
    return inferShapes(result);
  } catch (error) {
    throw new OnnxFormatError(`${source}: the imported graph is inconsistent: ${(error as Error).message}`, { cause: error });
  }
}
