// tfjs helpers the layers' tfjs facets share. Imports tfjs: only `*/tfjs.ts` facet files may import this.

import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../ir';

export function activateTensor(y: tf.Tensor, activation: Activation): tf.Tensor {
  return activation === 'relu' ? tf.relu(y) : activation === 'relu6' ? tf.relu6(y) : y;
}

