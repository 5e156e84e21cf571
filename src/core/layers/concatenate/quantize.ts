import type { QuantizeRule } from '../facets/quantize';
import { checkShift } from '../shared/fixed-point';
import type { ConcatenateLayer } from './layer';

/**
 * The output gets its own calibrated format and each input is rescaled into it (with the `act` round mode,
 * saturated), so inputs in different formats join correctly. The output's range is the largest of its
 * inputs', so its format is at most as fine as theirs: finer inputs lose bits, none saturates. (Qualia
 * gives a layer without a quantizer its first input's format, which misreads the others.)
 */
export const concatenateQuantize: QuantizeRule<ConcatenateLayer> = {
  calibrated: () => true,
  format(_layer, ctx) {
    const out = ctx.outputFrac();
    for (const inFrac of ctx.inFracs) checkShift(inFrac - out, ctx.where);
    return { format: { output: out, round: ctx.round } };
  },
};
