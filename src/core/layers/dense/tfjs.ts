import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import { activateTensor } from '../shared/tfjs-ops';
import type { DenseLayer } from './layer';

export const denseTfjs: TfjsForward<DenseLayer> = (layer, { inputs: [x], weight, quantization }) => {
  const stored = layer.useBias ? weight('bias') : undefined;
  const [kernel, bias] = quantization ? quantization.params(weight('kernel'), stored) : [weight('kernel'), stored];
  let y = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return activateTensor(y, layer.activation);
};
