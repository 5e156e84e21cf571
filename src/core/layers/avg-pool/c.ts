import type { CEmitter } from '../facets/c';
import { poolLoopsC, windowSize } from '../shared/pool-window';
import type { AvgPoolLayer } from './layer';

/** Fixed point divides the exact sum with truncation toward zero (Qualia). */
export const avgPoolC: CEmitter<AvgPoolLayer> = (layer, ctx) => {
  const n = windowSize(layer);
  const body = ctx.number === 'float32'
    ? poolLoopsC(layer, ctx, 'float acc = 0.0f;', 'acc += v;', `acc / ${n}.0f`)
    : poolLoopsC(layer, ctx, 'int32_t acc = 0;', 'acc += v;', `(model_number_t)(acc / ${n})`);
  return { kind: 'function', body, macs: 0 };
};
