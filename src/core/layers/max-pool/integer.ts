import type { IntegerReference } from '../facets/integer';
import { poolInteger } from '../shared/pool-window';
import type { MaxPoolLayer } from './layer';

export const maxPoolInteger: IntegerReference<MaxPoolLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape, out }) => poolInteger(layer, 'max', x, inShape, outShape, out);
