import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import { activateTensor } from '../shared/tfjs-ops';
import type { AddLayer } from './layer';

export const addTfjs: TfjsForward<AddLayer> = (layer, { inputs }) => activateTensor(inputs.length === 2 ? tf.add(inputs[0], inputs[1]) : tf.addN(inputs), layer.activation);
