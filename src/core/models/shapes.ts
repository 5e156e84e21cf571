// Shape inference and structural checks for a ModelGraph. Every stage (trainer, interpreters, quantizer,
// C generator) may assume a graph that passed `inferShapes`: inputs exist and come earlier, shapes agree,
// weights have the documented layouts. Errors name the layer so a person can find it.

import { MoteError } from '../base/errors';
import { MAX_LAYER_VALUES } from '../base/limits';
import { isInputLayer } from '../layers/input/layer';
import { shapeText, sizeOf } from '../layers/shared/geometry';
import { definitionOf } from '../layers/table';
import type { Layer, ModelGraph } from './graph';

/** The graph is inconsistent (a shape, a weight or a connection is wrong); the message names the layer. */
export class ModelGraphError extends MoteError {}

/** A layer would hold more values than Mote allocates for one layer; the message names it and its size. */
export class ModelTooLargeError extends ModelGraphError {}

function describe(layer: Layer): string {
  return `layer '${layer.name}' (${layer.kind})`;
}

function fail(layer: Layer, message: string): never {
  throw new ModelGraphError(`${describe(layer)}: ${message}`);
}

export { sizeOf };

// Checked where shapes are first known, before anything is allocated for them: a huge `filters` or a
// hostile imported model then fails with the layer's name instead of an out-of-memory deep in tfjs or wasm.
function checkSize(layer: Layer, what: string, shape: readonly number[]): void {
  const values = sizeOf(shape);
  if (values <= MAX_LAYER_VALUES) return;
  const mib = (values * 4) / 2 ** 20;
  throw new ModelTooLargeError(
    `${describe(layer)}: ${what} of shape ${shapeText(shape)} would hold ${values.toLocaleString('en-US')} values ` +
    `(${mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(0)} MiB`} as float32); Mote allows ${MAX_LAYER_VALUES.toLocaleString('en-US')} per layer. ` +
    'Make the model smaller (fewer filters or units, a smaller input, more pooling).',
  );
}

/** Expected weight shapes of a layer given its input shape, by role; throws ModelTooLargeError past the cap. */
export function weightShapes(layer: Layer, inputShape: readonly number[]): Record<string, number[]> {
  const shapes = definitionOf(layer).shape.weights?.(layer, inputShape) ?? {};
  for (const [role, shape] of Object.entries(shapes)) checkSize(layer, `its ${role}`, shape);
  return shapes;
}

/** Output shape of one layer from its input shapes; throws ModelGraphError naming the layer. */
export function layerOutputShape(layer: Layer, inputs: number[][]): number[] {
  const rule = definitionOf(layer).shape;
  if (rule.arity === 'several' && inputs.length < 2) fail(layer, `needs at least two inputs, got ${inputs.length}`);
  const output = rule.output(layer, inputs, (message) => fail(layer, message));
  checkSize(layer, 'its output', output);
  return output;
}

/**
 * Checks the whole graph and fills `graph.shapes` (output shape of every layer, batch excluded).
 * Also checks that every weight a layer needs is present with the documented layout, and that no weight
 * is left over. Returns the graph for chaining.
 */
export function inferShapes(graph: ModelGraph): ModelGraph {
  if (graph.layers.length === 0) throw new ModelGraphError(`model '${graph.name}' has no layers`);
  const first = graph.layers[0];
  if (!isInputLayer(first)) throw new ModelGraphError(`model '${graph.name}': the first layer must be the Input layer, got ${describe(first)}`);
  const shapes: Record<string, number[]> = {};
  const expectedWeights = new Set<string>();
  for (const [index, layer] of graph.layers.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(layer.name)) fail(layer, 'the name must be a C identifier (letters, digits, _)');
    if (layer.name in shapes) fail(layer, 'the name is used twice');
    const { arity } = definitionOf(layer).shape;
    if (arity === 'none') {
      if (index !== 0) fail(layer, 'only the first layer may be an Input layer');
    } else {
      if (layer.inputs.length === 0) fail(layer, 'has no inputs');
      if (arity === 'one' && layer.inputs.length !== 1) fail(layer, `takes one input, got ${layer.inputs.length} (${layer.inputs.join(', ')})`);
    }
    const inputs = arity === 'none' ? [] : layer.inputs.map((name) => {
      const shape = shapes[name];
      if (!shape) fail(layer, `input '${name}' is not the output of an earlier layer`);
      return shape;
    });
    const out = layerOutputShape(layer, inputs);
    shapes[layer.name] = out;
    if (arity === 'none') continue;
    for (const [role, shape] of Object.entries(weightShapes(layer, inputs[0]))) {
      const key = `${layer.name}/${role}`;
      expectedWeights.add(key);
      const tensor = graph.weights[key];
      if (!tensor) fail(layer, `weight '${key}' is missing (expected shape ${shapeText(shape)})`);
      if (shapeText(tensor.shape) !== shapeText(shape)) fail(layer, `weight '${key}' has shape ${shapeText(tensor.shape)}, expected ${shapeText(shape)}`);
      if (tensor.data.length !== sizeOf(shape)) fail(layer, `weight '${key}' holds ${tensor.data.length} values, its shape ${shapeText(shape)} needs ${sizeOf(shape)}`);
    }
  }
  for (const key of Object.keys(graph.weights)) {
    if (!expectedWeights.has(key)) throw new ModelGraphError(`model '${graph.name}': weight '${key}' belongs to no layer role (expected '<layer>/<role>' of an existing layer)`);
  }
  graph.shapes = shapes;
  return graph;
}

/** The Input layer's shape and the last layer's output shape (after `inferShapes`). */
export function graphIO(graph: ModelGraph): { input: number[]; output: number[] } {
  const first = graph.layers[0];
  const last = graph.layers[graph.layers.length - 1];
  if (!isInputLayer(first)) throw new ModelGraphError(`model '${graph.name}': the first layer must be the Input layer`);
  return { input: [...first.shape], output: [...(graph.shapes[last.name] ?? [])] };
}

/** Trainable parameters, as PyTorch's `sum(p.numel() for p in model.parameters())` counts them
 * (BatchNorm running mean/variance are buffers, not parameters). */
export function countParameters(graph: ModelGraph, options: { includeBuffers?: boolean } = {}): number {
  let total = 0;
  for (const [key, tensor] of Object.entries(graph.weights)) {
    const role = key.slice(key.lastIndexOf('/') + 1);
    if (!options.includeBuffers && (role === 'mean' || role === 'variance')) continue;
    total += tensor.data.length;
  }
  return total;
}

/** Multiply-accumulates of weight products per inference (Conv and Dense; after `inferShapes`). */
export function countMacs(graph: ModelGraph): number {
  let macs = 0;
  for (const layer of graph.layers) {
    const rule = definitionOf(layer).shape;
    if (rule.macs) macs += rule.macs(layer, layer.inputs.map((name) => graph.shapes[name]), graph.shapes[layer.name]);
  }
  return macs;
}
