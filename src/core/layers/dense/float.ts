import type { FloatReference } from '../facets/float';
import { activateFloat } from '../shared/activation';
import type { DenseLayer } from './layer';

export const denseFloat: FloatReference<DenseLayer> = (layer, { inputs: [x], inShapes: [inShape], weight }) => {
  const kernel = weight('kernel');
  const bias = layer.useBias ? weight('bias') : undefined;
  const n = inShape[0];
  const out = new Float32Array(layer.units);
  for (let u = 0; u < layer.units; u++) {
    let sum = bias ? bias[u] : 0;
    for (let i = 0; i < n; i++) sum += x[i] * kernel[i * layer.units + u];
    out[u] = activateFloat(sum, layer.activation);
  }
  return out;
};
