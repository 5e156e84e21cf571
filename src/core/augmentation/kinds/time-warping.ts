import { number, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams, spatialShape } from '../kind';

const params = table({ ...commonParams, sigma: number(0.25, { min: 0 }) });
const KNOTS = 4;

/**
 * Smooth random time warp (Um et al. 2017): a speed curve through KNOTS random knots N(1, sigma²) (kept
 * ≥ 0.1), integrated and rescaled so the first and last steps stay in place; values are resampled by
 * linear interpolation. Length and endpoints are kept.
 */
export function warpPath(steps: number, sigma: number, normal: () => number): Float64Array {
  const knots = Array.from({ length: KNOTS + 2 }, () => Math.max(0.1, 1 + sigma * normal()));
  const path = new Float64Array(steps);
  for (let t = 1; t < steps; t++) {
    const u = ((t - 0.5) / (steps - 1)) * (KNOTS + 1);
    const k = Math.min(Math.floor(u), KNOTS);
    const f = u - k;
    path[t] = path[t - 1] + knots[k] * (1 - f) + knots[k + 1] * f;
  }
  const end = path[steps - 1];
  for (let t = 0; t < steps; t++) path[t] = end > 0 ? (path[t] * (steps - 1)) / end : t;
  path[steps - 1] = steps - 1;
  return path;
}

export const TimeWarping = {
  kind: 'TimeWarping',
  summary: 'Smooth random time warp of each series (speed knots around 1 with std sigma); length and endpoints kept',
  params,
  apply(batch, p, rng) {
    spatialShape(batch, 'TimeWarping', 1);
    const [steps, channels] = batch.shape;
    const size = sampleSize(batch.shape);
    const x = new Float32Array(batch.x.length);
    for (let s = 0; s < batch.count; s++) {
      const path = steps > 1 ? warpPath(steps, p.sigma, rng.normal) : new Float64Array(1);
      for (let t = 0; t < steps; t++) {
        const pos = path[t];
        const i = Math.min(Math.floor(pos), steps - 1);
        const f = pos - i;
        const j = Math.min(i + 1, steps - 1);
        for (let c = 0; c < channels; c++) {
          const a = batch.x[s * size + i * channels + c];
          const b = batch.x[s * size + j * channels + c];
          x[s * size + t * channels + c] = a + (b - a) * f;
        }
      }
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
