// Shape inference and structural checks for a ModelGraph. Every stage (trainer, interpreters, quantizer,
// C generator) may assume a graph that passed `inferShapes`: inputs exist and come earlier, shapes agree,
// weights have the documented layouts. Errors name the layer so a person can find it.

import { MoteError } from '../base/errors';
import type { ConvLayer, Layer, ModelGraph } from './graph';

/** The graph is inconsistent (a shape, a weight or a connection is wrong); the message names the layer. */
export class ModelGraphError extends MoteError {}

function describe(layer: Layer): string {
  return `layer '${layer.name}' (${layer.kind})`;
}

function fail(layer: Layer, message: string): never {
  throw new ModelGraphError(`${describe(layer)}: ${message}`);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Expected weight shapes of a layer given its input shape, by role. */
export function weightShapes(layer: Layer, inputShape: readonly number[]): Record<string, number[]> {
  switch (layer.kind) {
    case 'Conv': {
      const cin = inputShape[inputShape.length - 1];
      const out: Record<string, number[]> = { kernel: [...layer.kernel, cin / layer.groups, layer.filters] };
      if (layer.useBias) out.bias = [layer.filters];
      return out;
    }
    case 'Dense': {
      const out: Record<string, number[]> = { kernel: [inputShape[0], layer.units] };
      if (layer.useBias) out.bias = [layer.units];
      return out;
    }
    case 'BatchNorm': {
      const c = [inputShape[inputShape.length - 1]];
      return { gamma: c, beta: c, mean: c, variance: c };
    }
    default:
      return {};
  }
}

/** Output length of a convolution or pooling window along one dim (PyTorch floor semantics). */
export function windowOutput(size: number, window: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - window) / stride) + 1;
}

function checkSpatial(layer: Layer & { dims: 1 | 2 }, input: readonly number[], lists: Record<string, number[]>): void {
  if (input.length !== layer.dims + 1) {
    fail(layer, `a ${layer.dims}-D layer needs an input of rank ${layer.dims + 1} ([${layer.dims === 1 ? 'steps' : 'h, w'}, channels]), got ${shapeText(input)}`);
  }
  for (const [key, values] of Object.entries(lists)) {
    if (values.length !== layer.dims) fail(layer, `${key} must have ${layer.dims} entr${layer.dims === 1 ? 'y' : 'ies'}, got ${shapeText(values)}`);
    if (values.some((v) => !Number.isInteger(v) || v < (key === 'padding' ? 0 : 1))) fail(layer, `${key} must hold ${key === 'padding' ? 'non-negative' : 'positive'} integers, got ${shapeText(values)}`);
  }
}

function convOutput(layer: ConvLayer, input: readonly number[]): number[] {
  checkSpatial(layer, input, { kernel: layer.kernel, stride: layer.stride, padding: layer.padding });
  const cin = input[input.length - 1];
  if (!Number.isInteger(layer.groups) || layer.groups < 1) fail(layer, `groups must be a positive integer, got ${layer.groups}`);
  if (cin % layer.groups !== 0) fail(layer, `input channels (${cin}) must be divisible by groups (${layer.groups})`);
  if (layer.filters % layer.groups !== 0) fail(layer, `filters (${layer.filters}) must be divisible by groups (${layer.groups})`);
  const spatial = input.slice(0, -1).map((n, d) => windowOutput(n, layer.kernel[d], layer.stride[d], layer.padding[d]));
  if (spatial.some((n) => n < 1)) {
    fail(layer, `kernel ${shapeText(layer.kernel)} with padding ${shapeText(layer.padding)} does not fit the input ${shapeText(input)}; reduce the kernel or add padding`);
  }
  return [...spatial, layer.filters];
}

