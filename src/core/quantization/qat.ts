// Quantization-aware fine-tuning (Qualia's QAT epochs): the lowered graph runs in tfjs with every
// quantized tensor fake-quantized — round(x·2^n) saturated to the b-bit range, divided back by 2^n — and a
// straight-through gradient (identity). Activation ranges keep Qualia's running max |x| over the training
// batches (starting from the PTQ calibration); weight formats follow the current weights each step.
// Optimizers come from the training area (torch.optim rules). The result is a float graph with fine-tuned
// weights and the final ranges, which `quantizeGraph` then turns into the QuantizedGraph.

import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedError } from '../base/errors';
import type { Layer, ModelGraph } from '../models/graph';
import { cloneGraph } from '../models/serialize';
import { sizeOf } from '../models/shapes';
import { createRng } from '../base/rng';
import { selectBackend, type BackendOptions } from '../training/backend';
import { createOptimizer } from '../training/train';
import { fractionalBits, rangeOf } from './fixed-point';
import type { CalibrationRanges } from './quantized-graph';
import type { ResolvedQuantParams, RoundMode } from './quant-params';

export interface QatOptions {
  epochs: number;
  batchSize: number;
  /** torch.optim kind + params (QAT `optimizer` merged over the model's); default Adam(lr = 1e-3). */
  optimizer?: { kind: string; params?: Record<string, unknown> };
  seed: number;
  backend?: BackendOptions;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface QatResult {
  graph: ModelGraph;
  ranges: CalibrationRanges;
  /** Mean training loss of each epoch. */
  losses: number[];
}


function fakeQuant(x: tf.Tensor, frac: number, bits: number, round: RoundMode): tf.Tensor {
  const { min, max } = rangeOf(bits);
  const scale = 2 ** frac;
  const op = tf.customGrad(((input: tf.Tensor) => {
    const scaled = tf.mul(input, scale);
    const rounded = round === 'nearest' ? tf.floor(tf.add(scaled, 0.5)) : round === 'floor' ? tf.floor(scaled) : tf.ceil(scaled);
    return { value: tf.div(tf.clipByValue(rounded, min, max), scale), gradFunc: (dy: tf.Tensor) => dy };
  }) as never) as (x: tf.Tensor) => tf.Tensor;
  return op(x);
}

function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
}

/** [N, h, w, c] internal layout: 1-D tensors run as h = 1. */
function toInternal(shape: number[]): number[] {
  return shape.length === 2 ? [1, shape[0], shape[1]] : shape;
}

type ForwardMode = 'calibrate' | 'train' | 'eval';

/**
 * The lowered graph as a tfjs function. `calibrate`: float values, ranges updated (running max);
 * `train`: fake-quantized, ranges updated; `eval`: fake-quantized with frozen ranges.
 */
