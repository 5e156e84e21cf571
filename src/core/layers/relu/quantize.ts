import type { QuantizeRule } from '../facets/quantize';
import type { ReluLayer } from './layer';

/** Keeps its input's format. */
export const reluQuantize: QuantizeRule<ReluLayer> = {
  calibrated: () => false,
  format: (_layer, ctx) => ({ format: { output: ctx.inFracs[0], round: ctx.round } }),
};
