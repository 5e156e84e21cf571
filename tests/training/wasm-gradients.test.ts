// Mote's wasm kernels for Conv2DBackpropFilter and the depthwise gradients must give the cpu backend's
// gradients (the cpu backend has its own native kernels for them).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { currentBackend } from '../../src/core/training/backend';
import { registerMissingGradientKernels, withOriginalKernels } from '../../src/core/training/wasm-gradients';
import { maxRelativeError, randomInput, useBackend } from './helpers';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case { label: string; x: number[]; filter: number[]; stride: [number, number]; pad: Pad; depthwise?: boolean }

const cases: Case[] = [
  { label: 'conv 3×3 stride 1 explicit pad', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], stride: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { label: 'conv 1-D as 1×5 stride 2', x: [3, 1, 17, 2], filter: [1, 5, 2, 3], stride: [1, 2], pad: [[0, 0], [0, 0], [2, 2], [0, 0]] },
  { label: 'conv 2×3 stride (2,3) valid, odd sizes', x: [2, 9, 11, 3], filter: [2, 3, 3, 5], stride: [2, 3], pad: 'valid' },
  { label: 'conv 1×1 with padding 1 (the original input-gradient kernel)', x: [2, 5, 5, 2], filter: [1, 1, 2, 3], stride: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { label: 'conv 1-D k3 stride 2 odd length', x: [2, 1, 16, 3], filter: [1, 3, 3, 4], stride: [1, 2], pad: [[0, 0], [0, 0], [1, 1], [0, 0]] },
  { label: 'conv same padding', x: [1, 8, 8, 2], filter: [3, 3, 2, 2], stride: [2, 2], pad: 'same' },
  { label: 'first layer: 1 channel, 3×3, 16 filters, pad 1 (direct filter-gradient kernel)', x: [3, 9, 8, 1], filter: [3, 3, 1, 16], stride: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { label: 'first layer: 1 channel, 2×3, 32 filters, stride 2, same, odd sizes', x: [2, 11, 7, 1], filter: [2, 3, 1, 32], stride: [2, 2], pad: 'same' },
  { label: 'conv 5 channels, 3×1, stride (1,2), pad 2', x: [2, 6, 9, 5], filter: [3, 1, 5, 6], stride: [1, 2], pad: [[0, 0], [2, 2], [2, 2], [0, 0]] },
  { label: 'depthwise 3×3 stride 1', x: [2, 6, 7, 3], filter: [3, 3, 3, 1], stride: [1, 1], pad: [[0, 0], [1, 1], [1, 1], [0, 0]], depthwise: true },
  { label: 'depthwise multiplier 2 stride 2', x: [2, 9, 8, 2], filter: [3, 2, 2, 2], stride: [2, 2], pad: 'valid', depthwise: true },
  { label: 'depthwise 1-D', x: [2, 1, 15, 4], filter: [1, 3, 4, 1], stride: [1, 2], pad: [[0, 0], [0, 0], [1, 1], [0, 0]], depthwise: true },
];

function gradients(c: Case): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomInput(c.x.reduce((a, b) => a * b), 1), c.x as [number, number, number, number]);
    const w = tf.tensor4d(randomInput(c.filter.reduce((a, b) => a * b), 2), c.filter as [number, number, number, number]);
    const f = (xi: tf.Tensor, wi: tf.Tensor) => {
      const y = c.depthwise ? tf.depthwiseConv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, c.pad as never) : tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, c.pad as never);
      // A non-uniform upstream gradient, so that every position is checked.
      return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

