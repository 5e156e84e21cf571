import { UnsupportedError } from '../../base/errors';
import type { QuantizeRule } from '../facets/quantize';
import { checkShift } from '../shared/fixed-point';
import type { AddLayer } from './layer';

/** Inputs aligned to the finest input format, the sum rescaled to the calibrated output format. */
export const addQuantize: QuantizeRule<AddLayer> = {
  calibrated: () => true,
  format(_layer, ctx) {
    const out = ctx.outputFrac();
    const aligned = Math.max(...ctx.inFracs);
    if (aligned - Math.min(...ctx.inFracs) > 30) throw new UnsupportedError(`${ctx.where}: its inputs' formats differ by more than 30 fractional bits (${ctx.inFracs.join(', ')}); check the calibration`);
    checkShift(aligned - out, ctx.where);
    return { format: { output: out, round: ctx.round } };
  },
};
