import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import { pair } from '../shared/geometry';
import type { MaxPoolLayer } from './layer';

export const maxPoolTfjs: TfjsForward<MaxPoolLayer> = (layer, { inputs: [x] }) => tf.maxPool(x as tf.Tensor4D, pair(layer, layer.pool, 1), pair(layer, layer.stride, 1), 'valid');
