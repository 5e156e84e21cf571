import { number, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams, spatialShape } from '../kind';

const params = table({ ...commonParams, length_sigma: number(1, { min: 0 }) });

/**
 * Zeroes one random segment of each time series (all channels). Its length is |N(0, length_sigma²)| × 10 %
 * of the series (capped at the whole series), its start uniform — Mote's reading of Qualia's Cutout1D.
 */
export const Cutout1D = {
  kind: 'Cutout1D',
  summary: 'Zeroes a random segment of each time series; length |N(0, length_sigma)| × 10 % of the steps',
  params,
  apply(batch, p, rng) {
    spatialShape(batch, 'Cutout1D', 1);
    const [steps, channels] = batch.shape;
    const size = sampleSize(batch.shape);
    const x = batch.x.slice();
    for (let s = 0; s < batch.count; s++) {
      const length = Math.min(steps, Math.round(Math.abs(rng.normal()) * p.length_sigma * steps * 0.1));
      const start = rng.int(steps - length + 1);
      x.fill(0, s * size + start * channels, s * size + (start + length) * channels);
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