function buildForward(graph: ModelGraph, quant: ResolvedQuantParams, ranges: CalibrationRanges, variables: Record<string, tf.Variable>): (x: tf.Tensor, mode: ForwardMode) => tf.Tensor {
  const bits = quant.act.bits;
  let mode: ForwardMode = 'eval';
  const w = (layer: Layer, role: string) => variables[`${layer.name}/${role}`];

  /** Kernel and bias as used by the integer model: fake-quantized with their own formats. */
  const quantizedParams = (kernel: tf.Tensor, bias: tf.Tensor | undefined): [tf.Tensor, tf.Tensor | undefined] => {
    if (mode === 'calibrate') return [kernel, bias];
    const separate = quant.bias !== undefined && bias !== undefined;
    const kMax = maxAbs(kernel);
    const bMax = bias ? maxAbs(bias) : 0;
    const wFrac = fractionalBits(separate ? kMax : Math.max(kMax, bMax), bits, quant.w.forceQ);
    const bFrac = separate ? fractionalBits(bMax, bits, quant.bias!.forceQ) : wFrac;
    return [fakeQuant(kernel, wFrac, bits, quant.w.round), bias ? fakeQuant(bias, bFrac, bits, separate ? quant.bias!.round : quant.w.round) : undefined];
  };

  const activate = (x: tf.Tensor, activation: string) => (activation === 'relu' ? tf.relu(x) : activation === 'relu6' ? tf.relu6(x) : x);

  return (x: tf.Tensor, forwardMode: ForwardMode): tf.Tensor => {
    mode = forwardMode;
    const values = new Map<string, tf.Tensor>();
    const observe = (name: string, t: tf.Tensor) => {
      if (mode !== 'eval') ranges.outputs[name] = Math.max(ranges.outputs[name] ?? 0, maxAbs(t));
      if (mode === 'calibrate') return t;
      return fakeQuant(t, fractionalBits(ranges.outputs[name], bits, quant.act.forceQ), bits, quant.act.round);
    };
    for (const layer of graph.layers) {
      if (layer.kind === 'Input') {
        if (mode !== 'eval') ranges.input = Math.max(ranges.input, maxAbs(x));
        values.set(layer.name, mode === 'calibrate' ? x : fakeQuant(x, fractionalBits(ranges.input, bits, quant.input.forceQ), bits, quant.input.round));
        continue;
      }
      const inputs = layer.inputs.map((n) => values.get(n)!);
      const input = inputs[0];
      let out: tf.Tensor;
      switch (layer.kind) {
        case 'Conv': {
          const cin = input.shape[3]!;
          const two = layer.dims === 2;
          const [kh, kw] = two ? layer.kernel : [1, layer.kernel[0]];
          const [sh, sw] = two ? layer.stride : [1, layer.stride[0]];
          const [ph, pw] = two ? layer.padding : [0, layer.padding[0]];
          const [kernel, bias] = quantizedParams(w(layer, 'kernel'), layer.useBias ? w(layer, 'bias') : undefined);
          const k4 = tf.reshape(kernel, [kh, kw, cin / layer.groups, layer.filters]) as tf.Tensor4D;
          const padded = (ph || pw ? tf.pad(input, [[0, 0], [ph, ph], [pw, pw], [0, 0]]) : input) as tf.Tensor4D;
          if (layer.groups === 1) out = tf.conv2d(padded, k4, [sh, sw], 'valid');
          else if (layer.groups === cin) out = tf.depthwiseConv2d(padded, tf.reshape(k4, [kh, kw, cin, layer.filters / cin]) as tf.Tensor4D, [sh, sw], 'valid');
          else {
            const xs = tf.split(padded, layer.groups, 3);
            const ks = tf.split(k4, layer.groups, 3);
            out = tf.concat(xs.map((part, g) => tf.conv2d(part as tf.Tensor4D, ks[g] as tf.Tensor4D, [sh, sw], 'valid')), 3);
          }
          if (bias) out = tf.add(out, bias);
          out = observe(layer.name, activate(out, layer.activation));
          break;
        }
        case 'Dense': {
          const [kernel, bias] = quantizedParams(w(layer, 'kernel'), layer.useBias ? w(layer, 'bias') : undefined);
          out = tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D);
          if (bias) out = tf.add(out, bias);
          out = observe(layer.name, activate(out, layer.activation));
          break;
        }
        case 'BatchNorm': {
          const scale = tf.div(w(layer, 'gamma'), tf.sqrt(tf.add(w(layer, 'variance'), layer.epsilon)));
          const shift = tf.sub(w(layer, 'beta'), tf.mul(w(layer, 'mean'), scale));
          const [kernel, bias] = quantizedParams(scale, shift);
          out = observe(layer.name, tf.add(tf.mul(input, kernel), bias!));
          break;
        }
        case 'ReLU': out = tf.relu(input); break;
        case 'ReLU6': out = tf.relu6(input); break;
        case 'MaxPool':
        case 'AvgPool': {
          const two = layer.dims === 2;
          const pool: [number, number] = two ? [layer.pool[0], layer.pool[1]] : [1, layer.pool[0]];
          const stride: [number, number] = two ? [layer.stride[0], layer.stride[1]] : [1, layer.stride[0]];
          out = layer.kind === 'MaxPool' ? tf.maxPool(input as tf.Tensor4D, pool, stride, 'valid') : tf.avgPool(input as tf.Tensor4D, pool, stride, 'valid');
          break;
        }
        case 'GlobalPool':
          out = layer.mode === 'max' ? tf.max(input, [1, 2]) : layer.mode === 'avg' ? tf.mean(input, [1, 2]) : observe(layer.name, tf.sum(input, [1, 2]));
          break;
        case 'Add':
          out = observe(layer.name, activate(tf.addN(inputs), layer.activation));
          break;
        case 'Flatten':
          out = tf.reshape(input, [input.shape[0], -1]);
          break;
        default:
          throw new UnsupportedError(`layer '${layer.name}' (${layer.kind}) is not supported by the tfjs quantization forward (calibration and QAT)`);
      }
      values.set(layer.name, out);
    }
    const last = values.get(graph.layers[graph.layers.length - 1].name)!;
    return last.rank === 2 ? last : tf.reshape(last, [last.shape[0], -1]);
  };
}

