import type { QuantizeRule } from '../facets/quantize';
import { weightedFormat } from '../shared/weighted-format';
import type { DenseLayer } from './layer';

export const denseQuantize: QuantizeRule<DenseLayer> = {
  calibrated: () => true,
  format: (layer, ctx) => weightedFormat(ctx, ctx.weight('kernel'), layer.useBias ? ctx.weight('bias') : undefined),
};
