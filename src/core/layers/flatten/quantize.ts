import type { QuantizeRule } from '../facets/quantize';
import type { FlattenLayer } from './layer';

/** Keeps its input's format; Qualia does not list it in activations_range.txt. */
export const flattenQuantize: QuantizeRule<FlattenLayer> = {
  calibrated: () => false,
  format: (_layer, ctx) => ({ format: { output: ctx.inFracs[0], round: ctx.round } }),
  rangeLine: false,
};
