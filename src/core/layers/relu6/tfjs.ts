import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { Relu6Layer } from './layer';

export const relu6Tfjs: TfjsForward<Relu6Layer> = (_layer, { inputs: [x] }) => tf.relu6(x);
