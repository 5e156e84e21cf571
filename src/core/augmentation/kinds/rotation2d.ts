import { number, oneOf, oneOrList, optional, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams, spatialShape } from '../kind';

const params = table({
  ...commonParams,
  angle: optional(oneOrList(number())),
  interpolation_mode: oneOf(['nearest', 'bilinear'] as const, 'nearest'),
});

/**
 * Rotates each image about its centre by a random angle in degrees: uniform in [−angle, angle], or in
 * [angle[0], angle[1]], or in [−180, 180) when unset (torchvision RandomRotation); outside pixels are 0.
 */
export const Rotation2D = {
  kind: 'Rotation2D',
  summary: "Random rotation of each image about its centre (degrees in [−angle, angle] or [min, max]), nearest or bilinear, zero fill",
  params,
  apply(batch, p, rng) {
    spatialShape(batch, 'Rotation2D', 2);
    const [h, w, c] = batch.shape;
    const [lo, hi] = p.angle === undefined ? [-180, 180] : Array.isArray(p.angle) ? [p.angle[0], p.angle[1] ?? p.angle[0]] : [-Math.abs(p.angle), Math.abs(p.angle)];
    const size = sampleSize(batch.shape);
    const x = new Float32Array(batch.x.length);
    const cy = (h - 1) / 2;
    const cx = (w - 1) / 2;
    for (let s = 0; s < batch.count; s++) {
      const degrees = lo + (hi - lo) * rng.next();
      const theta = (degrees * Math.PI) / 180;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      const at = (yy: number, xx: number, k: number) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : batch.x[s * size + (yy * w + xx) * c + k]);
      for (let y = 0; y < h; y++) {
        for (let xo = 0; xo < w; xo++) {
          // inverse map: the source of output pixel (y, xo) under a counter-clockwise rotation by theta
          const dy = y - cy;
          const dx = xo - cx;
          const sx = cos * dx - sin * dy + cx;
          const sy = sin * dx + cos * dy + cy;
          for (let k = 0; k < c; k++) {
            let v: number;
            if (p.interpolation_mode === 'nearest') v = at(Math.round(sy + 1e-9), Math.round(sx + 1e-9), k);
            else {
              const y0 = Math.floor(sy), x0 = Math.floor(sx), fy = sy - y0, fx = sx - x0;
              v = at(y0, x0, k) * (1 - fy) * (1 - fx) + at(y0, x0 + 1, k) * (1 - fy) * fx + at(y0 + 1, x0, k) * fy * (1 - fx) + at(y0 + 1, x0 + 1, k) * fy * fx;
            }
            x[s * size + (y * w + xo) * c + k] = v;
          }
        }
      }
    }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
