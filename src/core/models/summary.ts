// A model's summary as people read it (Keras' model.summary(), torchinfo's table): each layer with its kind,
// output shape, trainable parameters and multiply-accumulates per inference, and the totals with the float32
// size of the weights. Computed from the graph after shape inference; nothing is run.
import { definitionOf } from '../layers/table';
import type { ModelGraph } from './graph';

export interface LayerSummary {
  name: string;
  kind: string;
  /** Output shape without the batch dimension (channels last). */
  output: number[];
  /** Trainable parameters, as countParameters counts them (BatchNorm's running statistics are buffers). */
  parameters: number;
  /** Multiply-accumulates of weight products per inference (Conv and Dense). */
  macs: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  parameters: number;
  macs: number;
  /** Bytes of every weight tensor (buffers included) as float32: the trained model before quantization. */
  float32Bytes: number;
}

const isBuffer = (key: string) => /\/(mean|variance)$/.test(key);

export function summarizeModel(graph: ModelGraph): ModelSummary {
  const parametersOf = new Map<string, number>();
  let stored = 0;
  for (const [key, tensor] of Object.entries(graph.weights)) {
    stored += tensor.data.length;
    if (isBuffer(key)) continue;
    const layer = key.slice(0, key.lastIndexOf('/'));
    parametersOf.set(layer, (parametersOf.get(layer) ?? 0) + tensor.data.length);
  }
  const layers = graph.layers.map((layer): LayerSummary => {
    const rule = definitionOf(layer).shape;
    const macs = rule.macs ? rule.macs(layer, layer.inputs.map((name) => graph.shapes[name]), graph.shapes[layer.name]) : 0;
    return { name: layer.name, kind: layer.kind, output: [...(graph.shapes[layer.name] ?? [])], parameters: parametersOf.get(layer.name) ?? 0, macs };
  });
  return {
    layers,
    parameters: layers.reduce((sum, l) => sum + l.parameters, 0),
    macs: layers.reduce((sum, l) => sum + l.macs, 0),
    float32Bytes: stored * 4,
  };
}
