import type { FloatReference } from '../facets/float';
import { poolFloat } from '../shared/pool-window';
import type { MaxPoolLayer } from './layer';

export const maxPoolFloat: FloatReference<MaxPoolLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape }) => poolFloat(layer, 'max', x, inShape, outShape);
