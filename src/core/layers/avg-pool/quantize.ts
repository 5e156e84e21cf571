import type { QuantizeRule } from '../facets/quantize';
import type { AvgPoolLayer } from './layer';

/** Keeps its input's format. */
export const avgPoolQuantize: QuantizeRule<AvgPoolLayer> = {
  calibrated: () => false,
  format: (_layer, ctx) => ({ format: { output: ctx.inFracs[0], round: ctx.round } }),
};
