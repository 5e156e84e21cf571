import type { QuantizeRule } from '../facets/quantize';
import { weightedFormat } from '../shared/weighted-format';
import type { ConvLayer } from './layer';

export const convQuantize: QuantizeRule<ConvLayer> = {
  calibrated: () => true,
  format: (layer, ctx) => weightedFormat(ctx, ctx.weight('kernel'), layer.useBias ? ctx.weight('bias') : undefined),
};
