import { number, table } from '../../base/schema';
import type { Rng } from '../../base/rng';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, alpha: number(1, { min: 0 }) });

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(rng.next() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, rng: Rng): number {
  if (alpha <= 0) return 1;
  const a = sampleGamma(alpha, rng);
  const b = sampleGamma(alpha, rng);
  return a + b > 0 ? a / (a + b) : 0.5;
}

/**
 * mixup (Zhang et al. 2018): one λ ~ Beta(alpha, alpha) per batch, a random pairing of the batch with itself,
 * x = λ·x + (1−λ)·x[perm] and the same mix of the one-hot labels (soft targets for the cross-entropy).
 */
export const Mixup = {
  kind: 'Mixup',
  summary: 'mixup: blends each sample and its label with another sample of the batch, λ ~ Beta(alpha, alpha)',
  params,
  apply(batch, p, rng) {
    const lambda = sampleBeta(p.alpha, rng);
    const perm = Array.from({ length: batch.count }, (_, i) => i);
    rng.shuffle(perm);
    const size = sampleSize(batch.shape);
    const k = batch.classes;
    const x = new Float32Array(batch.x.length);
    const labels = new Float32Array(batch.labels.length);
    for (let s = 0; s < batch.count; s++) {
      const o = perm[s];
      for (let i = 0; i < size; i++) x[s * size + i] = lambda * batch.x[s * size + i] + (1 - lambda) * batch.x[o * size + i];
      for (let j = 0; j < k; j++) labels[s * k + j] = lambda * batch.labels[s * k + j] + (1 - lambda) * batch.labels[o * k + j];
    }
    return { ...batch, x, labels };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
