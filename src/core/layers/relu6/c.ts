import type { CEmitter } from '../facets/c';
import { bitsOf } from '../shared/arith-c';
import { intLiteral } from '../shared/c-literals';
import { saturate } from '../shared/fixed-point';
import type { Relu6Layer } from './layer';

export const relu6C: CEmitter<Relu6Layer> = (_layer, ctx) => {
  const size = ctx.outShape.reduce((a, b) => a * b, 1);
  const float = ctx.number === 'float32';
  const zero = float ? '0.0f' : '0';
  const six = float ? '6.0f' : intLiteral(saturate(Math.floor(6 * 2 ** ctx.inFracs[0]), bitsOf(ctx.number)));
  return { kind: 'function', body: `  for (int i = 0; i < ${size}; i++) out[i] = in0[i] < ${zero} ? ${zero} : in0[i] > ${six} ? ${six} : in0[i];`, macs: 0 };
};
