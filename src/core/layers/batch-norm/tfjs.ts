import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { BatchNormLayer } from './layer';

/**
 * Inference: the moving statistics. Training: batch statistics with an analytic gradient, and the
 * moving-statistics updates queued (PyTorch's momentum rule). Quantized (calibration, QAT): the per-channel
 * affine the integer model computes, its kernel and bias through the quantization hook.
 */
export const batchNormTfjs: TfjsForward<BatchNormLayer> = (layer, { inputs: [x], weight, training, quantization, queueStatUpdate }) => {
  const gamma = weight('gamma');
  const beta = weight('beta');
  const movingMean = weight('mean');
  const movingVariance = weight('variance');
  if (quantization) {
    const scale = tf.div(gamma, tf.sqrt(tf.add(movingVariance, layer.epsilon)));
    const shift = tf.sub(beta, tf.mul(movingMean, scale));
    const [kernel, bias] = quantization.params(scale, shift);
    return tf.add(tf.mul(x, kernel), bias!);
  }
  if (!training) {
    return tf.add(tf.mul(tf.div(tf.sub(x, movingMean), tf.sqrt(tf.add(movingVariance, layer.epsilon))), gamma), beta);
  }
  const n = x.size / x.shape[x.shape.length - 1];
  let batchMean: tf.Tensor | undefined;
  let batchVariance: tf.Tensor | undefined;
  const normalize = tf.getKernel('MoteChannelMoments', tf.getBackend()) ? fusedNormalize(layer.epsilon, n, movingMean, (mean, variance) => { batchMean = mean; batchVariance = variance; }) : undefined;
  // Analytic gradient (one fused expression instead of autograd through mean/variance broadcasts):
  // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
  const opNormalize = normalize ?? tf.customGrad(((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    batchMean = tf.keep(channelMean(input));
    const centered = tf.sub(input, batchMean);
    batchVariance = tf.keep(channelMean(tf.mul(centered, centered))); // mul: wasm's Square is much slower
    const invStd = tf.rsqrt(tf.add(batchVariance, layer.epsilon));
    // x̂ = centered·invStd is never materialised (one full pass fewer): y = centered·(invStd·γ) + β,
    // and the gradient folds invStd into its per-channel factors.
    save([centered, invStd, g]);
    return {
      value: tf.add(tf.mul(centered, tf.mul(invStd, g)), b),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const grad = dy as tf.Tensor;
        const [c, inv, gam] = saved;
        const meanDy = channelMean(grad);
        const meanDyXhat = tf.mul(channelMean(tf.mul(grad, c)), inv);
        const dx = tf.mul(tf.mul(gam, inv), tf.sub(tf.sub(grad, meanDy), tf.mul(c, tf.mul(inv, meanDyXhat))));
        const dGamma = tf.mul(meanDyXhat, n);
        const dBeta = tf.mul(meanDy, n);
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = opNormalize(x, gamma, beta);
  // PyTorch: running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance.
  const m = layer.momentum;
  queueStatUpdate(movingMean, tf.keep(tf.add(tf.mul(movingMean, 1 - m), tf.mul(batchMean!, m))));
  queueStatUpdate(movingVariance, tf.keep(tf.add(tf.mul(movingVariance, 1 - m), tf.mul(batchVariance!, (m * n) / Math.max(1, n - 1)))));
  tf.dispose([batchMean!, batchVariance!]);
  return y;
};

/**
 * Mean over every axis but the last (channels). For 4-D tensors it goes through a global average pool and
 * a mean over the batch: tfjs-wasm reduces leading axes by transposing first, ≈ 5× slower
 * ([64, 28, 28, 16]: 1.4 ms vs 0.3 ms).
 */
function channelMean(x: tf.Tensor): tf.Tensor1D {
  if (x.rank !== 4) return tf.mean(x, x.shape.map((_, i) => i).slice(0, -1));
  const [, h, w] = x.shape;
  return tf.reshape(tf.mean(tf.avgPool(x as tf.Tensor4D, [h, w], [h, w], 'valid'), [0, 1, 2]), [x.shape[3]!]);
}

/**
 * BatchNorm's training forward and gradient in two passes each where the backend has Mote's one-pass
 * channel kernels (wasm: training/wasm-gradients.ts, heap kernels), instead of ≈ 6 and 7 tfjs passes:
 * forward = moments of (x − shift) (the moving mean as shift, against cancellation) + one affine pass
 * y = a·x + k; gradient = means of dy and dy·(x − μ) + one pass dx = A·dy + B·x + K, with
 * A = γ/σ, B = −γ·Dc/σ³, K = −A·mean(dy) − B·μ, Dc = mean(dy·(x − μ)) (the same analytic gradient).
 */
function fusedNormalize(epsilon: number, n: number, shift: tf.Tensor, keep: (mean: tf.Tensor, variance: tf.Tensor) => void): (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  const moments = (inputs: Record<string, tf.Tensor>) => tf.engine().runKernel('MoteChannelMoments', inputs) as tf.Tensor2D;
  const affine = (inputs: Record<string, tf.Tensor>) => tf.engine().runKernel('MoteChannelAffine', inputs) as tf.Tensor;
  return tf.customGrad(((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [d1, d2] = tf.unstack(moments({ x: input, shift }));
    const mean = tf.add(shift, d1);
    const variance = tf.relu(tf.sub(d2, tf.mul(d1, d1)));
    keep(tf.keep(mean), tf.keep(variance));
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const a = tf.mul(g, invStd);
    save([input, mean, invStd, g]);
    return {
      value: affine({ x: input, a, k: tf.sub(b, tf.mul(mean, a)) }),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, mu, inv, gam] = saved;
        const [meanDy, dc] = tf.unstack(moments({ x: xs, dy: dy as tf.Tensor, shift: mu }));
        const bigA = tf.mul(gam, inv);
        const bigB = tf.neg(tf.mul(bigA, tf.mul(tf.mul(inv, inv), dc)));
        const bigK = tf.neg(tf.add(tf.mul(bigA, meanDy), tf.mul(bigB, mu)));
        const dx = affine({ x: dy as tf.Tensor, y: xs, a: bigA, b: bigB, k: bigK });
        return [tf.reshape(dx, xs.shape), tf.mul(tf.mul(inv, dc), n), tf.mul(meanDy, n)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor;
}
