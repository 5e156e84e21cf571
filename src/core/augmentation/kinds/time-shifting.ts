import { number, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams, spatialShape } from '../kind';

const params = table({ ...commonParams, alpha: number(1, { min: 0, max: 1 }) });

/** Rolls each 1-D sample circularly in time by ⌊U(0, 1) · alpha · steps⌋ steps (all channels together). */
export const TimeShifting = {
  kind: 'TimeShifting',
  summary: 'Circularly shifts each time series by a random number of steps, up to alpha × its length',
  params,
  apply(batch, p, rng) {
    spatialShape(batch, 'TimeShifting', 1);
    const [steps, channels] = batch.shape;
    const size = sampleSize(batch.shape);
    const x = new Float32Array(batch.x.length);
    for (let s = 0; s < batch.count; s++) {
      const shift = Math.floor(rng.next() * p.alpha * steps) % steps;
      for (let t = 0; t < steps; t++) {
        const to = (t + shift) % steps;
        for (let c = 0; c < channels; c++) x[s * size + to * channels + c] = batch.x[s * size + t * channels + c];
      }
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
