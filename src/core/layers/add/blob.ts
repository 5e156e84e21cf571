import type { BlobEncoder } from '../facets/blob';
import { activationCode, int64Words, rescaleWords } from '../shared/blob-params';
import type { AddLayer } from './layer';

/** [size, activation, limit lo, limit hi, shift, addend lo, addend hi, then each input's alignment shift]. */
export const addBlob: BlobEncoder<AddLayer> = {
  code: 9,
  encode(layer, ctx) {
    const size = ctx.outShape.reduce((a, b) => a * b, 1);
    const aligned = Math.max(...ctx.inFracs);
    const limit = layer.activation === 'relu6' ? Math.floor(6 * 2 ** aligned) : 0;
    return {
      kind: 'layer',
      params: [size, activationCode(layer.activation), ...int64Words(limit), ...rescaleWords(aligned - ctx.format.output, ctx.format.round), ...ctx.inFracs.map((f) => aligned - f)],
    };
  },
};
