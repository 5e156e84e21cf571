import { number, table } from '../../base/schema';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, sigma: number(0.375, { min: 0 }) });

/** Adds independent N(0, sigma²) noise to every value. */
export const GaussianNoise = {
  kind: 'GaussianNoise',
  summary: 'Adds Gaussian noise of standard deviation sigma to every value',
  params,
  apply(batch, p, rng) {
    const x = new Float32Array(batch.x.length);
    for (let i = 0; i < x.length; i++) x[i] = batch.x[i] + p.sigma * rng.normal();
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
