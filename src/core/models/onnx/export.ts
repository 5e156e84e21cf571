// Mote graph → ONNX (opset 13, standard operators only). The graph's channels_last tensors become
// channels-first ones with a batch dim ([N, c, steps], [N, c, h, w]; flat [N, features]), as PyTorch
// exports them, so a model made here reads like one made by torch.onnx.export. Each layer is written by
// its kind's ONNX facet (layers/<kind>/onnx.ts); this engine owns the file, the names, the graph input and
// output, and the fused activations (appended through the kind whose lowering `foldsAs` them).
//
// Naming, chosen so that ONNX → Mote → ONNX gives back the same bytes: a node is named after its output;
// a layer's result carries the layer's name; a fused activation's linear part is `<layer>_preact`;
// initializers are `<node output>/<role>`.

import { UnsupportedError } from '../../base/errors';
import type { OnnxAttributes, OnnxExportContext } from '../../layers/facets/onnx';
import { isInputLayer } from '../../layers/input/layer';
import { definitionOf, layerTable, type Layer } from '../../layers/table';
import type { ModelGraph } from '../graph';
import { inferShapes } from '../shapes';
import { AttributeType, DataType, encodeOnnxModel, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from './schema';

export const ONNX_OPSET = 13;
/** The IR version that goes with opset 13 (onnx/docs/Versioning.md). */
export const ONNX_IR_VERSION = 7;
/** The batch dim's symbolic name: any batch size runs. */
export const BATCH_DIM = 'N';

/** Mote's channels_last shape (batch-free) as ONNX's channels-first one: [s, c] → [c, s], [h, w, c] → [c, h, w]. */
export function channelsFirstShape(shape: readonly number[]): number[] {
  return shape.length < 2 ? [...shape] : [shape[shape.length - 1], ...shape.slice(0, -1)];
}

function float32Bytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

function int64Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

function attributes(attrs: OnnxAttributes): OnnxAttribute[] {
  return Object.entries(attrs).map(([name, v]) => {
    if ('int' in v) return { name, type: AttributeType.INT, i: v.int };
    if ('ints' in v) return { name, type: AttributeType.INTS, ints: v.ints };
    if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
    return { name, type: AttributeType.STRING, s: v.string };
  });
}

function onnxKinds(): string {
  return Object.values(layerTable).filter((d) => 'onnx' in d).map((d) => d.kind).join(', ');
}

/** The activation kind a fused activation is exported through (the one whose lowering folds as it). */
function activationDefinition(activation: string) {
  const definition = Object.values(layerTable).find((d) => 'lowering' in d && (d.lowering as { foldsAs?: string } | undefined)?.foldsAs === activation);
  if (!definition) throw new UnsupportedError(`no layer kind folds as the activation '${activation}', so it has no ONNX form`);
  return definitionOf({ name: activation, kind: definition.kind });
}

/** Builds the ONNX model (as objects) for a graph. */
export function toOnnxModel(graph: ModelGraph, options: { producerVersion?: string } = {}): OnnxModel {
  inferShapes(graph);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const used = new Set<string>(graph.layers.map((l) => l.name));

  const fresh = (name: string): string => {
    let candidate = name;
    for (let i = 1; used.has(candidate); i++) candidate = `${name}_${i}`;
    used.add(candidate);
    return candidate;
  };

  const contextFor = (layer: Layer, inputs: string[], inShapes: number[][], output: string): OnnxExportContext => ({
    inputs,
    inShapes,
    outShape: graph.shapes[layer.name],
    output,
    weight: (role) => graph.weights[`${layer.name}/${role}`],
    initializer(role, dims, values) {
      const name = `${output}/${role}`;
      if (values instanceof Float32Array) initializers.push({ name, dataType: DataType.FLOAT, dims, raw: float32Bytes(values) });
      else initializers.push({ name, dataType: DataType.INT64, dims, raw: int64Bytes(values.int64) });
      return name;
    },
    node(op, nodeInputs, attrs = {}, nodeOutput = output) {
      nodes.push({ name: nodeOutput, opType: op, domain: '', inputs: nodeInputs, outputs: [nodeOutput], attributes: attributes(attrs) });
      return nodeOutput;
    },
  });

  for (const layer of graph.layers) {
    if (isInputLayer(layer)) continue;
    const definition = definitionOf(layer);
    if (!definition.onnx) throw new UnsupportedError(`layer '${layer.name}' (${layer.kind}) has no ONNX form; kinds Mote exports to ONNX: ${onnxKinds()}`);
    const inShapes = layer.inputs.map((n) => graph.shapes[n]);
    const activation = (layer as { activation?: string }).activation;
    if (!definition.lowering?.fusesActivation || activation === undefined || activation === 'linear') {
      definition.onnx.export(layer, contextFor(layer, layer.inputs, inShapes, layer.name));
      continue;
    }
    // A fused activation: the kind writes its linear part, the activation's own kind appends itself.
    const preact = fresh(`${layer.name}_preact`);
    definition.onnx.export(layer, contextFor(layer, layer.inputs, inShapes, preact));
    const act = activationDefinition(activation);
    const actLayer = { kind: act.kind, name: layer.name, inputs: [preact] } as Layer;
    act.onnx!.export(actLayer, contextFor(actLayer, [preact], [graph.shapes[layer.name]], layer.name));
  }

  const input = graph.layers[0];
  const last = graph.layers[graph.layers.length - 1];
  return {
    irVersion: ONNX_IR_VERSION,
    opsets: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Mote',
    producerVersion: options.producerVersion ?? '',
    docString: '',
    graph: {
      name: graph.name,
      nodes,
      initializers,
      inputs: [{ name: input.name, elemType: DataType.FLOAT, dims: [BATCH_DIM, ...channelsFirstShape(graph.shapes[input.name])] }],
      outputs: [{ name: last.name, elemType: DataType.FLOAT, dims: [BATCH_DIM, ...channelsFirstShape(graph.shapes[last.name])] }],
      sparseInitializers: 0,
    },
  };
}

/** The graph as the bytes of an .onnx file (the same graph always gives the same bytes). */
export function exportOnnx(graph: ModelGraph, options: { producerVersion?: string } = {}): Uint8Array {
  return encodeOnnxModel(toOnnxModel(graph, options));
}
