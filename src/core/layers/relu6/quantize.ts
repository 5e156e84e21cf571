import type { QuantizeRule } from '../facets/quantize';
import type { Relu6Layer } from './layer';

/** Keeps its input's format. */
export const relu6Quantize: QuantizeRule<Relu6Layer> = {
  calibrated: () => false,
  format: (_layer, ctx) => ({ format: { output: ctx.inFracs[0], round: ctx.round } }),
};
