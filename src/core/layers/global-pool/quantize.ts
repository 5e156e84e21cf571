import { UnsupportedError } from '../../base/errors';
import type { QuantizeRule } from '../facets/quantize';
import { checkShift } from '../shared/fixed-point';
import { sizeOf } from '../shared/geometry';
import type { GlobalPoolLayer } from './layer';

/** Max and average keep the input's format; a sum gets its own calibrated one. */
export const globalPoolQuantize: QuantizeRule<GlobalPoolLayer> = {
  calibrated: (layer) => layer.mode === 'sum',
  format(layer, ctx) {
    const positions = sizeOf(ctx.inShapes[0]) / ctx.outShape[0];
    if (positions * 2 ** (ctx.bits - 1) > 2 ** 31 - 1) throw new UnsupportedError(`${ctx.where}: pooling ${positions} positions of ${ctx.bits}-bit values could overflow its 32-bit sum`);
    const inFrac = ctx.inFracs[0];
    const out = layer.mode === 'sum' ? ctx.outputFrac() : inFrac;
    checkShift(inFrac - out, ctx.where);
    return { format: { output: out, round: ctx.round } };
  },
};
