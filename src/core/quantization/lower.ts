// Deployment lowering, shared by the quantizer, the integer reference and the C generator, as each kind's
// `lowering` rule in the layer table says: identities at inference (Dropout) are removed, and a standalone
// activation (ReLU, ReLU6) that directly follows a layer with a fused activation (Conv, Dense, Add) with no
// other consumer is folded into that layer's `activation`, as Qualia-CodeGen does. Everything else is
// kept (a ReLU after a MaxPool stays a layer of its own). The result is a new graph; weights are shared.

import type { Activation } from '../layers/ir';
import { definitionOf } from '../layers/table';
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
  const lowering = (layer: Layer) => definitionOf(layer).lowering ?? {};
  const withoutIdentities = bypass(cloned, (layer) => (lowering(layer).removed ? layer.inputs[0] : undefined));
  const consumerCount = new Map<string, number>();
  for (const layer of withoutIdentities) for (const input of layer.inputs) consumerCount.set(input, (consumerCount.get(input) ?? 0) + 1);
  const layers = bypass(withoutIdentities, (layer, kept) => {
    const activation = lowering(layer).foldsAs;
    if (!activation) return undefined;
    const producer = kept.get(layer.inputs[0]);
    if (!producer || !lowering(producer).fusesActivation) return undefined;
    const fused = producer as Layer & { activation: Activation };
    if (fused.activation !== 'linear' || consumerCount.get(producer.name) !== 1) return undefined;
    fused.activation = activation;
    return producer.name;
  });
  return inferShapes({ formatVersion: graph.formatVersion, name: graph.name, layers, shapes: {}, weights: graph.weights });
}
