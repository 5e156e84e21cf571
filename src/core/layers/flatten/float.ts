import type { FloatReference } from '../facets/float';
import type { FlattenLayer } from './layer';

export const flattenFloat: FloatReference<FlattenLayer> = (_layer, { inputs: [x] }) => x;
