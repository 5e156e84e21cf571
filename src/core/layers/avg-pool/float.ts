import type { FloatReference } from '../facets/float';
import { poolFloat } from '../shared/pool-window';
import type { AvgPoolLayer } from './layer';

export const avgPoolFloat: FloatReference<AvgPoolLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape }) => poolFloat(layer, 'avg', x, inShape, outShape);
