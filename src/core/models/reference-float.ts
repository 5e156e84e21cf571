// Plain TypeScript float forward pass over a ModelGraph (inference semantics: BatchNorm uses its moving
// statistics, Dropout is the identity). It is the float reference the tfjs trainer, the quantizer and the
// generated float32 C are checked against, so it favours obvious loops over speed. Sums are accumulated
// in double precision and stored as float32 per layer.

import type { Activation, Layer, ModelGraph } from './graph';
import { ModelGraphError, inferShapes, sizeOf } from './shapes';

export interface FloatBatch {
  /** `batch` samples back to back, each channels_last with the graph's input shape. */
  data: Float32Array;
  batch: number;
}

export interface FloatForwardResult {
  /** The last layer's output, [batch, ...outputShape] flattened. */
  output: Float32Array;
  shape: number[];
  /** Every layer's output by name, when asked with `keepActivations`. */
  activations?: Record<string, Float32Array>;
}

function activate(value: number, activation: Activation): number {
  if (activation === 'relu') return value > 0 ? value : 0;
  if (activation === 'relu6') return value < 0 ? 0 : value > 6 ? 6 : value;
  return value;
}

/** Spatial dims of a channels_last shape as [h, w] (1-D layers are h = 1). */
function asImage(shape: readonly number[]): [number, number, number] {
  return shape.length === 2 ? [1, shape[0], shape[1]] : [shape[0], shape[1], shape[2]];
}

function conv(layer: Extract<Layer, { kind: 'Conv' }>, graph: ModelGraph, x: Float32Array, inShape: number[], outShape: number[]): Float32Array {
  const [h, w, cin] = asImage(inShape);
  const [oh, ow, filters] = asImage(outShape);
  const two = layer.dims === 2;
  const [kh, kw] = two ? layer.kernel : [1, layer.kernel[0]];
  const [sh, sw] = two ? layer.stride : [1, layer.stride[0]];
  const [ph, pw] = two ? layer.padding : [0, layer.padding[0]];
  const kernel = graph.weights[`${layer.name}/kernel`].data;
  const bias = layer.useBias ? graph.weights[`${layer.name}/bias`].data : undefined;
  const cinPerGroup = cin / layer.groups;
  const filtersPerGroup = filters / layer.groups;
  const out = new Float32Array(oh * ow * filters);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let f = 0; f < filters; f++) {
        const c0 = Math.floor(f / filtersPerGroup) * cinPerGroup;
        let sum = bias ? bias[f] : 0;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= w) continue;
            const xBase = (y * w + xx) * cin + c0;
            const kBase = (i * kw + j) * cinPerGroup * filters + f;
            for (let c = 0; c < cinPerGroup; c++) sum += x[xBase + c] * kernel[kBase + c * filters];
          }
        }
        out[(oy * ow + ox) * filters + f] = activate(sum, layer.activation);
      }
    }
  }
  return out;
}

function pool(layer: Extract<Layer, { kind: 'MaxPool' | 'AvgPool' }>, x: Float32Array, inShape: number[], outShape: number[]): Float32Array {
  const [, w, c] = asImage(inShape);
  const [oh, ow] = asImage(outShape);
  const two = layer.dims === 2;
  const [kh, kw] = two ? layer.pool : [1, layer.pool[0]];
  const [sh, sw] = two ? layer.stride : [1, layer.stride[0]];
  const out = new Float32Array(oh * ow * c);
  const isMax = layer.kind === 'MaxPool';
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = isMax ? -Infinity : 0;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const v = x[((oy * sh + i) * w + ox * sw + j) * c + ch];
            acc = isMax ? (v > acc ? v : acc) : acc + v;
          }
        }
        out[(oy * ow + ox) * c + ch] = isMax ? acc : acc / (kh * kw);
      }
    }
  }
  return out;
}

