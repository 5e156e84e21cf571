import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { SoftmaxLayer } from './layer';

export const softmaxShape: ShapeRule<SoftmaxLayer> = {
  arity: 'one',
  output(_layer, [input], fail) {
    if (input.length !== 1) fail(`needs a flat input [classes], got ${shapeText(input)}`);
    return [...input];
  },
};
