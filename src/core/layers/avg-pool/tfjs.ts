import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import { pair } from '../shared/geometry';
import type { AvgPoolLayer } from './layer';

export const avgPoolTfjs: TfjsForward<AvgPoolLayer> = (layer, { inputs: [x] }) => tf.avgPool(x as tf.Tensor4D, pair(layer, layer.pool, 1), pair(layer, layer.stride, 1), 'valid');