/** Output shape of one layer from its input shapes; throws ModelGraphError naming the layer. */
export function layerOutputShape(layer: Layer, inputs: number[][]): number[] {
  const input = inputs[0];
  switch (layer.kind) {
    case 'Input':
      if (layer.shape.length < 1 || layer.shape.some((d) => !Number.isInteger(d) || d < 1)) fail(layer, `shape must hold positive integers, got ${shapeText(layer.shape)}`);
      return [...layer.shape];
    case 'Conv':
      return convOutput(layer, input);
    case 'Dense':
      if (input.length !== 1) fail(layer, `needs a flat input [features], got ${shapeText(input)}; put a Flatten layer before it`);
      if (!Number.isInteger(layer.units) || layer.units < 1) fail(layer, `units must be a positive integer, got ${layer.units}`);
      return [layer.units];
    case 'BatchNorm':
    case 'ReLU':
    case 'ReLU6':
    case 'Dropout':
    case 'Softmax':
      if (layer.kind === 'Dropout' && !(layer.rate >= 0 && layer.rate < 1)) fail(layer, `rate must be in [0, 1), got ${layer.rate}`);
      if (layer.kind === 'Softmax' && input.length !== 1) fail(layer, `needs a flat input [classes], got ${shapeText(input)}`);
      return [...input];
    case 'MaxPool':
    case 'AvgPool': {
      checkSpatial(layer, input, { pool: layer.pool, stride: layer.stride });
      const spatial = input.slice(0, -1).map((n, d) => windowOutput(n, layer.pool[d], layer.stride[d], 0));
      if (spatial.some((n) => n < 1)) fail(layer, `pool ${shapeText(layer.pool)} is larger than its input ${shapeText(input)}`);
      return [...spatial, input[input.length - 1]];
    }
    case 'GlobalPool':
      if (input.length < 2) fail(layer, `needs a spatial input [.., channels], got ${shapeText(input)}`);
      return [input[input.length - 1]];
    case 'Add':
      if (inputs.length < 2) fail(layer, `needs at least two inputs, got ${inputs.length}`);
      for (let i = 1; i < inputs.length; i++) {
        if (shapeText(inputs[i]) !== shapeText(input)) {
          fail(layer, `input shapes differ: '${layer.inputs[0]}' gives ${shapeText(input)} but '${layer.inputs[i]}' gives ${shapeText(inputs[i])}`);
        }
      }
      return [...input];
    case 'Flatten':
      return [sizeOf(input)];
  }
}

/**
 * Checks the whole graph and fills `graph.shapes` (output shape of every layer, batch excluded).
 * Also checks that every weight a layer needs is present with the documented layout, and that no weight
 * is left over. Returns the graph for chaining.
 */
export function inferShapes(graph: ModelGraph): ModelGraph {
  if (graph.layers.length === 0) throw new ModelGraphError(`model '${graph.name}' has no layers`);
  const first = graph.layers[0];
  if (first.kind !== 'Input') throw new ModelGraphError(`model '${graph.name}': the first layer must be the Input layer, got ${describe(first)}`);
  const shapes: Record<string, number[]> = {};
  const expectedWeights = new Set<string>();
  for (const [index, layer] of graph.layers.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(layer.name)) fail(layer, 'the name must be a C identifier (letters, digits, _)');
    if (layer.name in shapes) fail(layer, 'the name is used twice');
    if (layer.kind === 'Input') {
      if (index !== 0) fail(layer, 'only the first layer may be an Input layer');
    } else {
      if (layer.inputs.length === 0) fail(layer, 'has no inputs');
      if (layer.kind !== 'Add' && layer.inputs.length !== 1) fail(layer, `takes one input, got ${layer.inputs.length} (${layer.inputs.join(', ')})`);
    }
    const inputs = layer.kind === 'Input' ? [] : layer.inputs.map((name) => {
      const shape = shapes[name];
      if (!shape) fail(layer, `input '${name}' is not the output of an earlier layer`);
      return shape;
    });
    const out = layerOutputShape(layer, inputs);
    shapes[layer.name] = out;
    if (layer.kind === 'Input') continue;
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
  if (first.kind !== 'Input') throw new ModelGraphError(`model '${graph.name}': the first layer must be the Input layer`);
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

/** Multiply-accumulates per inference of Conv and Dense layers (after `inferShapes`). */
export function countMacs(graph: ModelGraph): number {
  let macs = 0;
  for (const layer of graph.layers) {
    if (layer.kind === 'Conv') {
      const out = graph.shapes[layer.name];
      const cin = graph.shapes[layer.inputs[0]].at(-1)!;
      macs += sizeOf(out) * sizeOf(layer.kernel) * (cin / layer.groups);
    } else if (layer.kind === 'Dense') {
      macs += graph.shapes[layer.inputs[0]][0] * layer.units;
    }
  }
  return macs;
}
