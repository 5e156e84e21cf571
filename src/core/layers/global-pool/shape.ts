import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { GlobalPoolLayer } from './layer';

export const globalPoolShape: ShapeRule<GlobalPoolLayer> = {
  arity: 'one',
  output(_layer, [input], fail) {
    if (input.length < 2) fail(`needs a spatial input [.., channels], got ${shapeText(input)}`);
    return [input[input.length - 1]];
  },
};
