// The tfjs forward pass (inference mode) must equal the plain TypeScript float reference for every layer
// feature the model kinds use: 1-D and 2-D convs with odd sizes, strides, padding, groups and depthwise,
// BatchNorm, pools, global pools, Add, Flatten, Softmax.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/models/builder';
import type { ModelGraph } from '../../src/core/models/graph';
import { forwardFloat } from '../../src/core/models/reference-float';
import { modelKinds } from '../../src/core/models/registry';
import { sizeOf } from '../../src/core/models/shapes';
import { createRng } from '../../src/core/base/rng';
import { TfGraphModel } from '../../src/core/training/tf-model';
import { maxRelativeError, randomInput, randomizeBatchNorm, useBackend } from './helpers';

function parse<K extends keyof typeof modelKinds>(kind: K, params: Record<string, unknown>) {
  const issues: { message: string }[] = [];
  const value = modelKinds[kind].params.parse(params, 'params', issues as never);
  expect(issues).toEqual([]);
  return value as never;
}

function cases(): [string, ModelGraph][] {
  const rng = createRng(11);
  const grouped = new GraphBuilder('grouped', [9, 11, 4], rng.fork('g'));
  grouped.conv('c1', { dims: 2, filters: 6, kernel: [3, 2], stride: [2, 1], padding: [1, 0], groups: 2 });
  grouped.batchNorm('bn1');
  grouped.relu('r1');
  grouped.conv('dw', { dims: 2, filters: 12, kernel: 3, stride: 2, padding: 1, groups: 6 });
  grouped.pool('AvgPool', 'ap', 2, [2, 1]);
  grouped.globalPool('gp', 'avg');
  grouped.dense('fc', 5);
  const soft = new GraphBuilder('soft', [13, 3], rng.fork('s'));
  const c = soft.conv('c1', { dims: 1, filters: 4, kernel: 4, stride: 3, padding: 2 });
  const d = soft.conv('c2', { dims: 1, filters: 4, kernel: 1, input: 'input', stride: 3 });
  soft.add('sum', [c, d], 'relu');
  soft.globalPool('gmax', 'max');
  soft.dense('fc', 3);
  const softGraph = soft.finish();
  softGraph.layers.push({ kind: 'Softmax', name: 'softmax', inputs: ['fc'] });
  softGraph.shapes = {};
  const gsum = new GraphBuilder('gsum', [7, 5, 2], rng.fork('gs'));
  gsum.conv('c1', { dims: 2, filters: 3, kernel: [2, 3], padding: [0, 1] });
  gsum.globalPool('gsp', 'sum');
  return [
    ['MLP', modelKinds.MLP.build(parse('MLP', { units: [10, 7] }), [6, 3], 4, 'mlp', { rng: rng.fork('mlp') })],
    ['CNN 1-D bn prepool', randomizeBatchNorm(modelKinds.CNN.build(parse('CNN', { filters: [5, 6], kernel_sizes: [3, 4], paddings: [1, 0], strides: [1, 2], dropouts: [0.1, 0, 0.2], pool_sizes: [2, 0], fc_units: [9], batch_norm: true, prepool: 2 }), [41, 3], 5, 'cnn1', { rng: rng.fork('a') }))],
    ['CNN 2-D separable gsp', randomizeBatchNorm(modelKinds.CNN.build(parse('CNN', { filters: [3, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], dropouts: 0, pool_sizes: [2, 0], fc_units: [], separables: [false, true], batch_norm: true, gsp: true, dims: 2 }), [11, 9, 2], 4, 'cnn2', { rng: rng.fork('b') }))],
    ['CNN 2-D postpool fc', modelKinds.CNN.build(parse('CNN', { filters: [4], kernel_sizes: [[3, 2]], paddings: [[1, 0]], strides: [1], dropouts: 0, pool_sizes: [[1, 2]], fc_units: [6], postpool: 2, dims: 2 }), [10, 9, 1], 3, 'cnn3', { rng: rng.fork('c') })],
    ['ResNet 1-D (UCI-HAR v1-8)', modelKinds.ResNet.build(parse('ResNet', { filters: [8, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], num_blocks: [2] }), [128, 9], 6, 'resnet', { rng: rng.fork('d') })],
    ['ResNet 2-D bn avg', randomizeBatchNorm(modelKinds.ResNet.build(parse('ResNet', { filters: [4, 6, 8], kernel_sizes: [3, 3, 3], paddings: [1, 1, 1], strides: [1, 2, 2], num_blocks: [1, 1], batch_norm: true, postpool: 'avg', dims: 2, prepool: 2 }), [18, 14, 3], 5, 'resnet2', { rng: rng.fork('e') }))],
    ['ResNetStride sum', modelKinds.ResNetStride.build(parse('ResNetStride', { filters: [4, 8], kernel_sizes: [5, 3], pool_sizes: [2, 1], paddings: [2, 1], strides: [1, 2], num_blocks: [2], postpool: 'sum' }), [33, 2], 4, 'rs', { rng: rng.fork('f') })],
    ['ResNetStride max', modelKinds.ResNetStride.build(parse('ResNetStride', { filters: [4, 8], kernel_sizes: [3, 3], pool_sizes: [1, 2], paddings: [1, 1], strides: [1, 2], num_blocks: [1] }), [32, 2], 4, 'rsm', { rng: rng.fork('h') })],
    ['grouped + depthwise', grouped.finish()],
    ['1-D strided Add + Softmax', softGraph],
    ['global sum pool', gsum.finish()],
  ];
}

