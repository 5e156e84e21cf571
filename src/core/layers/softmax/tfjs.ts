import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { SoftmaxLayer } from './layer';

export const softmaxTfjs: TfjsForward<SoftmaxLayer> = (_layer, { inputs: [x] }) => tf.softmax(x);
