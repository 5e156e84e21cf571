import * as tf from '@tensorflow/tfjs-core';
import type { TfjsForward } from '../facets/tfjs';
import type { DropoutLayer } from './layer';

/** Masks drawn from the seeded rng (reproducible runs) in training; the identity otherwise. */
export const dropoutTfjs: TfjsForward<DropoutLayer> = (layer, { inputs: [x], training, rng }) => {
  if (!training || layer.rate === 0) return x;
  if (!rng) throw new Error(`layer '${layer.name}' (Dropout): training needs a seeded rng`);
  const keep = 1 - layer.rate;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor(mask, x.shape));
};
