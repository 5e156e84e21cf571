// A zoo of small models that exercises every layer kind the C generator supports (1-D and 2-D, odd sizes,
// strides, padding, groups/depthwise, Add, standalone activations, BatchNorm, pooling), with random
// weights from a seeded rng. Shared by the parity test, the golden samples and the benchmarks.

import type { Layer, ModelGraph, Tensor } from '../../src/core/models/graph';
import { MODEL_GRAPH_FORMAT_VERSION } from '../../src/core/models/graph';
import { inferShapes, weightShapes } from '../../src/core/models/shapes';
import { createRng, type Rng } from '../../src/core/base/rng';
import { calibrate } from '../../src/core/quantization/calibrate';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { quantizeGraph, type QuantizedGraph } from '../../src/core/quantization/quantized-graph';
import type { RoundMode } from '../../src/core/layers/shared/fixed-point';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';

type LayerSpec = Layer extends infer L ? (L extends Layer ? Omit<L, 'inputs'> & { inputs?: string[] } : never) : never;

/** Builds a graph from layer specs (each defaults to taking the previous layer) with seeded random weights. */
export function buildGraph(name: string, specs: LayerSpec[], seed: number): ModelGraph {
  const layers: Layer[] = [];
  for (const spec of specs) {
    const inputs = spec.inputs ?? (layers.length ? [layers[layers.length - 1].name] : []);
    layers.push({ ...spec, inputs } as Layer);
  }
  const graph: ModelGraph = { formatVersion: MODEL_GRAPH_FORMAT_VERSION, name, layers, shapes: {}, weights: {} };
  const rng = createRng(seed).fork(name);
  // Shapes first with no weights: infer layer by layer, adding the weights each layer needs.
  const shapes: Record<string, number[]> = {};
  for (const layer of layers) {
    const partial: ModelGraph = { ...graph, layers: layers.slice(0, layers.indexOf(layer) + 1) };
    if (layer.kind !== 'Input') {
      const roles = weightShapes(layer, shapes[layer.inputs[0]]);
      for (const [role, shape] of Object.entries(roles)) graph.weights[`${layer.name}/${role}`] = randomTensor(rng, role, shape);
    }
    inferShapes(partial);
    Object.assign(shapes, partial.shapes);
  }
  return inferShapes(graph);
}

function randomTensor(rng: Rng, role: string, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const fanIn = shape.length > 1 ? n / shape[shape.length - 1] : 1;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (role === 'variance') data[i] = 0.5 + rng.next();
    else if (role === 'gamma') data[i] = 0.5 + rng.next();
    else if (role === 'mean' || role === 'beta' || role === 'bias') data[i] = (rng.next() - 0.5) * 0.4;
    else data[i] = rng.normal() * Math.sqrt(2 / fanIn);
  }
  return { shape, data };
}

export function randomData(shape: number[], count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1) * count;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

const conv = (name: string, dims: 1 | 2, filters: number, kernel: number[], o: Partial<{ stride: number[]; padding: number[]; groups: number; activation: 'linear' | 'relu' | 'relu6'; useBias: boolean; inputs: string[] }> = {}): LayerSpec => ({
  kind: 'Conv', name, dims, filters, kernel, stride: o.stride ?? kernel.map(() => 1), padding: o.padding ?? kernel.map(() => 0), groups: o.groups ?? 1, useBias: o.useBias ?? true, activation: o.activation ?? 'linear', ...(o.inputs ? { inputs: o.inputs } : {}),
});
const dense = (name: string, units: number, activation: 'linear' | 'relu' | 'relu6' = 'linear'): LayerSpec => ({ kind: 'Dense', name, units, useBias: true, activation });
const input = (shape: number[]): LayerSpec => ({ kind: 'Input', name: 'input', shape });

