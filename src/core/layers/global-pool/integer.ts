import type { IntegerReference } from '../facets/integer';
import { requantize } from '../shared/fixed-point';
import type { GlobalPoolLayer } from './layer';

/** Exact sums (the quantizer checks they fit 32 bits); average truncates toward zero, sum rescales. */
export const globalPoolInteger: IntegerReference<GlobalPoolLayer> = (layer, { inputs: [x], outShape, inFracs, format, bits, out }) => {
  const c = outShape[0];
  const positions = x.length / c;
  for (let ch = 0; ch < c; ch++) {
    let acc = layer.mode === 'max' ? -Infinity : 0;
    for (let p = 0; p < positions; p++) {
      const v = x[p * c + ch];
      acc = layer.mode === 'max' ? (v > acc ? v : acc) : acc + v;
    }
    if (layer.mode === 'max') out[ch] = acc;
    else if (layer.mode === 'avg') out[ch] = Math.trunc(acc / positions);
    else out[ch] = requantize(acc, inFracs[0] - format.output, format.round, bits);
  }
};