describe.each(['cpu', 'wasm'] as const)('tfjs forward on %s equals the float reference', (backend) => {
  it.each(cases())('%s', async (_label, graph) => {
    await useBackend(backend);
    const batch = 3;
    const inputShape = (graph.layers[0] as { shape: number[] }).shape;
    const x = randomInput(batch * sizeOf(inputShape));
    const expected = forwardFloat(graph, { data: x, batch });
    const model = await TfGraphModel.create(graph);
    const out = tf.tidy(() => model.forward(model.inputTensor(x, batch), { training: false, withSoftmax: true }));
    const actual = out.dataSync();
    expect(out.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual, expected.output)).toBeLessThan(1e-5);
    out.dispose();
    model.dispose();
  });
});

describe('BatchNorm in training mode', () => {
  it.each(['cpu', 'wasm'] as const)('its analytic gradient equals autograd of the textbook formula (%s)', async (backend) => {
    await useBackend(backend);
    // On wasm this is Mote's one-pass BatchNorm (heap kernels); on cpu the tfjs-op version.
    expect(tf.getKernel('MoteChannelMoments', backend) !== undefined).toBe(backend === 'wasm');
    const g = new GraphBuilder('bn', [5, 4, 3], createRng(1));
    g.batchNorm('bn', { epsilon: 1e-3, momentum: 0.2 });
    const graph = randomizeBatchNorm(g.finish());
    const model = await TfGraphModel.create(graph);
    const x = model.inputTensor(randomInput(2 * 60, 9), 2);
    const upstream = tf.tensor(randomInput(2 * 60, 10), [2, 5, 4, 3]);
    const gamma = model.variables['bn/gamma'];
    const beta = model.variables['bn/beta'];
    const ours = tf.grads((xi: tf.Tensor) => tf.sum(tf.mul(model.forward(xi, { training: true }), tf.reshape(upstream, [2, 60]))))([x])[0];
    model.discardStatUpdates();
    const reference = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const mean = tf.mean(xi, [0, 1, 2]);
      const variance = tf.mean(tf.square(tf.sub(xi, mean)), [0, 1, 2]);
      return tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(xi, mean), tf.sqrt(tf.add(variance, 1e-3))), gi), bi), upstream));
    };
    const [dx, dGamma, dBeta] = tf.grads(reference)([x, gamma, beta]);
    expect(maxRelativeError(ours.dataSync(), dx.dataSync())).toBeLessThan(1e-4);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(x, { training: true }), tf.reshape(upstream, [2, 60]))) as tf.Scalar, [gamma, beta]);
    expect(maxRelativeError(grads[gamma.name].dataSync(), dGamma.dataSync())).toBeLessThan(1e-4);
    expect(maxRelativeError(grads[beta.name].dataSync(), dBeta.dataSync())).toBeLessThan(1e-4);
    // Moving statistics: (1 − m)·running + m·batch, batch variance unbiased (n = 40 per channel).
    const batchMean = tf.mean(x, [0, 1, 2]).dataSync();
    const batchVariance = tf.mean(tf.square(tf.sub(x, tf.mean(x, [0, 1, 2]))), [0, 1, 2]).dataSync();
    const before = Array.from(model.variables['bn/mean'].dataSync());
    const beforeVariance = Array.from(model.variables['bn/variance'].dataSync());
    model.applyStatUpdates();
    const after = model.variables['bn/mean'].dataSync();
    after.forEach((v, c) => expect(v).toBeCloseTo(0.8 * before[c] + 0.2 * batchMean[c], 5));
    const afterVariance = model.variables['bn/variance'].dataSync();
    afterVariance.forEach((v, c) => expect(v).toBeCloseTo(0.8 * beforeVariance[c] + 0.2 * batchVariance[c] * (40 / 39), 5));
    model.dispose();
  });
});