/** The zoo: name → graph builder. Every kind of the layer emitter table appears at least once. */
export const zoo: Record<string, () => ModelGraph> = {
  conv1d: () => buildGraph('conv1d', [
    input([17, 3]),
    conv('conv1', 1, 5, [3], { padding: [1] }),
    { kind: 'ReLU', name: 'relu1' },
    { kind: 'MaxPool', name: 'pool1', dims: 1, pool: [2], stride: [2] },
    conv('conv2', 1, 4, [3], { stride: [2] }),
    { kind: 'ReLU6', name: 'relu2' },
    { kind: 'Flatten', name: 'flatten' },
    dense('fc', 6),
  ], 1),
  conv2d: () => buildGraph('conv2d', [
    input([9, 7, 2]),
    conv('conv1', 2, 6, [3, 3], { stride: [2, 1], padding: [1, 0] }),
    { kind: 'AvgPool', name: 'pool1', dims: 2, pool: [2, 2], stride: [2, 2] },
    { kind: 'Flatten', name: 'flatten' },
    dense('fc1', 5, 'relu'),
    { kind: 'Dropout', name: 'drop', rate: 0.2 },
    dense('fc2', 3),
  ], 2),
  depthwise: () => buildGraph('depthwise', [
    input([11, 10, 4]),
    conv('dw', 2, 4, [3, 3], { padding: [1, 1], groups: 4 }),
    { kind: 'ReLU', name: 'relu1' },
    conv('pw', 2, 8, [1, 1], { activation: 'relu6', useBias: false }),
    { kind: 'GlobalPool', name: 'gap', mode: 'avg' },
    dense('fc', 4),
  ], 3),
  // Depthwise and grouped convolutions off the easy path: channels not a multiple of four (SIMD groups plus
  // scalar tail), strides, an even tap count, a border on one axis only, groups of several channels.
  depthwise_grouped: () => buildGraph('depthwise_grouped', [
    input([7, 6, 6]),
    conv('dw1', 2, 6, [3, 3], { stride: [2, 1], padding: [1, 1], groups: 6, activation: 'relu' }),
    conv('pw1', 2, 16, [1, 1]),
    conv('gc', 2, 8, [3, 3], { padding: [1, 1], groups: 2, activation: 'relu' }),
    conv('dw2', 2, 8, [2, 2], { groups: 8 }),
    conv('dw3', 2, 8, [1, 3], { padding: [0, 1], groups: 8, activation: 'relu6' }),
    { kind: 'GlobalPool', name: 'gap', mode: 'avg' },
    dense('fc', 3),
  ], 9),
  // Grouped convolutions the SIMD path takes (whole input words per group, mostly interior windows).
  grouped: () => buildGraph('grouped', [
    input([8, 8, 8]),
    conv('gc1', 2, 8, [3, 3], { padding: [1, 1], groups: 2, activation: 'relu' }),
    conv('gc2', 2, 16, [3, 3], { groups: 2 }),
    { kind: 'GlobalPool', name: 'gap', mode: 'avg' },
    dense('fc', 3),
  ], 11),
  residual1d: () => buildGraph('residual1d', [
    input([16, 3]),
    conv('stem', 1, 4, [3], { padding: [1], activation: 'relu' }),
    conv('b_conv1', 1, 4, [3], { padding: [1] }),
    { kind: 'MaxPool', name: 'b_pool', dims: 1, pool: [2], stride: [2] },
    { kind: 'ReLU', name: 'b_relu' },
    conv('b_conv2', 1, 4, [3], { padding: [1] }),
    conv('b_short', 1, 4, [1], { inputs: ['stem'] }),
    { kind: 'MaxPool', name: 'b_spool', dims: 1, pool: [2], stride: [2] },
    { kind: 'Add', name: 'b_add', inputs: ['b_conv2', 'b_spool'], activation: 'linear' },
    { kind: 'ReLU', name: 'b_out' },
    { kind: 'GlobalPool', name: 'gmp', mode: 'max' },
    dense('fc', 3),
  ], 4),
  batchnorm2d: () => buildGraph('batchnorm2d', [
    input([8, 8, 4]),
    conv('conv1', 2, 6, [3, 3], { stride: [2, 2], padding: [1, 1], groups: 2 }),
    { kind: 'BatchNorm', name: 'bn1', epsilon: 1e-5, momentum: 0.1 },
    { kind: 'ReLU6', name: 'act1' },
    { kind: 'GlobalPool', name: 'gsp', mode: 'sum' },
    dense('fc', 3),
  ], 5),
  mlp: () => buildGraph('mlp', [
    input([13]),
    dense('fc1', 9, 'relu'),
    { kind: 'Dropout', name: 'drop', rate: 0.1 },
    dense('fc2', 7),
    { kind: 'ReLU6', name: 'act2' },
    dense('fc3', 4),
  ], 6),
  add3: () => buildGraph('add3', [
    input([12, 5]),
    conv('b', 1, 6, [5], { padding: [2] }),
    conv('c', 1, 6, [1], { inputs: ['input'] }),
    conv('input_proj', 1, 6, [1], { inputs: ['input'], activation: 'relu' }),
    { kind: 'Add', name: 'sum', inputs: ['b', 'c', 'input_proj'], activation: 'relu6' },
    { kind: 'AvgPool', name: 'pool', dims: 1, pool: [3], stride: [2] },
    { kind: 'Flatten', name: 'flatten' },
    dense('fc', 5),
  ], 7),
  // Three inputs in three formats (the graph input among them), then a conv over the joined channels.
  concat2d: () => buildGraph('concat2d', [
    input([6, 5, 3]),
    conv('a', 2, 4, [3, 3], { padding: [1, 1], activation: 'relu' }),
    conv('b', 2, 2, [1, 1], { inputs: ['input'] }),
    { kind: 'Concatenate', name: 'cat', inputs: ['a', 'input', 'b'] },
    conv('mix', 2, 5, [3, 3], { stride: [2, 2] }),
    { kind: 'GlobalPool', name: 'gap', mode: 'avg' },
    dense('fc', 3),
  ], 10),
  // 1-D channels, flat vectors (one read twice), and a Concatenate as the model's output.
  concat1d: () => buildGraph('concat1d', [
    input([9, 2]),
    conv('left', 1, 3, [3], { padding: [1], activation: 'relu6' }),
    { kind: 'MaxPool', name: 'pool', dims: 1, pool: [1], stride: [1], inputs: ['input'] },
    { kind: 'Concatenate', name: 'cat', inputs: ['left', 'pool'] },
    { kind: 'Flatten', name: 'flatten' },
    dense('fa', 4, 'relu'),
    { kind: 'Dense', name: 'fb', units: 3, useBias: true, activation: 'linear', inputs: ['flatten'] },
    { kind: 'Concatenate', name: 'joined', inputs: ['fa', 'fb'] },
    dense('fc', 3),
    { kind: 'Concatenate', name: 'out', inputs: ['fc', 'fb'] },
  ], 11),
};

