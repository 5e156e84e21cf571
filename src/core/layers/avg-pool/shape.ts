import type { ShapeRule } from '../facets/shape';
import { poolOutputShape } from '../shared/pool-window';
import type { AvgPoolLayer } from './layer';

export const avgPoolShape: ShapeRule<AvgPoolLayer> = { arity: 'one', output: (layer, [input], fail) => poolOutputShape(layer, input, fail) };