function createVariables(graph: ModelGraph, trainable: boolean): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  const tag = Math.random().toString(36).slice(2, 8);
  for (const [key, tensor] of Object.entries(graph.weights)) {
    const role = key.slice(key.lastIndexOf('/') + 1);
    variables[key] = tf.variable(tf.tensor(tensor.data, tensor.shape), trainable && role !== 'mean' && role !== 'variance', `q_${key.replace(/\W/g, '_')}_${tag}`);
  }
  return variables;
}

/**
 * PTQ calibration in tfjs (Qualia's calibration epoch): running max |x| of the input and of every
 * quantized layer output over `data`, in inference semantics. Much faster than the plain-TypeScript
 * `calibrate` on image-sized models; the ranges agree with it up to float32 rounding.
 */
export async function calibrateTf(graph: ModelGraph, quant: ResolvedQuantParams, data: { x: Float32Array | Uint8Array; count: number }, options: { batchSize?: number; backend?: BackendOptions; onProgress?: (done: number, total: number) => void } = {}): Promise<CalibrationRanges> {
  await selectBackend(options.backend);
  const ranges: CalibrationRanges = { input: 0, outputs: {} };
  for (const layer of graph.layers) if (layer.kind !== 'Input') ranges.outputs[layer.name] = 0;
  const variables = createVariables(graph, false);
  const forward = buildForward(graph, quant, ranges, variables);
  const inputShape = graph.shapes[graph.layers[0].name];
  const inputSize = sizeOf(inputShape);
  const batchSize = options.batchSize ?? 256;
  try {
    for (let start = 0; start < data.count; start += batchSize) {
      const n = Math.min(batchSize, data.count - start);
      const slice = data.x.subarray(start * inputSize, (start + n) * inputSize);
      tf.tidy(() => { forward(tf.tensor(slice instanceof Float32Array ? slice : Float32Array.from(slice), [n, ...toInternal(inputShape)]), 'calibrate'); });
      options.onProgress?.(start + n, data.count);
    }
  } finally {
    for (const v of Object.values(variables)) v.dispose();
  }
  return ranges;
}

export async function quantizationAwareTraining(graph: ModelGraph, quant: ResolvedQuantParams, initial: CalibrationRanges, train: { x: Float32Array | Uint8Array; labels: Int32Array; count: number }, options: QatOptions): Promise<QatResult> {
  await selectBackend(options.backend);
  const ranges: CalibrationRanges = { input: initial.input, outputs: { ...initial.outputs } };
  const optimizer = createOptimizer(options.optimizer ?? { kind: 'Adam', params: {} }, 'QAT optimizer');

  const variables = createVariables(graph, true);
  const forward = buildForward(graph, quant, ranges, variables);
  const inputShape = graph.shapes[graph.layers[0].name];
  const inputSize = sizeOf(inputShape);
  const classes = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const rng = createRng(options.seed).fork('qat');
  const order = Array.from({ length: train.count }, (_, i) => i);
  const losses: number[] = [];
  const trainVars = Object.values(variables).filter((v) => v.trainable);
  const steps = Math.ceil(train.count / options.batchSize);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    rng.shuffle(order);
    let total = 0;
    for (let s = 0; s < steps; s++) {
      const batchIndices = order.slice(s * options.batchSize, (s + 1) * options.batchSize);
      const n = batchIndices.length;
      const xb = new Float32Array(n * inputSize);
      const yb = new Int32Array(n);
      batchIndices.forEach((sample, i) => {
        xb.set(train.x.subarray(sample * inputSize, (sample + 1) * inputSize), i * inputSize);
        yb[i] = train.labels[sample];
      });
      const loss = tf.tidy(() => {
        const x = tf.tensor(xb, [n, ...toInternal(inputShape)]);
        const y = tf.oneHot(tf.tensor1d(yb, 'int32'), classes);
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(x, 'train')) as tf.Scalar, trainVars);
        optimizer.step(trainVars, grads, optimizer.baseLr);
        return value.dataSync()[0];
      });
      total += loss * n;
      options.onProgress?.(epoch * steps + s + 1, options.epochs * steps);
    }
    losses.push(total / train.count);
    options.log?.(`QAT epoch ${epoch + 1}/${options.epochs}: loss ${losses[losses.length - 1].toFixed(4)}`);
  }
  const out = cloneGraph(graph);
  for (const [key, variable] of Object.entries(variables)) {
    out.weights[key] = { shape: [...graph.weights[key].shape], data: Float32Array.from(variable.dataSync()) };
    variable.dispose();
  }
  optimizer.dispose();
  return { graph: out, ranges, losses };
}
