import { table } from '../../base/schema';
import type { LayerEmitContext, LayerEmitter } from '../types';

export const reluEmitter: LayerEmitter = {
  kind: 'ReLU',
  summary: 'standalone ReLU (one not folded into a Conv/Dense/Add, e.g. after a MaxPool)',
  params: table({}),
  emit(ctx: LayerEmitContext) {
    const size = ctx.outShape.reduce((a, b) => a * b, 1);
    const zero = ctx.number === 'float32' ? '0.0f' : '0';
    return { kind: 'function', body: `  for (int i = 0; i < ${size}; i++) out[i] = in0[i] < ${zero} ? ${zero} : in0[i];`, macs: 0 };
  },
};
