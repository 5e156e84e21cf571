import type { BlobEncoder } from '../facets/blob';
import { rescaleWords } from '../shared/blob-params';
import type { GlobalPoolLayer } from './layer';

const MODES = { max: 0, avg: 1, sum: 2 } as const;

/** [positions, channels, mode, shift, addend lo, addend hi]; only the sum rescales. */
export const globalPoolBlob: BlobEncoder<GlobalPoolLayer> = {
  code: 8,
  encode(layer, ctx) {
    const channels = ctx.outShape[0];
    const positions = ctx.inShapes[0].reduce((a, b) => a * b, 1) / channels;
    const shift = layer.mode === 'sum' ? ctx.inFracs[0] - ctx.format.output : 0;
    return { kind: 'layer', params: [positions, channels, MODES[layer.mode], ...rescaleWords(shift, ctx.format.round)] };
  },
};
