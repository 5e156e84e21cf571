// Quantization-aware fine-tuning (Qualia's QAT epochs): the lowered graph runs in the tfjs interpreter the
// trainer uses (training/tf-model.ts) with every quantized tensor fake-quantized — round(x·2^n) saturated
// to the b-bit range, divided back by 2^n — and a straight-through gradient (identity). Activation ranges keep Qualia's running max |x| over the training
// batches (starting from the PTQ calibration); weight formats follow the current weights each step.
// Optimizers come from the training area (torch.optim rules). The result is a float graph with fine-tuned
// weights and the final ranges, which `quantizeGraph` then turns into the QuantizedGraph.

import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../base/rng';
import { fractionalBits, rangeOf, type RoundMode } from '../layers/shared/fixed-point';
import type { ModelGraph } from '../models/graph';
import { cloneGraph } from '../models/serialize';
import { sizeOf } from '../models/shapes';
import { selectBackend, type BackendOptions } from '../training/backend';
import { TfGraphModel, type ForwardQuantization } from '../training/tf-model';
import { createOptimizer } from '../training/train';
import type { CalibrationRanges } from './quantized-graph';
import type { ResolvedQuantParams } from './quant-params';

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

/**
 * The quantization hook of the tfjs interpreter. `calibrate`: float values, ranges updated (running max);
 * `train`: fake-quantized, ranges updated.
 */
function quantizationHook(quant: ResolvedQuantParams, ranges: CalibrationRanges, mode: 'calibrate' | 'train'): ForwardQuantization {
  const bits = quant.act.bits;
  return {
    /** Kernel and bias as used by the integer model: fake-quantized with their own formats. */
    params(kernel, bias) {
      if (mode === 'calibrate') return [kernel, bias];
      const separate = quant.bias !== undefined && bias !== undefined;
      const kMax = maxAbs(kernel);
      const bMax = bias ? maxAbs(bias) : 0;
      const wFrac = fractionalBits(separate ? kMax : Math.max(kMax, bMax), bits, quant.w.forceQ);
      const bFrac = separate ? fractionalBits(bMax, bits, quant.bias!.forceQ) : wFrac;
      return [fakeQuant(kernel, wFrac, bits, quant.w.round), bias ? fakeQuant(bias, bFrac, bits, separate ? quant.bias!.round : quant.w.round) : undefined];
    },
    observe(layer, value, isInput) {
      if (isInput) {
        ranges.input = Math.max(ranges.input, maxAbs(value));
        return mode === 'calibrate' ? value : fakeQuant(value, fractionalBits(ranges.input, bits, quant.input.forceQ), bits, quant.input.round);
      }
      ranges.outputs[layer] = Math.max(ranges.outputs[layer] ?? 0, maxAbs(value));
      return mode === 'calibrate' ? value : fakeQuant(value, fractionalBits(ranges.outputs[layer], bits, quant.act.forceQ), bits, quant.act.round);
    },
  };
}

/**
 * PTQ calibration in tfjs (Qualia's calibration epoch): running max |x| of the input and of every
 * quantized layer output over `data`, in inference semantics. Much faster than the plain-TypeScript
 * `calibrate` on image-sized models; the ranges agree with it up to float32 rounding.
 */
export async function calibrateTf(graph: ModelGraph, quant: ResolvedQuantParams, data: { x: Float32Array | Uint8Array; count: number }, options: { batchSize?: number; backend?: BackendOptions; onProgress?: (done: number, total: number) => void } = {}): Promise<CalibrationRanges> {
  await selectBackend(options.backend);
  const ranges: CalibrationRanges = { input: 0, outputs: {} };
  for (const layer of graph.layers.slice(1)) ranges.outputs[layer.name] = 0;
  const model = await TfGraphModel.create(graph);
  const quantization = quantizationHook(quant, ranges, 'calibrate');
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const batchSize = options.batchSize ?? 256;
  try {
    for (let start = 0; start < data.count; start += batchSize) {
      const n = Math.min(batchSize, data.count - start);
      const slice = data.x.subarray(start * inputSize, (start + n) * inputSize);
      tf.tidy(() => { model.forward(model.inputTensor(slice instanceof Float32Array ? slice : Float32Array.from(slice), n), { training: false, quantization }); });
      options.onProgress?.(start + n, data.count);
    }
  } finally {
    model.dispose();
  }
  return ranges;
}

export async function quantizationAwareTraining(graph: ModelGraph, quant: ResolvedQuantParams, initial: CalibrationRanges, train: { x: Float32Array | Uint8Array; labels: Int32Array; count: number }, options: QatOptions): Promise<QatResult> {
  await selectBackend(options.backend);
  const ranges: CalibrationRanges = { input: initial.input, outputs: { ...initial.outputs } };
  const optimizer = createOptimizer(options.optimizer ?? { kind: 'Adam', params: {} }, 'QAT optimizer');

  const model = await TfGraphModel.create(graph);
  const quantization = quantizationHook(quant, ranges, 'train');
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const classes = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const rng = createRng(options.seed).fork('qat');
  const order = Array.from({ length: train.count }, (_, i) => i);
  const losses: number[] = [];
  const trainVars = model.trainable();
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
        const x = model.inputTensor(xb, n);
        const y = tf.oneHot(tf.tensor1d(yb, 'int32'), classes);
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: false, quantization })) as tf.Scalar, trainVars);
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
  out.weights = await model.readWeights();
  model.dispose();
  optimizer.dispose();
  return { graph: out, ranges, losses };
}
