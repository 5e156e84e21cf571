import type { BlobEncoder } from '../facets/blob';
import { rescaleWords } from '../shared/blob-params';
import { channelLayout } from './channels';
import type { ConcatenateLayer } from './layer';

/** [positions, channels, then per input: its channels, shift, addend lo, addend hi]. */
export const concatenateBlob: BlobEncoder<ConcatenateLayer> = {
  code: 10,
  encode(_layer, ctx) {
    const { positions, channels, runs } = channelLayout(ctx.inShapes, ctx.outShape);
    return { kind: 'layer', params: [positions, channels, ...runs.flatMap((run, k) => [run.channels, ...rescaleWords(ctx.inFracs[k] - ctx.format.output, ctx.format.round)])] };
  },
};
