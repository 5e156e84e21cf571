import type { FloatReference } from '../facets/float';
import { activateFloat } from '../shared/activation';
import type { Relu6Layer } from './layer';

export const relu6Float: FloatReference<Relu6Layer> = (_layer, { inputs: [x] }) => x.map((v) => activateFloat(v, 'relu6'));
