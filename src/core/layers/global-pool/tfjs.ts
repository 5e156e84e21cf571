import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { GlobalPoolLayer } from './layer';

export const globalPoolTfjs: TfjsForward<GlobalPoolLayer> = (layer, { inputs: [x] }) => {
  const axes = x.shape.map((_, i) => i).slice(1, -1);
  return layer.mode === 'max' ? tf.max(x, axes) : layer.mode === 'avg' ? tf.mean(x, axes) : tf.sum(x, axes);
};
