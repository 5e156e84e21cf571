import { table } from '../../base/schema';
import { saturate } from '../../quantization/fixed-point';
import { bitsOf } from '../arith-c';
import { intLiteral } from '../c-literals';
import type { LayerEmitContext, LayerEmitter } from '../types';

export const relu6Emitter: LayerEmitter = {
  kind: 'ReLU6',
  summary: 'standalone ReLU6 (clamped to [0, 6] in the input format)',
  params: table({}),
  emit(ctx: LayerEmitContext) {
    const size = ctx.outShape.reduce((a, b) => a * b, 1);
    const float = ctx.number === 'float32';
    const zero = float ? '0.0f' : '0';
    const six = float ? '6.0f' : intLiteral(saturate(Math.floor(6 * 2 ** ctx.inFracs[0]), bitsOf(ctx.number)));
    return { kind: 'function', body: `  for (int i = 0; i < ${size}; i++) out[i] = in0[i] < ${zero} ? ${zero} : in0[i] > ${six} ? ${six} : in0[i];`, macs: 0 };
  },
};