/** A wide dot product: with 16-bit accumulators (Qualia's int8 default) its sums wrap around. */
// 3×3 stride-2 depthwise off the zoo (the other suites' models stay as they are): padding 1 on an odd and an
// even size, padding 0, a fused ReLU, channels not a multiple of four (zoo-parity and the QEMU depthwise test).
export const depthwiseStride2Model = () => buildGraph('depthwise_stride2', [
  input([9, 8, 5]),
  conv('dw1', 2, 5, [3, 3], { stride: [2, 2], padding: [1, 1], groups: 5, activation: 'relu' }),
  conv('dw2', 2, 5, [3, 3], { stride: [2, 2], groups: 5 }),
  { kind: 'Flatten', name: 'flat' },
  dense('fc', 3),
], 11);
// The int8 pointwise SIMD path (src/core/layers/conv/c-pointwise.ts) on every shape class it has: an odd pixel
// count (the single-pixel tail), small layers as straight blocks (filters × cin ≤ 1024), the filter loop
// (pw2), more than sixteen input groups (pw3: the expansion's loop of four words plus the rest), ReLU and linear.
export const pointwiseModel = () => buildGraph('pointwise', [
  input([3, 5, 8]),
  conv('pw1', 2, 32, [1, 1], { activation: 'relu' }),
  conv('pw2', 2, 72, [1, 1]),
  conv('pw3', 2, 16, [1, 1], { activation: 'relu' }),
  { kind: 'GlobalPool', name: 'gap', mode: 'avg' },
  dense('fc', 3),
], 13);
export const wideDenseModel = () => buildGraph('wide_dense', [input([96]), dense('fc1', 10, 'relu'), dense('fc2', 4)], 9);

/** A float-only model ending in Softmax. */
export const softmaxModel = () => buildGraph('softmax', [input([10]), dense('fc1', 8, 'relu'), dense('fc2', 5), { kind: 'Softmax', name: 'softmax' }], 8);

export function quantParams(bits: 8 | 16, roundtype: RoundMode, extra: Partial<QuantParams> = {}): QuantParams {
  return { bits, quantype: 'fxp', roundtype, range_setting: 'minmax', LSQ: false, ...extra } as QuantParams;
}

/** PTQ of a zoo graph on random calibration data. */
export function quantizeZooModel(graph: ModelGraph, bits: 8 | 16, roundtype: RoundMode, calibration: Float32Array, count: number, extra: Partial<QuantParams> = {}): QuantizedGraph {
  const lowered = lowerForDeployment(graph);
  const ranges = calibrate(lowered, { x: calibration, count });
  return quantizeGraph(lowered, ranges, resolveQuantizers(quantParams(bits, roundtype, extra), 'quant_params'));
}
