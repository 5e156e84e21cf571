import type { IntegerReference } from '../facets/integer';
import { accumulatorSetup } from '../shared/accumulator';
import { activateInteger } from '../shared/activation';
import { requantizer, wrapTo } from '../shared/fixed-point';
import { asImage, pair } from '../shared/geometry';
import type { ConvLayer } from './layer';

// Kernels re-ordered once per weight array so the inner loops read contiguous memory (like the C).
const filterMajorCache = new WeakMap<Int32Array, Int32Array>();

function filterMajor(kernel: Int32Array, taps: number, cpg: number, filters: number): Int32Array {
  let out = filterMajorCache.get(kernel);
  if (!out) {
    out = new Int32Array(kernel.length);
    for (let t = 0; t < taps; t++) for (let c = 0; c < cpg; c++) for (let f = 0; f < filters; f++) out[(f * taps + t) * cpg + c] = kernel[(t * cpg + c) * filters + f];
    filterMajorCache.set(kernel, out);
  }
  return out;
}

export const convInteger: IntegerReference<ConvLayer> = (layer, { inputs: [x], inShapes: [inShape], outShape, inFracs, format, bits, longWidth, weight, out }) => {
  const [h, w, cin] = asImage(inShape);
  const [oh, ow, filters] = asImage(outShape);
  const [kh, kw] = pair(layer, layer.kernel, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  const [ph, pw] = pair(layer, layer.padding, 0);
  const cpg = cin / layer.groups;
  const fpg = filters / layer.groups;
  const kernel = filterMajor(weight('kernel')!, kh * kw, cpg, filters);
  const { shift, bias, reluLimit } = accumulatorSetup(format, weight('bias'), layer.activation, inFracs[0], longWidth);
  const taps = kh * kw * cpg;
  const rescale = requantizer(shift, format.round, bits);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let f = 0; f < filters; f++) {
    const c0 = ((f / fpg) | 0) * cpg;
    // Wrap-around is modular, so the exact sum wrapped once equals the C's per-addition wrapping.
    let sum = bias ? bias[f] : 0;
    for (let i = 0; i < kh; i++) {
      const y = oy * sh - ph + i;
      if (y < 0 || y >= h) continue;
      for (let j = 0; j < kw; j++) {
        const xx = ox * sw - pw + j;
        if (xx < 0 || xx >= w) continue;
        const xBase = (y * w + xx) * cin + c0;
        const kBase = f * taps + (i * kw + j) * cpg;
        for (let c = 0; c < cpg; c++) sum += x[xBase + c] * kernel[kBase + c];
      }
    }
    out[(oy * ow + ox) * filters + f] = rescale(activateInteger(wrapTo(sum, longWidth), layer.activation, reluLimit));
  }
};
