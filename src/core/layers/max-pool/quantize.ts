import type { QuantizeRule } from '../facets/quantize';
import type { MaxPoolLayer } from './layer';

/** Keeps its input's format. */
export const maxPoolQuantize: QuantizeRule<MaxPoolLayer> = {
  calibrated: () => false,
  format: (_layer, ctx) => ({ format: { output: ctx.inFracs[0], round: ctx.round } }),
};
