import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import { pair } from '../shared/geometry';
import { activateTensor } from '../shared/tfjs-ops';
import type { ConvLayer } from './layer';

/** Explicit symmetric padding; groups as one conv (1), a depthwise conv (= cin) or split convs. */
export const convTfjs: TfjsForward<ConvLayer> = (layer, { inputs: [x], weight, quantization }) => {
  const [kh, kw] = pair(layer, layer.kernel, 1);
  const stride = pair(layer, layer.stride, 1);
  const [ph, pw] = pair(layer, layer.padding, 0);
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [ph, ph], [pw, pw], [0, 0]];
  const cin = x.shape[3]!;
  const stored = layer.useBias ? weight('bias') : undefined;
  const [kernelValues, bias] = quantization ? quantization.params(weight('kernel'), stored) : [weight('kernel'), stored];
  const kernel = tf.reshape(kernelValues, [kh, kw, cin / layer.groups, layer.filters]) as tf.Tensor4D;
  const x4 = x as tf.Tensor4D;
  let y: tf.Tensor4D;
  if (layer.groups === 1) {
    y = tf.conv2d(x4, kernel, stride, pad);
  } else if (layer.groups === cin) {
    // PyTorch depthwise: output channel f reads input channel floor(f / multiplier).
    y = tf.depthwiseConv2d(x4, tf.reshape(kernel, [kh, kw, cin, layer.filters / cin]) as tf.Tensor4D, stride, pad);
  } else {
    const xs = tf.split(x4, layer.groups, 3);
    const ks = tf.split(kernel, layer.groups, 3);
    y = tf.concat(xs.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, ks[g] as tf.Tensor4D, stride, pad)), 3);
  }
  if (bias) y = tf.add(y, bias);
  return activateTensor(y, layer.activation);
};