function runLayer(layer: Layer, graph: ModelGraph, inputs: Float32Array[], inShape: number[], outShape: number[]): Float32Array {
  const x = inputs[0];
  switch (layer.kind) {
    case 'Input':
      return x;
    case 'Conv':
      return conv(layer, graph, x, inShape, outShape);
    case 'Dense': {
      const kernel = graph.weights[`${layer.name}/kernel`].data;
      const bias = layer.useBias ? graph.weights[`${layer.name}/bias`].data : undefined;
      const n = inShape[0];
      const out = new Float32Array(layer.units);
      for (let u = 0; u < layer.units; u++) {
        let sum = bias ? bias[u] : 0;
        for (let i = 0; i < n; i++) sum += x[i] * kernel[i * layer.units + u];
        out[u] = activate(sum, layer.activation);
      }
      return out;
    }
    case 'BatchNorm': {
      const w = (role: string) => graph.weights[`${layer.name}/${role}`].data;
      const [gamma, beta, mean, variance] = [w('gamma'), w('beta'), w('mean'), w('variance')];
      const c = gamma.length;
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const ch = i % c;
        out[i] = ((x[i] - mean[ch]) / Math.sqrt(variance[ch] + layer.epsilon)) * gamma[ch] + beta[ch];
      }
      return out;
    }
    case 'ReLU':
      return x.map((v) => activate(v, 'relu'));
    case 'ReLU6':
      return x.map((v) => activate(v, 'relu6'));
    case 'MaxPool':
    case 'AvgPool':
      return pool(layer, x, inShape, outShape);
    case 'GlobalPool': {
      const c = inShape[inShape.length - 1];
      const positions = x.length / c;
      const out = new Float32Array(c);
      for (let ch = 0; ch < c; ch++) {
        let acc = layer.mode === 'max' ? -Infinity : 0;
        for (let p = 0; p < positions; p++) {
          const v = x[p * c + ch];
          acc = layer.mode === 'max' ? Math.max(acc, v) : acc + v;
        }
        out[ch] = layer.mode === 'avg' ? acc / positions : acc;
      }
      return out;
    }
    case 'Add': {
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        let sum = 0;
        for (const input of inputs) sum += input[i];
        out[i] = activate(sum, layer.activation);
      }
      return out;
    }
    case 'Flatten':
    case 'Dropout':
      return x;
    case 'Softmax': {
      let max = -Infinity;
      for (const v of x) max = Math.max(max, v);
      let total = 0;
      const exps = Array.from(x, (v) => { const e = Math.exp(v - max); total += e; return e; });
      return Float32Array.from(exps, (e) => e / total);
    }
  }
}

/** Runs the graph on a batch of inputs. */
export function forwardFloat(graph: ModelGraph, batch: FloatBatch, options: { keepActivations?: boolean } = {}): FloatForwardResult {
  if (Object.keys(graph.shapes).length !== graph.layers.length) inferShapes(graph);
  const inputLayer = graph.layers[0];
  const inputSize = sizeOf(graph.shapes[inputLayer.name]);
  if (batch.data.length !== inputSize * batch.batch) {
    throw new ModelGraphError(`model '${graph.name}': the input batch holds ${batch.data.length} values, expected ${batch.batch} × ${inputSize} (shape [${graph.shapes[inputLayer.name].join(', ')}])`);
  }
  const last = graph.layers[graph.layers.length - 1];
  const outShape = graph.shapes[last.name];
  const outSize = sizeOf(outShape);
  const output = new Float32Array(outSize * batch.batch);
  const activations: Record<string, Float32Array> | undefined = options.keepActivations ? {} : undefined;
  if (activations) for (const layer of graph.layers) activations[layer.name] = new Float32Array(sizeOf(graph.shapes[layer.name]) * batch.batch);
  for (let b = 0; b < batch.batch; b++) {
    const values = new Map<string, Float32Array>();
    for (const layer of graph.layers) {
      const inputs = layer.kind === 'Input' ? [batch.data.subarray(b * inputSize, (b + 1) * inputSize)] : layer.inputs.map((name) => values.get(name)!);
      const inShape = layer.kind === 'Input' ? graph.shapes[layer.name] : graph.shapes[layer.inputs[0]];
      const result = Float32Array.from(runLayer(layer, graph, inputs, inShape, graph.shapes[layer.name]));
      values.set(layer.name, result);
      if (activations) activations[layer.name].set(result, b * result.length);
    }
    output.set(values.get(last.name)!, b * outSize);
  }
  return { output, shape: [batch.batch, ...outShape], activations };
}
