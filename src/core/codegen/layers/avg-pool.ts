import { table } from '../../base/schema';
import type { PoolLayer } from '../../models/graph';
import type { LayerEmitContext, LayerEmitter } from '../types';
import { poolLoops, windowSize } from './pool-window';

export const avgPoolEmitter: LayerEmitter = {
  kind: 'AvgPool',
  summary: 'AvgPool1D/2D, valid windows; fixed point divides the exact sum with truncation toward zero (Qualia)',
  params: table({}),
  emit(ctx: LayerEmitContext) {
    const n = windowSize(ctx.layer as PoolLayer);
    const body = ctx.number === 'float32'
      ? poolLoops(ctx, 'float acc = 0.0f;', 'acc += v;', `acc / ${n}.0f`)
      : poolLoops(ctx, 'int32_t acc = 0;', 'acc += v;', `(model_number_t)(acc / ${n})`);
    return { kind: 'function', body, macs: 0 };
  },
};
