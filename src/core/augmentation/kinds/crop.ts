import { integer, oneOrList, optional, table } from '../../base/schema';
import { sampleSize } from '../../data/bundle';
import type { AugmentationKind } from '../kind';
import { commonParams, spatialShape } from '../kind';

const params = table({
  ...commonParams,
  size: oneOrList(integer(undefined, { min: 1 })),
  padding: optional(oneOrList(integer(undefined, { min: 0 }))),
});

/** Pads (zeros) each image by `padding` on every side, then takes a random size×size window (torchvision RandomCrop). */
export const Crop = {
  kind: 'Crop',
  summary: "Random crop of 'size' (int or [h, w]) after optional zero 'padding' on each side (torchvision RandomCrop)",
  params,
  apply(batch, p, rng) {
    spatialShape(batch, 'Crop', 2);
    const [h, w, c] = batch.shape;
    const [ch, cw] = Array.isArray(p.size) ? [p.size[0], p.size[1] ?? p.size[0]] : [p.size, p.size];
    const pad = p.padding === undefined ? [0, 0] : Array.isArray(p.padding) ? [p.padding[0], p.padding[1] ?? p.padding[0]] : [p.padding, p.padding];
    const [ph, pw] = pad;
    if (ch > h + 2 * ph || cw > w + 2 * pw) throw new Error(`Crop: size ${ch}×${cw} is larger than the padded image ${h + 2 * ph}×${w + 2 * pw}`);
    const size = sampleSize(batch.shape);
    const out = new Float32Array(batch.count * ch * cw * c);
    for (let s = 0; s < batch.count; s++) {
      const top = rng.int(h + 2 * ph - ch + 1) - ph;
      const left = rng.int(w + 2 * pw - cw + 1) - pw;
      for (let y = 0; y < ch; y++) {
        const sy = top + y;
        if (sy < 0 || sy >= h) continue;
        for (let x = 0; x < cw; x++) {
          const sx = left + x;
          if (sx < 0 || sx >= w) continue;
          for (let k = 0; k < c; k++) out[((s * ch + y) * cw + x) * c + k] = batch.x[s * size + (sy * w + sx) * c + k];
        }
      }
    }
    return { ...batch, x: out, shape: [ch, cw, c] };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
