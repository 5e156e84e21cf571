import type { IntegerReference } from '../facets/integer';
import { activateInteger } from '../shared/activation';
import { requantize } from '../shared/fixed-point';
import type { AddLayer } from './layer';

/** Exact sum of the inputs aligned to the finest format (cannot overflow: the quantizer bounds the shifts). */
export const addInteger: IntegerReference<AddLayer> = (layer, { inputs, inFracs, format, bits, out }) => {
  const aligned = Math.max(...inFracs);
  const factors = inFracs.map((f) => 2 ** (aligned - f));
  for (let i = 0; i < out.length; i++) {
    let acc = 0;
    for (let k = 0; k < inputs.length; k++) acc += inputs[k][i] * factors[k];
    out[i] = requantize(activateInteger(acc, layer.activation, layer.activation === 'relu6' ? Math.floor(6 * 2 ** aligned) : undefined), aligned - format.output, format.round, bits);
  }
};
