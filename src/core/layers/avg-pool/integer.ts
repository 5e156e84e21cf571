import type { IntegerReference } from '../facets/integer';
import { poolInteger } from '../shared/pool-window';
import type { AvgPoolLayer } from './layer';

export const avgPoolInteger: IntegerReference<AvgPoolLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape, out }) => poolInteger(layer, 'avg', x, inShape, outShape, out);
