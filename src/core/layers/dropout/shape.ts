import type { ShapeRule } from '../facets/shape';
import type { DropoutLayer } from './layer';

export const dropoutShape: ShapeRule<DropoutLayer> = {
  arity: 'one',
  output(layer, [input], fail) {
    if (!(layer.rate >= 0 && layer.rate < 1)) fail(`rate must be in [0, 1), got ${layer.rate}`);
    return [...input];
  },
};
