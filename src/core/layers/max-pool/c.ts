import type { CEmitter } from '../facets/c';
import { poolLoopsC } from '../shared/pool-window';
import type { MaxPoolLayer } from './layer';

export const maxPoolC: CEmitter<MaxPoolLayer> = (layer, ctx) => ({ kind: 'function', body: poolLoopsC(layer, ctx, 'model_number_t acc = x[0];', 'if (v > acc) acc = v;', 'acc'), macs: 0 });
