import { table } from '../../base/schema';
import type { LayerEmitContext, LayerEmitter } from '../types';
import { poolLoops } from './pool-window';

export const maxPoolEmitter: LayerEmitter = {
  kind: 'MaxPool',
  summary: 'MaxPool1D/2D, valid windows; output keeps the input format',
  params: table({}),
  emit(ctx: LayerEmitContext) {
    return { kind: 'function', body: poolLoops(ctx, 'model_number_t acc = x[0];', 'if (v > acc) acc = v;', 'acc'), macs: 0 };
  },
};
