import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { ReluLayer } from './layer';

export const reluTfjs: TfjsForward<ReluLayer> = (_layer, { inputs: [x] }) => tf.relu(x);
