import type { BatchNormLayer } from './layer';

/** BatchNorm as a per-channel affine: kernel = γ/√(σ²+ε), bias = β − γμ/√(σ²+ε) (float64). */
export function batchNormAffine(layer: BatchNormLayer, weight: (role: string) => Float32Array): { kernel: Float64Array; bias: Float64Array } {
  const [gamma, beta, mean, variance] = [weight('gamma'), weight('beta'), weight('mean'), weight('variance')];
  const kernel = new Float64Array(gamma.length);
  const bias = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    kernel[c] = gamma[c] / Math.sqrt(variance[c] + layer.epsilon);
    bias[c] = beta[c] - mean[c] * kernel[c];
  }
  return { kernel, bias };
}
