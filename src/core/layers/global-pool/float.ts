import type { FloatReference } from '../facets/float';
import type { GlobalPoolLayer } from './layer';

export const globalPoolFloat: FloatReference<GlobalPoolLayer> = (layer, { inputs: [x], inShapes: [inShape] }) => {
  const c = inShape[inShape.length - 1];
  const positions = x.length / c;
  const out = new Float32Array(c);
  for (let ch = 0; ch < c; ch++) {
    let acc = layer.mode === 'max' ? -Infinity : 0;
    for (let p = 0; p < positions; p++) {
      const v = x[p * c + ch];
      acc = layer.mode === 'max' ? Math.max(acc, v) : acc + v;
    }
    out[ch] = layer.mode === 'avg' ? acc / positions : acc;
  }
  return out;
};
