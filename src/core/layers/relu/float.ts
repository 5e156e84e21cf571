import type { FloatReference } from '../facets/float';
import { activateFloat } from '../shared/activation';
import type { ReluLayer } from './layer';

export const reluFloat: FloatReference<ReluLayer> = (_layer, { inputs: [x] }) => x.map((v) => activateFloat(v, 'relu'));
