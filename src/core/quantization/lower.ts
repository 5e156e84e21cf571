// Deployment lowering, shared by the quantizer, the integer reference and the C generator: Dropout is
// removed (identity at inference) and a ReLU/ReLU6 that directly follows a Conv, Dense or Add with no
// other consumer is folded into that layer's `activation`, as Qualia-CodeGen does. Everything else is
// kept (a ReLU after a MaxPool stays a layer of its own). The result is a new graph; weights are shared.

import type { Layer, ModelGraph } from '../models/graph';
import { inferShapes } from '../models/shapes';

/** Removes `drop(layer)` layers, rewiring their consumers to the removed layer's first input (or `target`). */
function bypass(layers: Layer[], drop: (layer: Layer, kept: Map<string, Layer>) => string | undefined): Layer[] {
  const renames = new Map<string, string>();
  const kept = new Map<string, Layer>();
  for (const layer of layers) {
    layer.inputs = layer.inputs.map((name) => renames.get(name) ?? name);
    const target = drop(layer, kept);
    if (target !== undefined) renames.set(layer.name, target);
    else kept.set(layer.name, layer);
  }
  return [...kept.values()];
}

export function lowerForDeployment(graph: ModelGraph): ModelGraph {
  const cloned: Layer[] = graph.layers.map((layer) => structuredClone(layer));
  const withoutDropout = bypass(cloned, (layer) => (layer.kind === 'Dropout' ? layer.inputs[0] : undefined));
  const consumerCount = new Map<string, number>();
  for (const layer of withoutDropout) for (const input of layer.inputs) consumerCount.set(input, (consumerCount.get(input) ?? 0) + 1);
  const layers = bypass(withoutDropout, (layer, kept) => {
    if (layer.kind !== 'ReLU' && layer.kind !== 'ReLU6') return undefined;
    const producer = kept.get(layer.inputs[0]);
    if (!producer || (producer.kind !== 'Conv' && producer.kind !== 'Dense' && producer.kind !== 'Add')) return undefined;
    if (producer.activation !== 'linear' || consumerCount.get(producer.name) !== 1) return undefined;
    producer.activation = layer.kind === 'ReLU' ? 'relu' : 'relu6';
    return producer.name;
  });
  return inferShapes({ formatVersion: graph.formatVersion, name: graph.name, layers, shapes: {}, weights: graph.weights });
}
