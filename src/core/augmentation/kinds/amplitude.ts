import { number, oneOf, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({
  ...commonParams,
  distribution: oneOf(['uniform', 'normal'] as const, 'uniform'),
  low: number(0),
  high: number(1),
  sigma: number(1, { min: 0 }),
});

/**
 * Scales each channel of each sample by one random factor: U(low, high), or N(1, sigma²) for 'normal'
 * (Mote's reading of Qualia's Amplitude: a per-sample, per-channel gain).
 */
export const Amplitude = {
  kind: 'Amplitude',
  summary: "Multiplies each channel of each sample by a random gain (uniform in [low, high] or normal around 1 with 'sigma')",
  params,
  apply(batch, p, rng) {
    const channels = batch.shape[batch.shape.length - 1];
    const size = sampleSize(batch.shape);
    const x = new Float32Array(batch.x.length);
    const gain = new Float64Array(channels);
    for (let s = 0; s < batch.count; s++) {
      for (let c = 0; c < channels; c++) gain[c] = p.distribution === 'uniform' ? p.low + (p.high - p.low) * rng.next() : 1 + p.sigma * rng.normal();
      for (let i = 0; i < size; i++) x[s * size + i] = batch.x[s * size + i] * gain[i % channels];
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
