import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { FlattenLayer } from './layer';

export const flattenTfjs: TfjsForward<FlattenLayer> = (_layer, { inputs: [x] }) => tf.reshape(x, [x.shape[0], -1]);
