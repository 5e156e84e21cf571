import type { IntegerReference } from '../facets/integer';
import { accumulatorSetup } from '../shared/accumulator';
import { requantize, wrapAdd } from '../shared/fixed-point';
import type { BatchNormLayer } from './layer';

export const batchNormInteger: IntegerReference<BatchNormLayer> = (_layer, { inputs: [x], inFracs, format, bits, longWidth, weight, out }) => {
  const kernel = weight('kernel')!;
  const { shift, bias } = accumulatorSetup(format, weight('bias'), 'linear', inFracs[0], longWidth);
  const c = kernel.length;
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    const acc = wrapAdd(bias![ch], x[i] * kernel[ch], longWidth);
    out[i] = requantize(acc, shift, format.round, bits);
  }
};