describe('Mote gradient kernels (wasm, and the fast cpu filter gradient)', () => {
  it('registers exactly the kernels wasm lacks', async () => {
    await useBackend('wasm');
    // Mote's heap kernels run on tfjs-wasm's memory (the single-threaded binary here).
    expect(currentBackend()?.details).toMatch(/heap kernels \(/);
    expect(registerMissingGradientKernels('wasm')).toEqual([]); // already registered by selectBackend
    for (const name of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
  });

  it('swaps in tfjs-cpu\'s own filter gradient for reference runs', async () => {
    await useBackend('cpu');
    const mine = tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc;
    const original = withOriginalKernels('cpu', () => tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc);
    expect(original).not.toBe(mine);
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc).toBe(mine);
  });

  it.each(cases)('$label: wasm gradients equal cpu', async (c) => {
    await useBackend('cpu');
    const expected = withOriginalKernels('cpu', () => gradients(c));
    // Mote's fast cpu filter gradient gives the same values.
    const fastCpu = gradients(c);
    expect(maxRelativeError(fastCpu.dw, expected.dw)).toBeLessThan(1e-5);
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = gradients(c);
    expect(tf.memory().numTensors).toBe(before); // the kernels neither leak nor free their inputs
    expect(actual.dw.length).toBe(expected.dw.length);
    expect(maxRelativeError(actual.dw, expected.dw)).toBeLessThan(1e-5);
    expect(maxRelativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
  });
});

describe('Mote MaxPoolGrad on wasm', () => {
  // (Padded pools are left out: the IR's pools are 'valid', and tfjs-wasm's own MaxPoolGrad already differs
  // from tfjs-cpu's on 'same' padding.)
  const pools: { label: string; x: [number, number, number, number]; size: [number, number]; stride: [number, number]; pad?: 'valid' | 'same' }[] = [
    { label: '2×2 on 6×6', x: [2, 6, 6, 3], size: [2, 2], stride: [2, 2] },
    { label: '2×2 on 7×9, 8 channels (four channels at a time; cropped last row and column)', x: [2, 7, 9, 8], size: [2, 2], stride: [2, 2] },
    { label: '1-D pool 3 on odd length 11 (cropped tail)', x: [2, 1, 11, 4], size: [1, 3], stride: [1, 3] },
    { label: '3×2 on 7×5 (cropped)', x: [1, 7, 5, 2], size: [3, 2], stride: [3, 2] },
    { label: 'overlapping 3×3 stride 2 (original kernel)', x: [1, 7, 7, 2], size: [3, 3], stride: [2, 2] },
  ];
  const poolGradient = (c: (typeof pools)[number]) => tf.tidy(() => {
    // ReLU'd input: many ties at 0, where the gradient must go to the first maximum of the window.
    const x = tf.relu(tf.tensor4d(randomInput(c.x.reduce((a, b) => a * b), 4), c.x));
    const f = (xi: tf.Tensor) => {
      const y = tf.maxPool(xi as tf.Tensor4D, c.size, c.stride, c.pad ?? 'valid');
      return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(1, y.size + 1), y.shape))));
    };
    return tf.grad(f)(x).dataSync() as Float32Array;
  });
  it.each(pools)('$label equals cpu', async (c) => {
    await useBackend('cpu');
    const expected = poolGradient(c);
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = poolGradient(c);
    expect(tf.memory().numTensors).toBe(before);
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-6);
  });
});

describe('Mote BatchMatMul on wasm (transposes first)', () => {
  it.each([
    [false, false], [true, false], [false, true], [true, true],
  ])('transposeA %s, transposeB %s equals cpu, batched and odd sizes', async (transposeA, transposeB) => {
    const [b, m, k, n] = [3, 5, 7, 4];
    const aShape: [number, number, number] = transposeA ? [b, k, m] : [b, m, k];
    const bShape: [number, number, number] = transposeB ? [b, n, k] : [b, k, n];
    const product = () => tf.tidy(() => tf.matMul(
      tf.tensor3d(randomInput(b * m * k, 3), aShape), tf.tensor3d(randomInput(b * k * n, 4), bShape), transposeA, transposeB,
    ).dataSync() as Float32Array);
    await useBackend('cpu');
    const expected = product();
    await useBackend('wasm');
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBeDefined();
    expect(maxRelativeError(product(), expected)).toBeLessThan(1e-5);
  });
});
