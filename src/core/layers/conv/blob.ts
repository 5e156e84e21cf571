import type { BlobEncoder } from '../facets/blob';
import { packWeights } from '../shared/arith-c';
import { accumulatorWords } from '../shared/blob-params';
import { asImage, pair } from '../shared/geometry';
import type { ConvLayer } from './layer';

/** The runtime's zero-filled border window (MOTE_RT_WINDOW_BYTES), the generator's bound too. */
const WINDOW_BYTES = 1024;

/** Kernel from the IR's [kh, kw, cin/groups, filters] to [filters][kh][kw][cin/groups]. */
function filterMajor(kernel: Int32Array, taps: number, cpg: number, filters: number): Int32Array {
  const out = new Int32Array(kernel.length);
  for (let t = 0; t < taps; t++) for (let c = 0; c < cpg; c++) for (let f = 0; f < filters; f++) out[(f * taps + t) * cpg + c] = kernel[(t * cpg + c) * filters + f];
  return out;
}

/** Packed (SIMD) weights without groups, rows of kw·cin per kernel row, when a border window fits the runtime's. */
export const convBlob: BlobEncoder<ConvLayer> = {
  code: 1,
  encode(layer, ctx) {
    const [h, w, cin] = asImage(ctx.inShapes[0]);
    const [oh, ow, filters] = asImage(ctx.outShape);
    const [kh, kw] = pair(layer, layer.kernel, 1);
    const [sh, sw] = pair(layer, layer.stride, 1);
    const [ph, pw] = pair(layer, layer.padding, 0);
    const cpg = cin / layer.groups;
    const fm = filterMajor(ctx.intWeight('kernel')!, kh * kw, cpg, filters);
    const needsWindow = ph > 0 || pw > 0;
    const packed = layer.groups === 1 && ctx.packed !== undefined && (!needsWindow || kh * kw * cin * (ctx.bits / 8) <= WINDOW_BYTES);
    const kernel = packed ? ctx.weights('word', packWeights(fm, filters, kh, kw * cin, ctx.packed)) : ctx.weights('number', fm);
    const acc = accumulatorWords(ctx, layer.activation);
    return { kind: 'layer', params: [h, w, cin, oh, ow, filters, kh, kw, sh, sw, ph, pw, layer.groups, ...acc.words, packed ? 1 : 0, kernel, acc.bias] };
  },
};
