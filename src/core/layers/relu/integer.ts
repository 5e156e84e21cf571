import type { IntegerReference } from '../facets/integer';
import type { ReluLayer } from './layer';

export const reluInteger: IntegerReference<ReluLayer> = (_layer, { inputs: [x], out }) => {
  for (let i = 0; i < x.length; i++) out[i] = x[i] < 0 ? 0 : x[i];
};
