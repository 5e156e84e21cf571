import type { ShapeRule } from '../facets/shape';
import type { BatchNormLayer } from './layer';

export const batchNormShape: ShapeRule<BatchNormLayer> = {
  arity: 'one',
  output: (_layer, [input]) => [...input],
  weights(_layer, input) {
    const c = [input[input.length - 1]];
    return { gamma: c, beta: c, mean: c, variance: c };
  },
  // Its per-channel scale is no weight product (Conv/Dense count those); the C reports it in MODEL_MACS.
};
