import type { FloatReference } from '../facets/float';
import { activateFloat } from '../shared/activation';
import { asImage, pair } from '../shared/geometry';
import type { ConvLayer } from './layer';

export const convFloat: FloatReference<ConvLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape, weight }) => {
  const [h, w, cin] = asImage(inShape);
  const [oh, ow, filters] = asImage(outShape);
  const [kh, kw] = pair(layer, layer.kernel, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  const [ph, pw] = pair(layer, layer.padding, 0);
  const kernel = weight('kernel');
  const bias = layer.useBias ? weight('bias') : undefined;
  const cinPerGroup = cin / layer.groups;
  const filtersPerGroup = filters / layer.groups;
  const out = new Float32Array(oh * ow * filters);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let f = 0; f < filters; f++) {
        const c0 = Math.floor(f / filtersPerGroup) * cinPerGroup;
        let sum = bias ? bias[f] : 0;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= w) continue;
            const xBase = (y * w + xx) * cin + c0;
            const kBase = (i * kw + j) * cinPerGroup * filters + f;
            for (let c = 0; c < cinPerGroup; c++) sum += x[xBase + c] * kernel[kBase + c * filters];
          }
        }
        out[(oy * ow + ox) * filters + f] = activateFloat(sum, layer.activation);
      }
    }
  }
  return out;
};
