import type { ShapeRule } from '../facets/shape';
import { poolOutputShape } from '../shared/pool-window';
import type { MaxPoolLayer } from './layer';

export const maxPoolShape: ShapeRule<MaxPoolLayer> = { arity: 'one', output: (layer, [input], fail) => poolOutputShape(layer, input, fail) };
