import type { CEmitter } from '../facets/c';
import type { ReluLayer } from './layer';

export const reluC: CEmitter<ReluLayer> = (_layer, ctx) => {
  const size = ctx.outShape.reduce((a, b) => a * b, 1);
  const zero = ctx.number === 'float32' ? '0.0f' : '0';
  return { kind: 'function', body: `  for (int i = 0; i < ${size}; i++) out[i] = in0[i] < ${zero} ? ${zero} : in0[i];`, macs: 0 };
};
