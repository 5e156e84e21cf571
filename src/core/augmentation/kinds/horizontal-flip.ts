import { number, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, p: number(0.5, { min: 0, max: 1 }) });

/** Mirrors each sample left-right with probability p (the width axis of [h, w, c]; the time axis of [steps, c]). */
export const HorizontalFlip = {
  kind: 'HorizontalFlip',
  summary: 'Mirrors each sample left-right with probability p',
  params,
  apply(batch, p, rng) {
    const shape = batch.shape;
    const c = shape[shape.length - 1];
    const w = shape.length >= 2 ? shape[shape.length - 2] : 1;
    const rows = sampleSize(shape) / (w * c);
    const size = sampleSize(shape);
    const x = batch.x.slice();
    for (let s = 0; s < batch.count; s++) {
      if (!(rng.next() < p.p)) continue;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < w; i++) {
          const from = s * size + (r * w + (w - 1 - i)) * c;
          const to = s * size + (r * w + i) * c;
          for (let k = 0; k < c; k++) x[to + k] = batch.x[from + k];
        }
      }
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
