import type { QuantizeRule } from '../facets/quantize';
import { weightedFormat } from '../shared/weighted-format';
import { batchNormAffine } from './affine';
import type { BatchNormLayer } from './layer';

/** Quantized like a conv: its per-channel affine's kernel and bias in the `w` formats. */
export const batchNormQuantize: QuantizeRule<BatchNormLayer> = {
  calibrated: () => true,
  format(layer, ctx) {
    const { kernel, bias } = batchNormAffine(layer, ctx.weight);
    return weightedFormat(ctx, kernel, bias);
  },
};
