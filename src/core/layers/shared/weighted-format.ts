// The quantization rule of the layers that multiply by weights (Conv, Dense, BatchNorm's affine): kernel
// and bias in the `w` (and `bias`) formats, output in its calibrated format; both rescaling shifts checked.

import type { LayerFormat, QuantizeContext } from '../facets/quantize';
import { checkShift } from './fixed-point';

export function weightedFormat(ctx: QuantizeContext, kernel: ArrayLike<number>, bias: ArrayLike<number> | undefined): { format: LayerFormat; weights: Record<string, Int32Array> } {
  const q = ctx.quantizeWeights(kernel, bias);
  const inFrac = ctx.inFracs[0];
  const out = ctx.outputFrac();
  checkShift(inFrac + q.weights - out, ctx.where);
  checkShift(q.bias - inFrac - q.weights, ctx.where);
  const format: LayerFormat = { output: out, round: ctx.round, weights: q.weights, weightRound: q.weightRound, bias: q.biasValues ? q.bias : undefined, separateBias: q.separateBias };
  return { format, weights: q.biasValues ? { kernel: q.kernel, bias: q.biasValues } : { kernel: q.kernel } };
}
