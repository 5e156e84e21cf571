import type { FloatReference } from '../facets/float';
import type { BatchNormLayer } from './layer';

/** Inference semantics: the moving statistics. */
export const batchNormFloat: FloatReference<BatchNormLayer> = (layer, { inputs: [x], weight }) => {
  const [gamma, beta, mean, variance] = [weight('gamma'), weight('beta'), weight('mean'), weight('variance')];
  const c = gamma.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = i % c;
    out[i] = ((x[i] - mean[ch]) / Math.sqrt(variance[ch] + layer.epsilon)) * gamma[ch] + beta[ch];
  }
  return out;
};
