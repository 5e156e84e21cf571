import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { ConcatenateLayer } from './layer';

/** The channels are the last axis of the internal layout too ([N, h, w, c], [N, 1, steps, c], [N, features]). */
export const concatenateTfjs: TfjsForward<ConcatenateLayer> = (_layer, { inputs }) => tf.concat(inputs, inputs[0].rank - 1);
