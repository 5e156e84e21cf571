import type { FloatReference } from '../facets/float';
import type { SoftmaxLayer } from './layer';

export const softmaxFloat: FloatReference<SoftmaxLayer> = (_layer, { inputs: [x] }) => {
  let max = -Infinity;
  for (const v of x) max = Math.max(max, v);
  let total = 0;
  const exps = Array.from(x, (v) => { const e = Math.exp(v - max); total += e; return e; });
  return Float32Array.from(exps, (e) => e / total);
};
