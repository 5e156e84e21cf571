import type { FloatReference } from '../facets/float';
import { activateFloat } from '../shared/activation';
import type { AddLayer } from './layer';

export const addFloat: FloatReference<AddLayer> = (layer, { inputs }) => {
  const out = new Float32Array(inputs[0].length);
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const input of inputs) sum += input[i];
    out[i] = activateFloat(sum, layer.activation);
  }
  return out;
};
