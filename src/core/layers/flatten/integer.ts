import type { IntegerReference } from '../facets/integer';
import type { FlattenLayer } from './layer';

export const flattenInteger: IntegerReference<FlattenLayer> = (_layer, { inputs: [x], out }) => out.set(x);
